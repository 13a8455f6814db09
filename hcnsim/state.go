package hcnsim

import (
	"encoding/json"
	"net/netip"
	"sort"

	"github.com/hcnkit/hcn"
)

// HostDefaultNamespaceID is the id of the namespace every host starts
// with: the host's default compartment (Type HostDefault). It cannot be
// deleted; other HostDefault namespaces are ordinary objects sharing its
// compartment.
var HostDefaultNamespaceID = hcn.MustParseGUID("910f7d92-ba2d-4c3f-98ae-7c0ac590d2dc")

// object is one service object: its document as the service would return
// it (canonical keys, zero values omitted) and the parsed parts the
// emulator checks against.
type object struct {
	kind hcn.Kind
	id   hcn.GUID
	seq  uint64
	name string
	// doc is the document while the object is built or modified; once
	// stored it is kept encoded in raw (bytes the garbage collector need
	// not scan, which keeps the cost per call flat with many objects).
	doc obj
	raw []byte
	net *netInfo
	ep  *epInfo
	ns  *nsInfo
	lb  *lbInfo
	// owner is the state that indexes the object (set by insert); freeze
	// reports a re-encoded document to its change set.
	owner *state
}

type netInfo struct {
	typ       string
	flags     uint32
	subnets   []*subnet
	macs      *macPool
	endpoints map[hcn.GUID]struct{}
}

// networkFlagNonPersistent is NetworkFlags EnableNonPersistent.
const networkFlagNonPersistent = 8

func (n *netInfo) persistent() bool { return n.flags&networkFlagNonPersistent == 0 }

type epInfo struct {
	network   hcn.GUID
	namespace hcn.GUID
	ips       []epAddr
	mac       uint64
	hasMAC    bool
	remote    bool
	port      bool
	instance  hcn.GUID
	stats     EndpointStats
	ports     []portKey // host ports its PortMapping policies take
}

// epAddr is one endpoint address; sub is nil for a remote endpoint's.
type epAddr struct {
	addr netip.Addr
	bits int
	sub  *subnet
}

type nsInfo struct {
	typ         string
	compartment uint32
	endpoints   []hcn.GUID
	containers  []string
}

type lbInfo struct {
	keys []portKey
}

// portKey is a host port taken by a load balancer frontend or an endpoint
// port mapping: vip "" is the host's own (IPv4) addresses, "::" its IPv6
// ones.
type portKey struct {
	vip      string
	protocol uint32
	port     uint16
}

// event is a notification waiting for delivery.
type event struct {
	typ  hcn.NotificationType
	id   hcn.GUID
	gns  hcn.GUID // set for notifications only a GNS's callbacks receive
	data obj
}

// state is every object and the indexes over them.
type state struct {
	seq             uint64
	objs            [hcn.KindGuestNetworkService + 1]map[hcn.GUID]*object
	names           [hcn.KindGuestNetworkService + 1]map[string][]hcn.GUID
	hostPorts       map[portKey]hcn.GUID  // owner: a load balancer or an endpoint
	defaults        map[hcn.GUID]struct{} // HostDefault namespaces
	nextCompartment uint32
	events          []event
	restoring       bool // rebuilding from the state file: skip reference checks
	// reservations are the Sim's guest network service port reservations
	// (set for each write; nil while restoring from the state file).
	reservations *portTable
	// changes collects what a write changes when a state file records it;
	// nil otherwise.
	changes *changeSet
}

func newState() *state {
	st := &state{hostPorts: map[portKey]hcn.GUID{}, defaults: map[hcn.GUID]struct{}{}, nextCompartment: 2}
	for _, k := range hcn.Kinds {
		st.objs[k] = map[hcn.GUID]*object{}
		st.names[k] = map[string][]hcn.GUID{}
	}
	st.insert(hostDefaultNamespace())
	return st
}

func hostDefaultNamespace() *object {
	id := HostDefaultNamespaceID
	return &object{kind: hcn.KindNamespace, id: id,
		doc: obj{"ID": id.String(), "Type": "HostDefault", "NamespaceId": num(1),
			"SchemaVersion": obj{"Major": num(2)}},
		ns: &nsInfo{typ: "HostDefault", compartment: 1}}
}

func (st *state) get(k hcn.Kind, id hcn.GUID) *object {
	o := st.objs[k][id]
	if st.changes != nil && o != nil && o.ep != nil {
		st.changes.watch(o)
	}
	return o
}

// insert adds o and indexes it; o.seq is assigned when zero.
func (st *state) insert(o *object) {
	o.owner = st
	st.touch(o)
	if o.seq == 0 {
		st.seq++
		o.seq = st.seq
	} else if o.seq > st.seq {
		st.seq = o.seq
	}
	if o.doc != nil {
		o.name = str(o.doc, "Name")
		o.freeze()
	}
	st.objs[o.kind][o.id] = o
	if o.name != "" {
		st.names[o.kind][o.name] = append(st.names[o.kind][o.name], o.id)
	}
	if o.ep != nil {
		if n := st.get(hcn.KindNetwork, o.ep.network); n != nil {
			n.net.endpoints[o.id] = struct{}{}
		}
		st.takePorts(o.id, o.ep.ports)
	}
	if o.lb != nil {
		st.takePorts(o.id, o.lb.keys)
	}
	if o.ns != nil && o.ns.typ == "HostDefault" {
		st.defaults[o.id] = struct{}{}
	}
}

// remove unindexes o (its resources are released by the caller).
func (st *state) remove(o *object) {
	st.touch(o)
	delete(st.objs[o.kind], o.id)
	if o.name != "" {
		key := o.name
		ids := st.names[o.kind][key]
		for i, id := range ids {
			if id == o.id {
				ids = append(ids[:i:i], ids[i+1:]...)
				break
			}
		}
		if len(ids) == 0 {
			delete(st.names[o.kind], key)
		} else {
			st.names[o.kind][key] = ids
		}
	}
	if o.ep != nil {
		if n := st.get(hcn.KindNetwork, o.ep.network); n != nil {
			delete(n.net.endpoints, o.id)
		}
		st.releasePorts(o.id, o.ep.ports)
	}
	if o.lb != nil {
		st.releasePorts(o.id, o.lb.keys)
	}
	if o.ns != nil {
		delete(st.defaults, o.id)
	}
}

// byName returns the objects of kind k named exactly name (names are
// case-sensitive, see "Names" in the package doc).
func (st *state) byName(k hcn.Kind, name string) []*object {
	ids := st.names[k][name]
	out := make([]*object, 0, len(ids))
	for _, id := range ids {
		out = append(out, st.objs[k][id])
	}
	return out
}

func (st *state) emit(typ hcn.NotificationType, id hcn.GUID, data obj) {
	st.events = append(st.events, event{typ: typ, id: id, data: data})
}

// sortBySeq orders objects by creation.
func sortBySeq(os []*object) {
	sort.Slice(os, func(i, j int) bool { return os[i].seq < os[j].seq })
}

// notFound returns the not-found failure of kind k.
func notFound(k hcn.Kind, id string) *failure {
	switch k {
	case hcn.KindNetwork:
		return fail(hcn.HCN_E_NETWORK_NOT_FOUND, "%s", id)
	case hcn.KindEndpoint:
		return fail(hcn.HCN_E_ENDPOINT_NOT_FOUND, "%s", id)
	}
	return fail(hcn.ERROR_NOT_FOUND, "%s", id)
}

// lookup returns the object or its kind's not-found failure.
func (st *state) lookup(k hcn.Kind, id hcn.GUID) (*object, error) {
	if o := st.get(k, id); o != nil {
		return o, nil
	}
	return nil, notFound(k, id.String())
}

// freeze encodes the document being built or modified into raw.
func (o *object) freeze() {
	if o.doc == nil {
		return
	}
	b, err := json.Marshal(o.doc)
	if err != nil {
		b = []byte("{}")
	}
	o.raw, o.doc = b, nil
	if o.owner != nil {
		o.owner.touch(o)
	}
}

// thaw decodes raw into doc for a modification; freeze stores it again.
func (o *object) thaw() {
	if o.doc == nil {
		o.doc = o.decode()
	}
}

// discard drops a thawed document (a failed modification).
func (o *object) discard() {
	if o.raw != nil {
		o.doc = nil
	}
}

// decode returns a fresh decoded copy of the document.
func (o *object) decode() obj {
	if o.doc != nil {
		return o.doc
	}
	v, err := parseJSON(string(o.raw))
	if m, ok := v.(obj); ok && err == nil {
		return m
	}
	return obj{}
}

// edit applies fn to the document, whether it is being built, thawed or
// stored.
func (o *object) edit(fn func(doc obj)) {
	if o.doc != nil {
		fn(o.doc)
		return
	}
	o.doc = o.decode()
	fn(o.doc)
	o.freeze()
}

// objectKey names one object.
type objectKey struct {
	Kind hcn.Kind
	ID   hcn.GUID
}

// changeSet is what one write changes, for the state file's journal: the
// objects inserted, removed or re-encoded (insert, remove and freeze
// report them), the endpoints the write looked up, whose counters it may
// set without touching the document, and the counters a record carries.
type changeSet struct {
	keys            []objectKey
	seen            map[objectKey]struct{}
	watched         []watchedStats
	seq             uint64
	nextCompartment uint32
}

type watchedStats struct {
	o     *object
	stats EndpointStats
}

// beginChanges starts collecting the changes of a write.
func (st *state) beginChanges() *changeSet {
	cs := &changeSet{seen: map[objectKey]struct{}{}, seq: st.seq, nextCompartment: st.nextCompartment}
	st.changes = cs
	return cs
}

// endChanges stops collecting: it returns the keys of the objects changed
// (present or gone now) and whether anything persistent changed at all.
// replaced reports a state overwritten as a whole during the write (its
// change set is gone), whose objects are then all re-owned.
func (st *state) endChanges(cs *changeSet) (keys []objectKey, changed, replaced bool) {
	if st.changes != cs {
		st.changes = nil
		for _, k := range hcn.Kinds {
			for _, o := range st.objs[k] {
				o.owner = st
			}
		}
		return nil, true, true
	}
	st.changes = nil
	for _, w := range cs.watched {
		if w.o.ep.stats != w.stats {
			cs.add(objectKey{w.o.kind, w.o.id})
		}
	}
	changed = len(cs.keys) > 0 || st.seq != cs.seq || st.nextCompartment != cs.nextCompartment
	return cs.keys, changed, false
}

// touch records that o changed.
func (st *state) touch(o *object) {
	if st.changes != nil {
		st.changes.add(objectKey{o.kind, o.id})
	}
}

func (cs *changeSet) add(k objectKey) {
	if _, ok := cs.seen[k]; ok {
		return
	}
	cs.seen[k] = struct{}{}
	cs.keys = append(cs.keys, k)
}

// watch remembers an endpoint's counters as the write first sees them.
func (cs *changeSet) watch(o *object) {
	if _, ok := cs.seen[objectKey{o.kind, o.id}]; ok {
		return
	}
	cs.watched = append(cs.watched, watchedStats{o, o.ep.stats})
}
