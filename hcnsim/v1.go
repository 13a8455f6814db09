package hcnsim

// HNS v1 (vmcompute.dll!HNSCall) over the same state the v2 calls see.
//
// A call flows: hnsV1 parses the path into collection / id / action
// (parseV1), finds the route of that shape and method in v1Routes, runs its
// handler (which translates the v1 document to v2, applies the v2 rules
// through the same internal functions HcnCreate*/HcnDelete* use, and renders
// the v1 view back), and wraps the answer in the v1 envelope. Every refusal
// is a {"Success":false,...} envelope, never an error (see HNSCall).

import (
	"strings"

	"github.com/hcnkit/hcn"
)

// v1Request is one parsed HNSCall.
type v1Request struct {
	method string // upper case
	coll   string // first path segment, lower case
	id     string // second segment as sent; "" for the collection
	action string // third segment, lower case
	body   string
}

// v1Route is one path shape and method a collection answers.
type v1Route struct {
	method string
	withID bool
	action string
	fn     func(s *Sim, r *v1Request) (any, error)
}

// v1Routes lists what each collection answers (see the package doc).
var v1Routes = map[string][]v1Route{
	"globals":       {{"GET", true, "", (*Sim).v1Globals}},
	"endpointstats": {{"GET", true, "", (*Sim).v1EndpointStats}},
	"networks": {
		{"GET", false, "", (*Sim).v1ListNetworks},
		{"GET", true, "", (*Sim).v1GetNetwork},
		{"POST", false, "", (*Sim).v1CreateNetwork},
		{"DELETE", true, "", (*Sim).v1DeleteNetwork},
	},
	"endpoints": {
		{"GET", false, "", (*Sim).v1ListEndpoints},
		{"GET", true, "", (*Sim).v1GetEndpoint},
		{"POST", false, "", (*Sim).v1CreateEndpoint},
		{"POST", true, "", (*Sim).v1UpdateEndpoint},
		{"DELETE", true, "", (*Sim).v1DeleteEndpoint},
		{"POST", true, "attach", (*Sim).v1Attach},
		{"POST", true, "detach", (*Sim).v1Detach},
	},
	"policylists": {
		{"GET", false, "", (*Sim).v1ListPolicyLists},
		{"GET", true, "", (*Sim).v1GetPolicyList},
		{"POST", false, "", (*Sim).v1CreatePolicyList},
		{"DELETE", true, "", (*Sim).v1DeletePolicyList},
	},
	"namespaces": {
		{"GET", false, "", (*Sim).v1ListNamespaces},
		{"GET", true, "", (*Sim).v1GetNamespace},
		{"POST", false, "", (*Sim).v1CreateNamespace},
		{"DELETE", true, "", (*Sim).v1DeleteNamespace},
		{"POST", true, "addresource", (*Sim).v1AddResource},
		{"POST", true, "removeresource", (*Sim).v1RemoveResource},
	},
	"accelnet": {
		{"GET", false, "", (*Sim).v1GetNnvMacs},
		{"POST", false, "", (*Sim).v1SetNnvMacs},
		{"DELETE", false, "", (*Sim).v1DeleteNnvMacs},
	},
}

// hnsV1 answers one HNSCall with the v1 envelope.
func (s *Sim) hnsV1(method, path, body string) string {
	r, err := parseV1(method, path, body)
	var out any
	if err == nil {
		out, err = s.v1Dispatch(r)
	}
	if err != nil {
		return v1Error(err)
	}
	if out == nil {
		return `{"Success":true}`
	}
	return marshal(obj{"Success": true, "Output": out})
}

// parseV1 splits "/coll[/id[/action]][/]" (any case) into a request.
func parseV1(method, path, body string) (*v1Request, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, fail(hcn.E_INVALIDARG, "path %q", path)
	}
	segs := strings.Split(strings.TrimRight(path[1:], "/"), "/")
	if len(segs) > 3 || segs[0] == "" {
		return nil, fail(hcn.E_INVALIDARG, "%s %s", method, path)
	}
	for _, sg := range segs {
		if sg == "" {
			return nil, fail(hcn.E_INVALIDARG, "%s %s", method, path)
		}
	}
	r := &v1Request{method: strings.ToUpper(method), coll: strings.ToLower(segs[0]), body: body}
	if len(segs) > 1 {
		r.id = segs[1]
	}
	if len(segs) > 2 {
		r.action = strings.ToLower(segs[2])
	}
	return r, nil
}

// v1Dispatch runs the route of r's shape and method: a shape no route has
// is an unknown path (E_INVALIDARG), a known shape with another method is
// HCN_E_REQUEST_UNSUPPORTED.
func (s *Sim) v1Dispatch(r *v1Request) (any, error) {
	known := false
	for _, rt := range v1Routes[r.coll] {
		if rt.withID != (r.id != "") || rt.action != r.action {
			continue
		}
		known = true
		if rt.method == r.method {
			return rt.fn(s, r)
		}
	}
	if known {
		return nil, fail(hcn.HCN_E_REQUEST_UNSUPPORTED, "%s /%s", r.method, r.coll)
	}
	return nil, r.unknown()
}

func (r *v1Request) unknown() error {
	p := "/" + r.coll
	if r.id != "" {
		p += "/" + r.id
	}
	if r.action != "" {
		p += "/" + r.action
	}
	return fail(hcn.E_INVALIDARG, "%s %s", r.method, p)
}

// v1Error is the failure envelope {"Success":false,"Error":"<message> ",
// "ErrorCode":<hr>}.
func v1Error(err error) string {
	if f, ok := err.(*failure); ok {
		return recordText(f.hr, f.detail)
	}
	return recordText(hcn.E_FAIL, err.Error())
}

// v1ID is how HNS v1 writes an id: upper case, no braces.
func v1ID(id hcn.GUID) string { return strings.ToUpper(id.String()) }

// v1NotFound is the v1 failure for a path id that names nothing: the
// Win32 ERROR_NOT_FOUND text "Element not found.", which clients match.
func v1NotFound(what, id string) error {
	return fail(hcn.ERROR_NOT_FOUND, "%s %s", what, id)
}

// v1Lookup finds the object of kind k a path id names.
func (st *state) v1Lookup(k hcn.Kind, text string) (*object, error) {
	g, err := hcn.ParseGUID(text)
	if err != nil {
		return nil, v1NotFound(strings.ToLower(k.String()), text)
	}
	o := st.get(k, g)
	if o == nil {
		return nil, v1NotFound(strings.ToLower(k.String()), text)
	}
	return o, nil
}

// v1List renders every object of kind k in creation order.
func (s *Sim) v1List(k hcn.Kind, view func(st *state, o *object) obj) (any, error) {
	out := []any{}
	err := s.read(func(st *state) error {
		for _, id := range st.enumerate(k, &query{}) {
			out = append(out, view(st, st.get(k, id)))
		}
		return nil
	})
	return out, err
}

// v1Get renders the object of kind k the path id names.
func (s *Sim) v1Get(k hcn.Kind, id string, view func(st *state, o *object) obj) (any, error) {
	var out obj
	err := s.read(func(st *state) error {
		o, err := st.v1Lookup(k, id)
		if err == nil {
			out = view(st, o)
		}
		return err
	})
	return out, err
}

func (s *Sim) v1Globals(r *v1Request) (any, error) {
	if !strings.EqualFold(r.id, "version") {
		return nil, r.unknown()
	}
	v := s.ServiceVersion()
	return obj{"Major": num(uint64(v.Major)), "Minor": num(uint64(v.Minor))}, nil
}

func (s *Sim) v1EndpointStats(r *v1Request) (any, error) {
	var out string
	err := s.read(func(st *state) error {
		o, err := st.v1Lookup(hcn.KindEndpoint, r.id)
		if err == nil {
			out = statsJSON(o)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return rawJSON(out), nil
}

// rawJSON is JSON text placed as is in an envelope.
type rawJSON string

func (j rawJSON) MarshalJSON() ([]byte, error) { return []byte(j), nil }
