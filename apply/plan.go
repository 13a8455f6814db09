package apply

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hcnkit/hcn"
)

// Options tune Plan and Apply. A nil *Options means the zero value.
type Options struct {
	// Owner is the owner tag: Apply writes it in the Owner member of every
	// object it creates, and only objects carrying it are ever pruned.
	// Load balancers, routes and namespaces that give no id are matched
	// only among objects carrying it.
	Owner string
	// Prune deletes the objects carrying Owner that no desired entry
	// matches. It needs Owner.
	Prune bool
	// Observed, when set, is the cache Plan starts from instead of reading
	// every object (see State); Plan reconciles it with one enumerate per
	// family it needs, and Apply keeps it current.
	Observed *State
	// Progress, when set, is called by Apply after each action that
	// completed, with the number done and the plan's length (for a
	// progress display).
	Progress func(done, total int)
}

// Op is what an action does.
type Op uint8

// The actions of a plan.
const (
	Create  Op = iota + 1 // make a new object
	Update                // change the object in place
	Replace               // delete the object and create it again under its id
	Delete                // delete the object
)

func (o Op) String() string {
	switch o {
	case Create:
		return "create"
	case Update:
		return "update"
	case Replace:
		return "replace"
	case Delete:
		return "delete"
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

func (o Op) sign() string {
	switch o {
	case Create:
		return "+"
	case Update:
		return "~"
	case Replace:
		return "-/+"
	case Delete:
		return "-"
	}
	return "?"
}

// Action is one step of a plan.
type Action struct {
	Op   Op
	Kind hcn.Kind
	// ID is the object's id; for a create, the id Apply gives it.
	ID hcn.ID
	// Name is the network's or endpoint's name, or for the other
	// families the key they are matched by (endpoint names of a namespace,
	// frontends of a load balancer, network and destinations of a route).
	Name string
	// Entry names the desired entry ("endpoints[2]"); empty for a prune.
	Entry string
	// Diffs are the members that differ (updates and replacements).
	Diffs []Diff
	// Reason says why an object is replaced rather than updated.
	Reason string

	doc hcn.Document // what to create or write, references resolved
	old hcn.Document // the object as observed
}

// Changes is the ordered list of actions that converges the host to a
// desired state: deletes first (routes, load balancers, namespaces,
// endpoints, networks), then creates, updates and replacements in
// dependency order (networks, endpoints, namespaces, load balancers,
// routes).
type Changes struct {
	Actions []Action
	// Observed is the State the plan was made from; Apply keeps it current.
	// Pass it as Options.Observed to the next Plan.
	Observed *State

	owner string
}

// Empty reports whether the plan has nothing to do.
func (p *Changes) Empty() bool { return p == nil || len(p.Actions) == 0 }

// String prints the plan, one action a line ("+ network web",
// "~ endpoint web-1: Policies" with one indented line per member,
// "- loadbalancer <id>"), or "no changes".
func (p *Changes) String() string {
	if p.Empty() {
		return "no changes\n"
	}
	var b strings.Builder
	for i := range p.Actions {
		b.WriteString(p.Actions[i].String())
	}
	return b.String()
}

// String prints the action as Changes.String does.
func (a *Action) String() string {
	var b strings.Builder
	label := a.Name
	if label == "" || a.Op == Delete && a.Kind != hcn.KindNetwork && a.Kind != hcn.KindEndpoint {
		label = string(a.ID)
	}
	fmt.Fprintf(&b, "%s %s %s", a.Op.sign(), kindWord(a.Kind), label)
	if len(a.Diffs) > 0 {
		names := make([]string, len(a.Diffs))
		for i, d := range a.Diffs {
			names[i] = d.Member
		}
		b.WriteString(": " + strings.Join(names, ", "))
	}
	if a.Reason != "" {
		b.WriteString(" (" + a.Reason + ")")
	}
	b.WriteByte('\n')
	for _, d := range a.Diffs {
		fmt.Fprintf(&b, "    %s: %s -> %s\n", d.Member, short(orNone(d.Old)), short(orNone(d.New)))
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func short(s string) string {
	const max = 240
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

// Plan reads what exists and returns the actions that converge it to
// desired. It makes no change. Bad input — an invalid document, a
// duplicate name or id, a reference to nothing — is an *InputError naming
// the entry, returned before any service call where it can be told from the
// input alone, and before any change otherwise. It first waits, under ctx,
// until the creates c abandoned have been undone (hcn.Client.Settle).
func Plan(ctx context.Context, c *hcn.Client, desired *Desired, opts *Options) (*Changes, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Prune && o.Owner == "" {
		return nil, inputErr("Options.Prune", "", "needs an owner tag (Options.Owner)", nil)
	}
	if c == nil {
		return nil, inputErr("Client", "", "must not be nil", nil)
	}
	entries, err := prepare(desired, o.Owner)
	if err != nil {
		return nil, err
	}
	// An object of a create the Client abandoned (an Apply cancelled
	// half-way) is still on the host until the Client has deleted it
	// again: a plan that saw it would keep it, and lose it.
	if err := c.Settle(ctx); err != nil {
		return nil, err
	}
	scope := scopeOf(entries, o.Prune)
	st := o.Observed
	if st == nil {
		st = NewState()
		for i, k := range order {
			if scope[i] {
				if err := st.load(ctx, c, k); err != nil {
					return nil, err
				}
			}
		}
	} else {
		for i, k := range order {
			if scope[i] {
				if err := st.reconcile(ctx, c, k); err != nil {
					return nil, err
				}
			}
		}
	}
	p := &planner{owner: o.Owner, prune: o.Prune, st: st, entries: entries}
	if len(entries[kindIndex(hcn.KindLoadBalancer)]) > 0 {
		ok, err := c.Supports(ctx, hcn.FeatureModifyLoadBalancer)
		if err != nil {
			return nil, err
		}
		p.lbModify = ok
	}
	if err := p.plan(); err != nil {
		return nil, err
	}
	return &Changes{Actions: p.actions(), Observed: st, owner: o.Owner}, nil
}

// scopeOf is the families Plan must read: those with entries, those named
// by a reference, and every family when pruning.
func scopeOf(entries [len(order)][]*entry, prune bool) [len(order)]bool {
	var s [len(order)]bool
	for i, es := range entries {
		if prune {
			s[i] = true
		}
		for _, e := range es {
			s[i] = true
			_ = eachRef(e.doc, func(_ string, ref *hcn.ID, k hcn.Kind) error {
				if !isGUID(*ref) {
					s[kindIndex(k)] = true
				}
				return nil
			})
		}
	}
	return s
}

// planner holds the work of one Plan.
type planner struct {
	owner    string
	prune    bool
	lbModify bool
	st       *State
	entries  [len(order)][]*entry

	// byName maps network and endpoint names to the id they will have.
	byName [2]map[string]hcn.ID
	// names maps endpoint ids to names, for display.
	epNames map[hcn.ID]string
	// claimed are the observed objects some entry matched.
	claimed [len(order)]map[hcn.ID]bool
	// gone are objects an earlier action deletes as a side effect: the
	// endpoints of a replaced network; detached are endpoints an earlier
	// action removes from their namespace.
	gone     map[hcn.ID]bool
	detached map[hcn.ID]bool
	fwd      [len(order)][]Action
	del      [len(order)][]Action

	// byNameObs and byKey index the observed objects per family: by name
	// (networks, endpoints) and, among those carrying the owner tag, by key
	// (load balancers, routes); seenKeys are the keys of earlier entries.
	byNameObs [len(order)]map[string][]hcn.Document
	byKey     [len(order)]map[string][]hcn.Document
	seenKeys  [len(order)]map[string]*entry
}

// index builds the indexes of family i from its observed objects.
func (p *planner) index(i int, obs []hcn.Document) {
	p.byNameObs[i] = map[string][]hcn.Document{}
	p.byKey[i] = map[string][]hcn.Document{}
	p.seenKeys[i] = map[string]*entry{}
	for _, d := range obs {
		switch order[i] {
		case hcn.KindNetwork, hcn.KindEndpoint:
			p.byNameObs[i][nameOf(d)] = append(p.byNameObs[i][nameOf(d)], d)
		case hcn.KindLoadBalancer, hcn.KindSDNRoute:
			if ownerOf(d) == p.owner {
				k := key(d)
				p.byKey[i][k] = append(p.byKey[i][k], d)
			}
		}
	}
}

func (p *planner) plan() error {
	p.byName = [2]map[string]hcn.ID{{}, {}}
	p.epNames = map[hcn.ID]string{}
	p.gone = map[hcn.ID]bool{}
	p.detached = map[hcn.ID]bool{}
	for i := range p.claimed {
		p.claimed[i] = map[hcn.ID]bool{}
	}
	for _, d := range p.st.Objects(hcn.KindEndpoint) {
		p.epNames[idOf(d).Canonical()] = nameOf(d)
	}
	for i, k := range order {
		p.index(i, p.st.Objects(k))
	}
	for i, k := range order {
		obs := p.st.Objects(k)
		for _, e := range p.entries[i] {
			if err := p.entry(e, obs); err != nil {
				return err
			}
		}
	}
	if p.prune {
		for i, k := range order {
			for _, d := range p.st.Objects(k) {
				id := idOf(d).Canonical()
				if p.claimed[i][id] || ownerOf(d) != p.owner || id == hcn.HostDefaultNamespaceID.Canonical() {
					continue
				}
				p.del[i] = append(p.del[i], Action{Op: Delete, Kind: k, ID: idOf(d), Name: p.label(d), old: d})
			}
		}
	}
	return nil
}

// actions orders the plan.
func (p *planner) actions() []Action {
	var out []Action
	for i := len(order) - 1; i >= 0; i-- {
		out = append(out, p.del[i]...)
	}
	for i := range order {
		out = append(out, p.fwd[i]...)
	}
	return out
}

// resolve rewrites e's name references to ids.
func (p *planner) resolve(e *entry) error {
	return eachRef(e.doc, func(member string, ref *hcn.ID, k hcn.Kind) error {
		if isGUID(*ref) {
			*ref = ref.Canonical()
			return nil
		}
		name := string(*ref)
		m := p.byName[kindIndex(k)]
		if id, ok := m[name]; ok {
			*ref = id
			return nil
		}
		// A name of the host's: the object carrying the owner tag first,
		// else the first in id order.
		var found hcn.Document
		for _, d := range p.byNameObs[kindIndex(k)][name] {
			if nameOf(d) == name && (found == nil || ownerOf(found) != p.owner && ownerOf(d) == p.owner) {
				found = d
			}
		}
		if found == nil || p.gone[idOf(found).Canonical()] {
			return inputErr(e.at(member), name, "no such "+kindWord(k), nil)
		}
		*ref = idOf(found).Canonical()
		return nil
	})
}

// match finds the observed object an entry means: by id when it gives one;
// else networks and endpoints by name (the one carrying the owner tag
// first), the other families by key among objects carrying the owner tag.
func (p *planner) match(e *entry, obs []hcn.Document) hcn.Document {
	i := kindIndex(e.kind)
	if id := idOf(e.doc); !id.IsZero() {
		d := p.st.Get(e.kind, id)
		if d != nil && p.claimed[i][id.Canonical()] {
			return nil
		}
		return d
	}
	var found hcn.Document
	switch e.kind {
	case hcn.KindNetwork, hcn.KindEndpoint:
		name := nameOf(e.doc)
		for _, d := range p.byNameObs[i][name] {
			if nameOf(d) != name || p.claimed[i][idOf(d).Canonical()] {
				continue
			}
			if found == nil || ownerOf(found) != p.owner && ownerOf(d) == p.owner {
				found = d
			}
		}
	case hcn.KindNamespace:
		// An endpoint is in at most one namespace: the namespace meant is
		// the one holding most of the entry's endpoints (one without
		// endpoints means one without endpoints).
		want := idSet(e.doc.(*hcn.Namespace).EndpointIDs())
		best := 0
		for _, d := range obs {
			id := idOf(d).Canonical()
			if ownerOf(d) != p.owner || p.claimed[i][id] || id == hcn.HostDefaultNamespaceID.Canonical() {
				continue
			}
			have := idSet(d.(*hcn.Namespace).EndpointIDs())
			n := 0
			for _, x := range have {
				if contains(want, x) {
					n++
				}
			}
			if n > best || len(want) == 0 && len(have) == 0 && found == nil {
				found, best = d, n
			}
		}
	default:
		for _, d := range p.byKey[i][key(e.doc)] {
			if !p.claimed[i][idOf(d).Canonical()] {
				return d
			}
		}
	}
	return found
}

// entry plans one desired entry.
func (p *planner) entry(e *entry, obs []hcn.Document) error {
	i := kindIndex(e.kind)
	if err := p.resolve(e); err != nil {
		return err
	}
	if err := e.doc.Validate(); err != nil {
		return inputErr(e.at(""), "", "invalid document", err)
	}
	if i >= kindIndex(hcn.KindNamespace) {
		// Keys are unique among entries; an endpoint is in one namespace.
		k := key(e.doc)
		if ns, ok := e.doc.(*hcn.Namespace); ok {
			want := idSet(ns.EndpointIDs())
			for _, o := range p.entries[i] {
				if o == e {
					break
				}
				for _, x := range o.doc.(*hcn.Namespace).EndpointIDs() {
					if contains(want, x.Canonical()) {
						return inputErr(e.at("Resources"), p.epNames[x.Canonical()], "endpoint already in "+o.at(""), nil)
					}
				}
			}
		} else if idOf(e.doc).IsZero() {
			if o := p.seenKeys[i][k]; o != nil {
				return inputErr(e.at(""), p.label(e.doc), "duplicate of "+o.at(""), nil)
			}
			p.seenKeys[i][k] = e
		}
	}
	old := p.match(e, obs)
	if old != nil && p.gone[idOf(old).Canonical()] {
		old, e.doc = nil, withID(e.doc, idOf(old))
	}
	id, b := base(e.doc)
	if old != nil {
		*id = idOf(old).Canonical()
		p.claimed[i][*id] = true
		b.Owner = ownerOf(old)
	} else {
		if id.IsZero() {
			*id = hcn.NewGUID().ID()
		}
		*id = id.Canonical()
		b.Owner = p.owner
	}
	if i < 2 {
		p.byName[i][nameOf(e.doc)] = *id
		if e.kind == hcn.KindEndpoint {
			p.epNames[*id] = nameOf(e.doc)
		}
	}
	a := Action{Kind: e.kind, ID: *id, Name: p.label(e.doc), Entry: e.at(""), doc: e.doc, old: old}
	if old == nil {
		a.Op = Create
		if p.st.Get(e.kind, *id) != nil {
			// The id's object was deleted by an earlier action.
			a.Op, a.Reason = Replace, "deleted with its network"
		}
		p.created(e.kind, *id)
		p.fwd[i] = append(p.fwd[i], a)
		return nil
	}
	view := p.view(old)
	diffs, err := diff(e.doc, view)
	if err != nil {
		return inputErr(e.at(""), "", "invalid document", err)
	}
	if e.kind == hcn.KindNamespace {
		diffs = slices.DeleteFunc(diffs, func(d Diff) bool { return strings.EqualFold(d.Member, "Resources") })
		if d, ok := nsEndpointsDiff(e.doc.(*hcn.Namespace), view.(*hcn.Namespace)); ok {
			diffs = append(diffs, d)
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	a.Diffs, a.old = diffs, view
	a.Op, a.Reason = p.how(e.kind, diffs)
	if a.Op == Replace {
		p.created(e.kind, *id)
	}
	p.fwd[i] = append(p.fwd[i], a)
	return nil
}

// created notes the side effects of (re)creating an object: a replaced
// network takes its endpoints with it; a recreated endpoint is in no
// namespace.
func (p *planner) created(k hcn.Kind, id hcn.ID) {
	switch k {
	case hcn.KindNetwork:
		for _, d := range p.st.Objects(hcn.KindEndpoint) {
			if ep := d.(*hcn.Endpoint); ep.HostComputeNetwork.Equal(id) {
				p.gone[idOf(d).Canonical()] = true
				p.detached[idOf(d).Canonical()] = true
			}
		}
	case hcn.KindEndpoint:
		p.detached[id] = true
	}
}

// view is old as it will be when its action runs: without the endpoints
// earlier actions detach.
func (p *planner) view(old hcn.Document) hcn.Document {
	ns, ok := old.(*hcn.Namespace)
	if !ok || len(p.detached) == 0 {
		return old
	}
	cp := *ns
	cp.Resources = slices.DeleteFunc(slices.Clone(ns.Resources), func(r hcn.NamespaceResource) bool {
		return r.Type.Is(hcn.NamespaceResourceEndpoint) && p.detached[r.Data.ID.Canonical()]
	})
	return &cp
}

// how decides between an update in place and a replacement.
func (p *planner) how(k hcn.Kind, diffs []Diff) (Op, string) {
	var inPlace map[string]bool
	switch k {
	case hcn.KindNetwork:
		inPlace = map[string]bool{"policies": true, "dns": true}
	case hcn.KindEndpoint:
		inPlace = map[string]bool{"policies": true}
	case hcn.KindNamespace:
		inPlace = map[string]bool{"endpoints": true}
	case hcn.KindLoadBalancer:
		if !p.lbModify {
			return Replace, "the service cannot modify load balancers"
		}
		return Update, ""
	case hcn.KindSDNRoute:
		return Update, ""
	}
	var fixed []string
	for _, d := range diffs {
		if !inPlace[strings.ToLower(d.Member)] {
			fixed = append(fixed, d.Member)
		}
	}
	if len(fixed) > 0 {
		return Replace, strings.Join(fixed, ", ") + " cannot be modified in place"
	}
	return Update, ""
}

// nsEndpointsDiff compares the endpoints of two namespaces as sets.
func nsEndpointsDiff(d, o *hcn.Namespace) (Diff, bool) {
	want, have := idSet(d.EndpointIDs()), idSet(o.EndpointIDs())
	if slices.Equal(want, have) {
		return Diff{}, false
	}
	return Diff{Member: "Endpoints", Old: strings.Join(ids2s(have), ","), New: strings.Join(ids2s(want), ",")}, true
}

func idSet(ids []hcn.ID) []hcn.ID {
	out := make([]hcn.ID, len(ids))
	for i, id := range ids {
		out[i] = id.Canonical()
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func ids2s(ids []hcn.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// label is how a plan names an object.
func (p *planner) label(d hcn.Document) string {
	switch d := d.(type) {
	case *hcn.Network, *hcn.Endpoint:
		return nameOf(d)
	case *hcn.Namespace:
		var names []string
		for _, id := range d.EndpointIDs() {
			n := p.epNames[id.Canonical()]
			if n == "" {
				n = string(id)
			}
			names = append(names, n)
		}
		slices.Sort(names)
		return "[" + strings.Join(names, " ") + "]"
	case *hcn.SDNRoute:
		var dests []string
		for _, r := range d.Routes {
			dests = append(dests, prefixText(r.DestinationPrefix))
		}
		slices.Sort(dests)
		return p.netName(d.HostComputeNetwork) + ">" + strings.Join(dests, ",")
	}
	return key(d)
}

// netName is a network's name for display, else its id.
func (p *planner) netName(id hcn.ID) string {
	for n, x := range p.byName[0] {
		if x.Equal(id) {
			return n
		}
	}
	if d := p.st.Get(hcn.KindNetwork, id); d != nil && nameOf(d) != "" {
		return nameOf(d)
	}
	return string(id)
}

// withID returns a copy of d with its ID set.
func withID(d hcn.Document, id hcn.ID) hcn.Document {
	c, err := clone(d)
	if err != nil {
		return d
	}
	i, _ := base(c)
	*i = id
	return c
}
