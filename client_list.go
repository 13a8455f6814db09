package hcn

import (
	"context"
	"encoding/json"
	"net/netip"
)

// ListOptions filters a list. A nil *ListOptions lists everything; each
// zero field means "no filter on this". Filters the service understands
// (Name; Network for endpoints) are sent in the enumerate query, and every
// filter is also checked on the fetched documents, so the result is right
// whether or not the service applied them.
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
// fan-out policy in list_fetch.go). A ctx that can end runs
// the whole list on one goroutine, so that the method returns ctx.Err() at
// once when ctx ends: the list then stops before its next call, closing
// the handle it holds.
func (c *Client) fetchAll(ctx context.Context, kind Kind, ids []GUID, query string) ([]fetched, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	l := newLister(ctx, c, kind, ids, query)
	if ctx.Done() == nil {
		l.run()
	} else if err := runUnder(ctx, l.run); err != nil {
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

// runUnder runs fn on a goroutine and waits for it or for ctx, whichever
// ends first; it returns ctx.Err() when ctx does.
func runUnder(ctx context.Context, fn func()) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		select {
		case <-done: // finished just now: its result wins
			return nil
		default:
			return ctx.Err()
		}
	}
}

// listDocs is the typed list: enumerate with enumQuery, fetch every object
// with propQuery, decode each and keep those keep accepts (nil keeps all).
// A document that does not decode fails the list.
func listDocs[D any](ctx context.Context, c *Client, kind Kind, enumQuery, propQuery string,
	decode func(string) (D, error), keep func(*D) bool) ([]D, error) {
	ids, err := c.enumerate(ctx, kind, enumQuery)
	if err != nil {
		return nil, err
	}
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
		if keep == nil || keep(&d) {
			docs = append(docs, d)
		}
	}
	return docs, nil
}
