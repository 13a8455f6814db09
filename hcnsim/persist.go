package hcnsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/hcnkit/hcn"
)

// snapshot is the content of the state file proper: the whole state as
// of journal record Record, generation Generation of the state file
// identified by Lineage (see journal.go).
type snapshot struct {
	Format          int
	Lineage         hcn.GUID `json:",omitzero"`
	Generation      uint64   `json:",omitempty"`
	Record          uint64   `json:",omitempty"`
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

// snapshotFormat is the format written. Format 1, the whole state without
// a journal, is read as generation 0 and rewritten by the first writer.
const (
	snapshotFormat       = 2
	snapshotFormatLegacy = 1
)

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

// readSnapshot reads and decodes the snapshot at path; a missing file is
// nil with no error. size is the file's length.
func readSnapshot(path string) (snap *snapshot, st *state, size int64, err error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil, 0, nil
	}
	if err != nil {
		return nil, nil, 0, err
	}
	snap, st, err = decodeSnapshot(data)
	return snap, st, int64(len(data)), err
}

func decodeSnapshot(data []byte) (*snapshot, *state, error) {
	var snap snapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&snap); err != nil {
		return nil, nil, err
	}
	switch snap.Format {
	case snapshotFormat:
		if snap.Lineage.IsZero() || snap.Generation == 0 {
			return nil, nil, fmt.Errorf("snapshot without lineage or generation")
		}
	case snapshotFormatLegacy:
		snap.Lineage, snap.Generation, snap.Record = hcn.GUID{}, 0, 0
	default:
		return nil, nil, fmt.Errorf("unknown format %d", snap.Format)
	}
	st := emptyState()
	st.restoring = true
	defer func() { st.restoring = false }()
	for _, so := range snap.Objects {
		if err := st.restore(so); err != nil {
			return nil, nil, err
		}
	}
	if st.get(hcn.KindNamespace, HostDefaultNamespaceID) == nil {
		st.insert(hostDefaultNamespace())
	}
	st.seq = max(st.seq, snap.Seq)
	st.nextCompartment = max(st.nextCompartment, snap.NextCompartment)
	snap.Objects = nil
	return &snap, st, nil
}

// emptyState is a state without even the host default namespace, for
// rebuilding from stored objects.
func emptyState() *state {
	st := newState()
	st.remove(st.get(hcn.KindNamespace, HostDefaultNamespaceID))
	return st
}

// restore rebuilds one stored object and indexes it.
func (st *state) restore(so storedObject) error {
	o, err := parseStored(so)
	if err != nil {
		return err
	}
	return st.build(o, so)
}

// build builds the parsed object o of so and indexes it.
func (st *state) build(o *object, so storedObject) (err error) {
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
		return fmt.Errorf("%s %s: %v", so.Kind, o.id, err)
	}
	st.insert(o)
	return nil
}

// parseStored returns the unbuilt object of a stored one.
func parseStored(so storedObject) (*object, error) {
	v, err := parseJSON(string(so.Doc))
	doc, isObj := v.(obj)
	if err != nil || !isObj {
		return nil, fmt.Errorf("object document is not a JSON object")
	}
	g, ok := parseID(doc["ID"])
	if !ok || !so.Kind.Valid() {
		return nil, fmt.Errorf("object without a valid kind and ID")
	}
	return &object{kind: so.Kind, id: g, seq: so.Seq, doc: doc}, nil
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
