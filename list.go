package hcn

import (
	"context"
	"encoding/json"
	"net/netip"
	"sync"
	"sync/atomic"
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
	Network GUID
	// Namespace keeps endpoints attached to this namespace
	// (HostComputeNamespace).
	Namespace GUID
	// IP keeps endpoints with this address in their IpConfigurations, and
	// load balancers with it among their FrontendVIPs or as SourceVIP.
	IP netip.Addr
	// Detailed sets the query's Detailed flag (Flags 1): the service may
	// return more fields per object.
	Detailed bool
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

// fetched is one object read by a list: its id and properties JSON.
type fetched struct {
	id    GUID
	props string
}

// fetchAll reads every id with HcnOpen + HcnQueryProperties + HcnClose
// (exactly 3 calls each when nothing fails), at most c.par at once. An
// object deleted before or while it is read (ErrNotFound) is skipped. The
// result keeps the order of ids. The first other failure stops the list
// and is returned; every handle is closed on every path.
func (c *Client) fetchAll(ctx context.Context, kind Kind, ids []GUID, query string) ([]fetched, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	results := make([]fetched, len(ids))
	found := make([]bool, len(ids))
	var (
		next     atomic.Int64
		stop     atomic.Bool // set by the first failure
		errOnce  sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	worker := func() {
		defer wg.Done()
		for {
			i := int(next.Add(1) - 1)
			if i >= len(ids) || stop.Load() || ctx.Err() != nil {
				return
			}
			props, err := c.readObject(ctx, kind, ids[i], query)
			switch {
			case err == nil:
				results[i], found[i] = fetched{ids[i], props}, true
			case IsNotFound(err):
				c.log.Debug("hcn: object vanished during a list", "kind", kind.String(), "id", ids[i].String())
			default:
				errOnce.Do(func() { firstErr = err; stop.Store(true) })
				return
			}
		}
	}
	n := min(c.par, len(ids))
	wg.Add(n)
	for range n - 1 {
		go worker()
	}
	worker()
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := results[:0]
	for i, r := range results {
		if found[i] {
			out = append(out, r)
		}
	}
	return out, nil
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
