package hcn

import (
	"context"
	"encoding/json"
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
//
// Filters combine: with Namespace set, the others are checked on the
// endpoints the namespace names.
type ListOptions struct {
	// Name keeps objects whose Name is exactly this.
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
	// Detailed sets the query's Detailed flag (Flags 1): the service may
	// return more fields per object.
	Detailed bool
}

// check refuses ids in opts that are not GUIDs, before any call; op is
// the List method.
func (o *ListOptions) check(op string, kind Kind) error {
	if o == nil {
		return nil
	}
	for _, f := range []struct {
		name string
		id   ID
	}{{"ListOptions.Network", o.Network}, {"ListOptions.Namespace", o.Namespace}} {
		if _, err := parseID(f.name, f.id); err != nil {
			return opError(op, kind, "", err)
		}
	}
	return nil
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
