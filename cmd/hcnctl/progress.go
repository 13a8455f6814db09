package main

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress is a progress display of a long operation on stderr. It is
// shown only when stderr is a terminal (a nil *progress does nothing), so
// piped and scripted output stays clean.
type progress struct{ bar *progressbar.ProgressBar }

// interactive reports whether w is a terminal.
func interactive(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress starts a display described by desc: a bar over total steps, or
// a spinner when total is negative (the length is unknown). Nil when
// stderr is not a terminal.
func (a *app) progress(desc string, total int) *progress {
	if !a.showProgress && !interactive(a.err) {
		return nil
	}
	return newProgress(a.err, desc, total)
}

func newProgress(w io.Writer, desc string, total int) *progress {
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionSetWidth(30),
	}
	if total < 0 {
		opts = append(opts, progressbar.OptionSpinnerType(14), progressbar.OptionSetSpinnerChangeInterval(100*time.Millisecond))
	} else {
		opts = append(opts, progressbar.OptionShowCount())
	}
	return &progress{bar: progressbar.NewOptions(total, opts...)}
}

// set shows n steps done.
func (p *progress) set(n int) {
	if p != nil {
		p.bar.Set(n)
	}
}

// done removes the display.
func (p *progress) done() {
	if p != nil {
		p.bar.Finish()
		p.bar.Exit()
	}
}
