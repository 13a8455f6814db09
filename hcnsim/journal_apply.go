package hcnsim

import (
	"fmt"
	"sort"

	"github.com/hcnkit/hcn"
)

// journalRecord is one journal record: what one write changed. Put holds
// every object the write created or changed, as it is now; Drop every
// object it deleted; Reset a write that replaced the whole state (Put then
// holds all of it). Seq and NextCompartment are the state's counters after
// the write; Record numbers the records of a state file from 1.
type journalRecord struct {
	Record          uint64
	Seq             uint64
	NextCompartment uint32
	Reset           bool           `json:",omitempty"`
	Put             []storedObject `json:",omitempty"`
	Drop            []objectKey    `json:",omitempty"`
}

// newRecord describes the changes of one write: the objects named by keys
// that exist are put, the others dropped; replaced puts the whole state.
func newRecord(st *state, keys []objectKey, replaced bool) *journalRecord {
	rec := &journalRecord{Seq: st.seq, NextCompartment: st.nextCompartment, Reset: replaced}
	if replaced {
		rec.Put = encodeSnapshot(st).Objects
		return rec
	}
	var put []*object
	for _, k := range keys {
		if o := st.objs[k.Kind][k.ID]; o != nil {
			put = append(put, o)
		} else {
			rec.Drop = append(rec.Drop, k)
		}
	}
	sort.Slice(put, func(i, j int) bool {
		if put[i].kind != put[j].kind {
			return put[i].kind < put[j].kind
		}
		return put[i].seq < put[j].seq
	})
	rec.Put = make([]storedObject, len(put))
	for i, o := range put {
		rec.Put[i] = storeObject(o)
	}
	return rec
}

// apply replays a record on st and returns the state that results (a new
// one for a Reset record). It costs what the record holds, whatever the
// size of the state. On an error st is left half-changed: the caller
// reloads it from the state file.
func (st *state) apply(rec *journalRecord) (*state, error) {
	if rec.Reset {
		st = emptyState()
	}
	st.restoring = true
	st.reservations = nil
	defer func() { st.restoring = false }()
	objs := make([]*object, len(rec.Put))
	puts := make(map[objectKey]bool, len(rec.Put))
	for i, so := range rec.Put {
		o, err := parseStored(so)
		if err != nil {
			return st, err
		}
		objs[i] = o
		puts[objectKey{o.kind, o.id}] = true
	}
	// Unindex the old versions first, so that a put may take what another
	// object of the record gave up. Networks go last (their endpoints
	// release into their pools); a network put is updated in place.
	var nets []*object
	unindex := func(k objectKey) {
		o := st.objs[k.Kind][k.ID]
		switch {
		case o == nil:
		case k.Kind == hcn.KindNetwork:
			if !puts[k] {
				nets = append(nets, o)
			}
		case o.ep != nil:
			st.releaseEndpoint(o.ep, st.objs[hcn.KindNetwork][o.ep.network])
			st.remove(o)
		default:
			st.remove(o)
		}
	}
	for _, k := range rec.Drop {
		unindex(k)
	}
	for k := range puts {
		unindex(k)
	}
	for _, o := range nets {
		st.remove(o)
	}
	// Kinds in their order: what an object refers to comes first.
	order := make([]int, len(objs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return objs[order[i]].kind < objs[order[j]].kind })
	for _, i := range order {
		o, so := objs[i], rec.Put[i]
		var err error
		if old := st.objs[o.kind][o.id]; old != nil && o.kind == hcn.KindNetwork {
			err = st.updateNetwork(old, o)
		} else {
			err = st.build(o, so)
		}
		if err != nil {
			return st, err
		}
	}
	if st.objs[hcn.KindNamespace][HostDefaultNamespaceID] == nil {
		return st, fmt.Errorf("record %d leaves no host default namespace", rec.Record)
	}
	st.seq, st.nextCompartment = rec.Seq, rec.NextCompartment
	return st, nil
}

// updateNetwork gives a network the document of next in place. Its
// endpoints keep their addresses: a subnet whose prefix stays keeps its
// pool, a new one starts empty (a removed one had no address in use), and
// the MAC pool, fixed at create, is kept.
func (st *state) updateNetwork(o, next *object) error {
	if err := st.buildNetwork(next, false); err != nil {
		return fmt.Errorf("%s %s: %v", o.kind, o.id, err)
	}
	n := next.net
	for i, sn := range n.subnets {
		for _, old := range o.net.subnets {
			if old.prefix == sn.prefix {
				n.subnets[i] = old
			}
		}
	}
	n.macs, n.endpoints = o.net.macs, o.net.endpoints
	st.remove(o)
	o.doc, o.raw, o.net, o.seq = next.doc, nil, n, next.seq
	st.insert(o)
	return nil
}
