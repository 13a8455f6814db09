package main

import (
	"bytes"
	"strings"
	"testing"
)

// A progress display is drawn only on a terminal: a pipe or a buffer gets
// nothing, and a nil display is safe to use.
func TestProgressOnlyOnATerminal(t *testing.T) {
	var buf bytes.Buffer
	a := &app{err: &buf}
	p := a.progress("listing endpoints", 10)
	if p != nil {
		t.Fatal("a progress display on a buffer")
	}
	p.set(3)
	p.done()
	if buf.Len() != 0 {
		t.Fatalf("wrote %q", buf.String())
	}

	a.showProgress = true
	p = a.progress("applying", 4)
	for i := 1; i <= 4; i++ {
		p.set(i)
	}
	p.done()
	if !strings.Contains(buf.String(), "applying") {
		t.Fatalf("the display shows %q, want its description", buf.String())
	}
	buf.Reset()
	s := a.progress("doctor", -1)
	s.set(1)
	s.done()
	if !strings.Contains(buf.String(), "doctor") {
		t.Fatalf("the spinner shows %q, want its description", buf.String())
	}
}
