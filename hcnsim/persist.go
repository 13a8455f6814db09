package hcnsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hcnkit/hcn"
)

// snapshot is the state file's content.
type snapshot struct {
	Format          int
	Seq             uint64
	NextCompartment uint32
	Objects         []storedObject
}

// storedObject is one object: its document plus what the document does
// not show.
type storedObject struct {
	Kind     hcn.Kind
	Seq      uint64
	Doc      json.RawMessage
	Instance *hcn.GUID      `json:",omitempty"`
	Stats    *EndpointStats `json:",omitempty"`
	Port     bool           `json:",omitempty"`
}

const snapshotFormat = 1

// testHookBeforeRename, when set, runs after the temporary file is
// written and synced and before it replaces the state file; an error
// aborts the save as a crash at that point would.
var testHookBeforeRename func(tmp string) error

// store is a state file shared by processes: an advisory lock on
// "<file>.lock" serialises writers; each save writes a temporary file in
// the same directory, syncs it and renames it over the state file, so a
// reader sees the old or the new state, never a torn one.
type store struct {
	path   string
	info   os.FileInfo // the file last loaded or saved; nil: none
	loaded bool
}

func newStore(path string) *store { return &store{path: path} }

func (s *store) invalidate() { s.info, s.loaded = nil, false }

// lock takes the exclusive advisory lock.
func (s *store) lock() (func(), error) {
	f, err := os.OpenFile(s.path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fail(hcn.E_FAIL, "state file lock: %v", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fail(hcn.E_FAIL, "state file lock: %v", err)
	}
	return func() {
		unlockFile(f)
		f.Close()
	}, nil
}

// load returns the file's state when it changed since the last load or
// save (changed false otherwise). A missing file is the initial state.
func (s *store) load() (*state, bool, error) {
	f, err := os.Open(s.path)
	if os.IsNotExist(err) {
		changed := s.info != nil || !s.loaded
		s.info, s.loaded = nil, true
		if !changed {
			return nil, false, nil
		}
		return newState(), true, nil
	}
	if err != nil {
		return nil, false, fail(hcn.E_FAIL, "state file: %v", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, false, fail(hcn.E_FAIL, "state file: %v", err)
	}
	if s.loaded && s.info != nil && os.SameFile(s.info, fi) && fi.ModTime().Equal(s.info.ModTime()) && fi.Size() == s.info.Size() {
		return nil, false, nil
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, false, fail(hcn.E_FAIL, "state file: %v", err)
	}
	st, err := decodeSnapshot(data)
	if err != nil {
		return nil, false, fail(hcn.E_FAIL, "state file %s: %v", filepath.Base(s.path), err)
	}
	s.info, s.loaded = fi, true
	return st, true, nil
}

// save writes st atomically: temp file (0600) + fsync + rename + fsync of
// the directory.
func (s *store) save(st *state) error {
	data, err := json.Marshal(encodeSnapshot(st))
	if err != nil {
		return fail(hcn.E_FAIL, "state file: %v", err)
	}
	dir := filepath.Dir(s.path)
	tmp, err := os.CreateTemp(dir, filepath.Base(s.path)+".tmp-*")
	if err != nil {
		return fail(hcn.E_FAIL, "state file: %v", err)
	}
	name := tmp.Name()
	if err := writeSynced(tmp, data); err != nil {
		os.Remove(name)
		return fail(hcn.E_FAIL, "state file: %v", err)
	}
	if testHookBeforeRename != nil {
		if err := testHookBeforeRename(name); err != nil {
			return fail(hcn.E_FAIL, "state file: %v", err)
		}
	}
	if err := os.Rename(name, s.path); err != nil {
		os.Remove(name)
		return fail(hcn.E_FAIL, "state file: %v", err)
	}
	syncDir(dir)
	fi, err := os.Stat(s.path)
	if err != nil {
		return fail(hcn.E_FAIL, "state file: %v", err)
	}
	s.info, s.loaded = fi, true
	return nil
}

func writeSynced(f *os.File, data []byte) error {
	if err := f.Chmod(0o600); err != nil && !isChmodUnsupported() {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync() // not supported everywhere (Windows); best effort
	d.Close()
}

func encodeSnapshot(st *state) *snapshot {
	snap := &snapshot{Format: snapshotFormat, Seq: st.seq, NextCompartment: st.nextCompartment}
	for _, k := range hcn.Kinds {
		list := make([]*object, 0, len(st.objs[k]))
		for _, o := range st.objs[k] {
			list = append(list, o)
		}
		sortBySeq(list)
		for _, o := range list {
			snap.Objects = append(snap.Objects, storeObject(o))
		}
	}
	return snap
}

func storeObject(o *object) storedObject {
	so := storedObject{Kind: o.kind, Seq: o.seq, Doc: o.raw}
	if o.ep != nil {
		inst, stats := o.ep.instance, o.ep.stats
		so.Instance, so.Stats, so.Port = &inst, &stats, o.ep.port
	}
	return so
}

func decodeSnapshot(data []byte) (*state, error) {
	var snap snapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&snap); err != nil {
		return nil, err
	}
	if snap.Format != snapshotFormat {
		return nil, fmt.Errorf("unknown format %d", snap.Format)
	}
	st := newState()
	st.remove(st.get(hcn.KindNamespace, HostDefaultNamespaceID))
	st.restoring = true
	defer func() { st.restoring = false }()
	for _, so := range snap.Objects {
		if err := st.restore(so); err != nil {
			return nil, err
		}
	}
	if st.get(hcn.KindNamespace, HostDefaultNamespaceID) == nil {
		st.insert(hostDefaultNamespace())
	}
	st.seq = max(st.seq, snap.Seq)
	st.nextCompartment = max(st.nextCompartment, snap.NextCompartment)
	return st, nil
}

// restore rebuilds one stored object and indexes it.
func (st *state) restore(so storedObject) error {
	v, err := parseJSON(string(so.Doc))
	doc, isObj := v.(obj)
	if err != nil || !isObj {
		return fmt.Errorf("object document is not a JSON object")
	}
	g, ok := parseID(doc["ID"])
	if !ok || !so.Kind.Valid() {
		return fmt.Errorf("object without a valid kind and ID")
	}
	o := &object{kind: so.Kind, id: g, seq: so.Seq, doc: doc}
	switch so.Kind {
	case hcn.KindNetwork:
		err = st.buildNetwork(o, false)
	case hcn.KindEndpoint:
		err = st.restoreEndpoint(o, so)
	case hcn.KindNamespace:
		err = st.buildNamespace(o, false)
	case hcn.KindLoadBalancer:
		err = st.buildLoadBalancer(o, nil)
	case hcn.KindSDNRoute:
		err = st.buildRoute(o)
	case hcn.KindGuestNetworkService:
		err = buildGNS(o)
	}
	if err != nil {
		return fmt.Errorf("%s %s: %v", so.Kind, g, err)
	}
	st.insert(o)
	return nil
}

func (st *state) restoreEndpoint(o *object, so storedObject) error {
	nid, _ := parseID(o.doc["HostComputeNetwork"])
	net := st.get(hcn.KindNetwork, nid)
	if net == nil {
		return fmt.Errorf("network %s missing", nid)
	}
	if err := st.buildEndpoint(o, net, false); err != nil {
		return err
	}
	if ns, ok := parseID(o.doc["HostComputeNamespace"]); ok {
		o.ep.namespace = ns
	}
	if so.Instance != nil {
		o.ep.instance = *so.Instance
	}
	if so.Stats != nil {
		o.ep.stats = *so.Stats
	}
	o.ep.port = so.Port
	return nil
}
