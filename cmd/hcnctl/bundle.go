package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/spf13/cobra"
)

// bundleCmd is `hcnctl bundle -o FILE.tar.gz`.
func (a *app) bundleCmd() *cobra.Command {
	var (
		file  string
		owner string
	)
	c := a.command(&cobra.Command{
		Use:   "bundle -o FILE.tar.gz",
		Short: "Write a support bundle: every object, the service version and a doctor report",
		Long: `bundle writes a gzip'd tar file (mode 0600) for a support case:

  objects/<kind>/<id>.json  every object of every kind, the service's own document
  version.json              hcnctl's version, the backend, the service version and its features
  doctor.json               what "hcnctl doctor" reports (nothing is fixed)
  README.txt                what the bundle holds, file by file

The file is written next to its final name and renamed into place, so a bundle that fails leaves
no partial file; an existing file of that name is replaced.`,
		Example: `  hcnctl bundle -o hcn-support.tar.gz
  hcnctl bundle -o node7.tar.gz --owner zlayer`,
		Args: cobra.NoArgs,
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if file == "" {
			return usagef("-o FILE: the bundle's file name is required")
		}
		if owner != "" {
			if err := checkOwnerTag(owner); err != nil {
				return err
			}
		}
		if st, err := os.Stat(file); err == nil && st.IsDir() {
			return usagef("-o %q: is a directory", file)
		}
		if st, err := os.Stat(filepath.Dir(file)); err != nil || !st.IsDir() {
			return usagef("-o %q: no directory %s", file, filepath.Dir(file))
		}
		c, err := a.client(ctx)
		if err != nil {
			return err
		}
		b, err := a.bundle(ctx, c, owner)
		if err != nil {
			return err
		}
		if err := writeFileAtomic(file, b, 0o600); err != nil {
			return err
		}
		fmt.Fprintf(a.out, "wrote %s (%d bytes)\n", file, len(b))
		return nil
	})
	fl := c.Flags()
	fl.StringVarP(&file, "output", "o", "", "the bundle's file (a .tar.gz)")
	fl.StringVar(&owner, "owner", "", "the owner tag doctor checks for orphan endpoints")
	return c
}

// bundleFile is one file of a bundle.
type bundleFile struct {
	name string
	what string // README's description
	data []byte
}

// bundle collects the bundle's files and returns the gzip'd tar.
func (a *app) bundle(ctx context.Context, c *hcn.Client, owner string) ([]byte, error) {
	var files []bundleFile
	counts := map[hcn.Kind]int{}
	p := a.progress("bundle: reading every object", len(hcn.Kinds))
	defer p.done()
	for i, k := range hcn.Kinds {
		p.set(i)
		objs, err := listObjects(ctx, c, k, nil)
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", kindPlural[k], err)
		}
		for _, o := range objs {
			b, err := json.MarshalIndent(o.doc, "", "  ")
			if err != nil {
				return nil, err
			}
			what := "the " + k.String() + " " + string(o.id.Canonical())
			if o.name != "" {
				what += " (" + o.name + ")"
			}
			files = append(files, bundleFile{name: "objects/" + k.String() + "/" + string(o.id.Canonical()) + ".json",
				what: what, data: append(b, '\n')})
			counts[k]++
		}
	}
	info := versionInfo{Client: clientVersion(), Go: runtime.Version()}
	info.Backend, info.State, info.Server = a.backendInfo()
	if err := info.fill(ctx, c); err != nil {
		return nil, err
	}
	vb, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return nil, err
	}
	files = append(files, bundleFile{name: "version.json", what: "hcnctl's version, the backend, the service version and its features",
		data: append(vb, '\n')})
	rep, err := diagnose(ctx, c, owner)
	if err != nil {
		return nil, err
	}
	db, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return nil, err
	}
	files = append(files, bundleFile{name: "doctor.json", what: fmt.Sprintf("the doctor report: %s, %s",
		plural(rep.Errors, "problem"), plural(rep.Warnings, "warning")), data: append(db, '\n')})

	now := time.Now().UTC()
	var readme strings.Builder
	fmt.Fprintf(&readme, "hcnctl support bundle, written %s by hcnctl %s.\n", now.Format(time.RFC3339), info.Client)
	fmt.Fprintf(&readme, "Backend: %s; service version %s.\n", info.Backend, info.ServiceVersion)
	fmt.Fprintf(&readme, "Objects:")
	for i, k := range hcn.Kinds {
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(&readme, "%s %s %d", sep, kindPlural[k], counts[k])
	}
	fmt.Fprintf(&readme, ".\n\nThe JSON of each object is the service's own document, every member kept.\n\nContents:\n")
	fmt.Fprintf(&readme, "  README.txt  this file\n")
	for _, f := range files {
		fmt.Fprintf(&readme, "  %s  %s\n", f.name, f.what)
	}
	files = append([]bundleFile{{name: "README.txt", data: []byte(readme.String())}}, files...)

	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	dirs := map[string]bool{}
	for _, f := range files {
		for d := filepath.ToSlash(filepath.Dir(f.name)); d != "." && !dirs[d]; d = filepath.ToSlash(filepath.Dir(d)) {
			dirs[d] = true
		}
	}
	for _, d := range sortedKeys(dirs) {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o700, ModTime: now}); err != nil {
			return nil, err
		}
	}
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: f.name, Mode: 0o600, Size: int64(len(f.data)), ModTime: now}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// writeFileAtomic writes data to a temporary file next to name with mode
// perm, then renames it to name.
func writeFileAtomic(name string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		return err
	}
	ok = true
	return nil
}
