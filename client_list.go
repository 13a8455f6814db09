package hcn

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
)

// ListOptions filters a list. A nil *ListOptions lists everything; each
// zero field means "no filter on this". Every filter is checked on the
// fetched documents, so the result is right whether or not the service
// applied it; what a filter changes is how many objects are fetched.
//
// A list costs 1+3N service calls: HcnEnumerate<Kind>s, then HcnOpen,
// HcnQueryProperties and HcnClose of each of the N ids it returns. The
// filters change N as follows (k is the number of objects that match):
//
//   - Name is sent in the enumerate query ({"Name":...}), which the service
//     applies: 1+3k calls.
//   - Network, for endpoints, is sent as {"VirtualNetwork":...}, which the
//     service applies: 1+3k calls. For load balancers and SDN routes it is
//     checked on the documents only (the service is not known to apply a
//     network filter to them): 1+3N calls.
//   - Namespace (endpoints only) reads the namespace instead of
//     enumerating: its Resources name its endpoints, so the list costs 3
//     calls for the namespace and 3 for each endpoint it names: 3+3k. The
//     result is then in the namespace's order (the order the endpoints were
//     added to it), not the enumeration order; an endpoint it names that
//     was deleted meanwhile is skipped, and a namespace that does not
//     exist lists nothing.
//   - IP is checked on the documents only: the service's query filter has
//     no address key known to work. It costs what the other filters leave
//     (1+3N alone).
//   - Endpoint (load balancers and SDN routes) is checked on the documents
//     only: 1+3N calls.
//
// Each List applies only the filters that fit its kind (each field says
// which); a filter set for a kind it does not fit (a Name for load
// balancers, which have none) is refused with ErrInvalid naming the field,
// before any call, rather than ignored, which would list every object.
//
// Filters combine: with Namespace set, the others are checked on the
// endpoints the namespace names.
type ListOptions struct {
	// Name keeps networks and endpoints whose Name is exactly this.
	Name string
	// Network keeps endpoints, load balancers and SDN routes on this
	// network (HostComputeNetwork).
	Network ID
	// Namespace keeps endpoints attached to this namespace
	// (HostComputeNamespace).
	Namespace ID
	// IP keeps endpoints with this address in their IpConfigurations, and
	// load balancers with it among their FrontendVIPs or as SourceVIP.
	IP netip.Addr
	// Endpoint keeps load balancers and SDN routes that have this endpoint
	// among their HostComputeEndpoints (to find what still names an
	// endpoint before it is deleted).
	Endpoint ID
	// Detailed sets the query's Detailed flag (Flags 1): the service may
	// return more fields per object.
	Detailed bool
}

// A filter of ListOptions, by the kinds whose List applies it.
const (
	filterName = 1 << iota
	filterNetwork
	filterNamespace
	filterIP
	filterEndpoint
)

// listFilters are the filters each kind's List applies (Detailed applies
// to every kind).
var listFilters = [...]int{
	KindNetwork:             filterName,
	KindEndpoint:            filterName | filterNetwork | filterNamespace | filterIP,
	KindNamespace:           0,
	KindLoadBalancer:        filterNetwork | filterIP | filterEndpoint,
	KindSDNRoute:            filterNetwork | filterEndpoint,
	KindGuestNetworkService: 0,
}

// check refuses, before any call, ids in opts that are not GUIDs, and a
// filter that kind's List cannot apply (a load balancer has no name, for
// one): ignoring it would return every object, which a caller about to
// delete what it lists does not expect. op is the List method.
func (o *ListOptions) check(op string, kind Kind) error {
	if o == nil {
		return nil
	}
	for _, f := range []struct {
		name string
		id   ID
	}{{"ListOptions.Network", o.Network}, {"ListOptions.Namespace", o.Namespace}, {"ListOptions.Endpoint", o.Endpoint}} {
		if _, err := parseID(f.name, f.id); err != nil {
			return opError(op, kind, "", err)
		}
	}
	applies := 0
	if kind.Valid() && int(kind) < len(listFilters) {
		applies = listFilters[kind]
	}
	ip := ""
	if o.IP.IsValid() {
		ip = o.IP.String()
	}
	for _, f := range []struct {
		bit          int
		value, field string
		kinds        string
	}{
		{filterName, o.Name, "ListOptions.Name", "networks and endpoints"},
		{filterNetwork, string(o.Network), "ListOptions.Network", "endpoints, load balancers and SDN routes"},
		{filterNamespace, string(o.Namespace), "ListOptions.Namespace", "endpoints"},
		{filterIP, ip, "ListOptions.IP", "endpoints and load balancers"},
		{filterEndpoint, string(o.Endpoint), "ListOptions.Endpoint", "load balancers and SDN routes"},
	} {
		if f.value != "" && applies&f.bit == 0 {
			return opError(op, kind, "", &ValidationError{Path: f.field, Value: f.value,
				Reason: fmt.Sprintf("does not filter %s (it filters %s)", kindPlural(kind), f.kinds)})
		}
	}
	return nil
}

// keepMember reports whether members (HostComputeEndpoints) pass the
// Endpoint filter.
func (o *ListOptions) keepMember(members []ID) bool {
	if o == nil || o.Endpoint == "" {
		return true
	}
	g, err := o.Endpoint.GUID()
	return err == nil && hasID(members, g)
}

// kindPlural names kind's objects in an error message.
func kindPlural(kind Kind) string {
	switch kind {
	case KindNetwork:
		return "networks"
	case KindEndpoint:
		return "endpoints"
	case KindNamespace:
		return "namespaces"
	case KindLoadBalancer:
		return "load balancers"
	case KindSDNRoute:
		return "SDN routes"
	case KindGuestNetworkService:
		return "guest network services"
	}
	return kind.String() + " objects"
}

// hcnQuery builds an HCN query document: {"SchemaVersion":{"Major":2,
// "Minor":0},"Flags":f,"Filter":"<filter as escaped JSON>"}; the filter is
// omitted when empty.
func hcnQuery(filter map[string]string, detailed bool) string {
	q := struct {
		SchemaVersion struct{ Major, Minor int }
		Flags         int    `json:",omitempty"`
		Filter        string `json:",omitempty"`
	}{}
	q.SchemaVersion.Major = 2
	if detailed {
		q.Flags = 1
	}
	if len(filter) > 0 {
		f, _ := json.Marshal(filter) // a map of strings always marshals
		q.Filter = string(f)
	}
	b, _ := json.Marshal(q)
	return string(b)
}

// defaultQuery is the query every per-object properties read sends.
var defaultQuery = hcnQuery(nil, false)

// propertiesQuery returns the per-object query for opts.
func (o *ListOptions) propertiesQuery() string {
	if o != nil && o.Detailed {
		return hcnQuery(nil, true)
	}
	return defaultQuery
}

// fetched is one object read by a list: its id and properties JSON, and
// whether it was read (false: it vanished during the list).
type fetched struct {
	id    GUID
	props string
	ok    bool
}

// fetchAll reads every id with HcnOpen + HcnQueryProperties + HcnClose
// (exactly 3 calls each when nothing fails). An object deleted before or
// while it is read (ErrNotFound) is skipped. The result keeps the order of
// ids. The first other failure stops the list and is returned; every
// handle is closed on every path.
//
// The reads start one at a time and fan out to at most c.par at once when
// the ones read so far were slow and a trial shows that it pays (see the
// fan-out policy in client_list_fetch.go). The whole list is one unit
// under ctx (abandonable): the method returns ctx.Err() at once when ctx
// ends, and the list then stops before its next call, closing the handle
// it holds.
func (c *Client) fetchAll(ctx context.Context, kind Kind, ids []GUID, query string) ([]fetched, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	l := newLister(ctx, c, kind, ids, query)
	if err := abandonableErr(ctx, func() error { l.run(); return nil }); err != nil {
		return nil, err
	}
	if l.err != nil {
		return nil, l.err
	}
	out := l.results[:0]
	for _, r := range l.results {
		if r.ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// listDocs is the typed list: enumerate with enumQuery, fetch every object
// with propQuery, decode each and keep those keep accepts (nil keeps all).
// A document that does not decode fails the list.
func listDocs[D any](ctx context.Context, c *Client, kind Kind, enumQuery, propQuery string,
	decode func(string) (D, error), keep func(D) bool) ([]D, error) {
	ids, err := c.enumerate(ctx, kind, enumQuery)
	if err != nil {
		return nil, err
	}
	return fetchDocs(ctx, c, kind, ids, propQuery, decode, keep)
}

// fetchDocs is the typed fetch of ids (see fetchAll): each object read
// with propQuery, decoded, and kept when keep (nil keeps all) accepts it.
func fetchDocs[D any](ctx context.Context, c *Client, kind Kind, ids []GUID, propQuery string,
	decode func(string) (D, error), keep func(D) bool) ([]D, error) {
	raw, err := c.fetchAll(ctx, kind, ids, propQuery)
	if err != nil {
		return nil, err
	}
	docs := make([]D, 0, len(raw))
	for _, r := range raw {
		d, err := decode(r.props)
		if err != nil {
			return nil, opError(OpName(VerbQuery, kind), kind, r.id.String(), err)
		}
		if keep == nil || keep(d) {
			docs = append(docs, d)
		}
	}
	return docs, nil
}
