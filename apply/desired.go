package apply

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hcnkit/hcn"
)

// Desired is the state to converge to: each entry is the service's own
// document (what `hcnctl get -o yaml` prints), except that where the
// service wants an id an entry may give a name instead:
//
//   - an endpoint's HostComputeNetwork, and a load balancer's or route's,
//     may name a network of Networks or of the host;
//   - a load balancer's or route's HostComputeEndpoints, and a namespace's
//     endpoint resources ({"Type":"Endpoint","Data":{"ID":"web-1"}}), may
//     name endpoints of Endpoints or of the host.
//
// Only the members an entry sets are compared with the object; ids may be
// given (the object with that id is meant) or left out.
type Desired struct {
	Networks      []*hcn.Network      `json:"networks,omitempty"`
	Endpoints     []*hcn.Endpoint     `json:"endpoints,omitempty"`
	Namespaces    []*hcn.Namespace    `json:"namespaces,omitempty"`
	LoadBalancers []*hcn.LoadBalancer `json:"loadBalancers,omitempty"`
	Routes        []*hcn.SDNRoute     `json:"routes,omitempty"`
}

// InputError is a desired entry Plan cannot use: a reference to nothing,
// a duplicate, an invalid document. Entry names it as
// "endpoints[2].HostComputeNetwork". It wraps hcn.ErrInvalid.
type InputError struct {
	// Entry is the entry and member at fault.
	Entry string
	// Value is the offending value, when there is one.
	Value string
	// Problem says what is wrong.
	Problem string
	// Err is the underlying error, if any.
	Err error
}

func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString(e.Entry)
	if e.Value != "" {
		fmt.Fprintf(&b, " %q", e.Value)
	}
	b.WriteString(": ")
	b.WriteString(e.Problem)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns hcn.ErrInvalid and the underlying error.
func (e *InputError) Unwrap() []error {
	if e.Err != nil {
		return []error{hcn.ErrInvalid, e.Err}
	}
	return []error{hcn.ErrInvalid}
}

func inputErr(entry, value, problem string, err error) error {
	return &InputError{Entry: entry, Value: value, Problem: problem, Err: err}
}

// entry is one desired document, copied, with where it came from.
type entry struct {
	kind  hcn.Kind
	index int
	doc   hcn.Document
}

func (e *entry) at(member string) string {
	s := fmt.Sprintf("%s[%d]", listField(e.kind), e.index)
	if member != "" {
		s += "." + member
	}
	return s
}

// placeholder stands in for name references while a document is checked
// before they are resolved.
const placeholder hcn.ID = "00000000-0000-0000-0000-00000000a991"

// isGUID reports whether a reference is an id rather than a name.
func isGUID(s hcn.ID) bool {
	_, err := s.GUID()
	return err == nil
}

// prepare copies and checks the desired entries without any call:
// documents that decode and validate (references aside), names present and
// unique, ids well-formed and unique, owner tags that agree with owner.
func prepare(d *Desired, owner string) ([len(order)][]*entry, error) {
	var out [len(order)][]*entry
	if d == nil {
		return out, nil
	}
	add := func(k hcn.Kind, i int, doc hcn.Document) error {
		e := &entry{kind: k, index: i}
		if doc == nil {
			return inputErr(e.at(""), "", "must not be null", nil)
		}
		c, err := clone(doc)
		if err != nil {
			return inputErr(e.at(""), "", "invalid document", err)
		}
		e.doc = c
		out[kindIndex(k)] = append(out[kindIndex(k)], e)
		return nil
	}
	for i, x := range d.Networks {
		if err := add(hcn.KindNetwork, i, nilOr(x)); err != nil {
			return out, err
		}
	}
	for i, x := range d.Endpoints {
		if err := add(hcn.KindEndpoint, i, nilOr(x)); err != nil {
			return out, err
		}
	}
	for i, x := range d.Namespaces {
		if err := add(hcn.KindNamespace, i, nilOr(x)); err != nil {
			return out, err
		}
	}
	for i, x := range d.LoadBalancers {
		if err := add(hcn.KindLoadBalancer, i, nilOr(x)); err != nil {
			return out, err
		}
	}
	for i, x := range d.Routes {
		if err := add(hcn.KindSDNRoute, i, nilOr(x)); err != nil {
			return out, err
		}
	}
	for _, es := range out {
		ids := map[hcn.ID]*entry{}
		names := map[string]*entry{}
		for _, e := range es {
			id, b := base(e.doc)
			if !id.IsZero() {
				if !isGUID(*id) {
					return out, inputErr(e.at("ID"), string(*id), "not a GUID", nil)
				}
				if p := ids[id.Canonical()]; p != nil {
					return out, inputErr(e.at("ID"), string(*id), "duplicate of "+p.at(""), nil)
				}
				ids[id.Canonical()] = e
			}
			if b.Owner != "" && b.Owner != owner {
				return out, inputErr(e.at("Owner"), b.Owner, fmt.Sprintf("differs from the owner tag %q", owner), nil)
			}
			if e.kind == hcn.KindNetwork || e.kind == hcn.KindEndpoint {
				n := nameOf(e.doc)
				if n == "" {
					return out, inputErr(e.at("Name"), "", "required", nil)
				}
				if isGUID(hcn.ID(n)) {
					return out, inputErr(e.at("Name"), n, "a name that reads as a GUID cannot be referred to", nil)
				}
				if p := names[n]; p != nil {
					return out, inputErr(e.at("Name"), n, "duplicate of "+p.at(""), nil)
				}
				names[n] = e
			}
			if err := checkStatic(e, out); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// nilOr turns a typed nil into a nil Document.
func nilOr[T any, P interface {
	*T
	hcn.Document
}](p P) hcn.Document {
	if p == nil {
		return nil
	}
	return p
}

// checkStatic validates a copy of e's document with its name references
// replaced by a placeholder id, and checks that each name reference to a
// kind of Desired names an entry or is left for the host to answer.
func checkStatic(e *entry, _ [len(order)][]*entry) error {
	c, err := clone(e.doc)
	if err != nil {
		return inputErr(e.at(""), "", "invalid document", err)
	}
	err = eachRef(c, func(member string, ref *hcn.ID, _ hcn.Kind) error {
		if ref.IsZero() {
			return inputErr(e.at(member), "", "empty reference", nil)
		}
		if !isGUID(*ref) {
			*ref = placeholder
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return inputErr(e.at(""), "", "invalid document", err)
	}
	return nil
}

// eachRef calls fn for each member of d that refers to another object:
// its member path, the reference (which fn may rewrite) and the kind it
// refers to.
func eachRef(d hcn.Document, fn func(member string, ref *hcn.ID, k hcn.Kind) error) error {
	switch d := d.(type) {
	case *hcn.Endpoint:
		if d.HostComputeNetwork.IsZero() {
			return nil
		}
		return fn("HostComputeNetwork", &d.HostComputeNetwork, hcn.KindNetwork)
	case *hcn.Namespace:
		for i := range d.Resources {
			r := &d.Resources[i]
			if r.Type.Is(hcn.NamespaceResourceEndpoint) {
				if err := fn(fmt.Sprintf("Resources[%d].Data.ID", i), &r.Data.ID, hcn.KindEndpoint); err != nil {
					return err
				}
			}
		}
	case *hcn.LoadBalancer:
		return netAndEndpoints(&d.HostComputeNetwork, d.HostComputeEndpoints, fn)
	case *hcn.SDNRoute:
		return netAndEndpoints(&d.HostComputeNetwork, d.HostComputeEndpoints, fn)
	}
	return nil
}

func netAndEndpoints(n *hcn.ID, eps []hcn.ID, fn func(string, *hcn.ID, hcn.Kind) error) error {
	if !n.IsZero() {
		if err := fn("HostComputeNetwork", n, hcn.KindNetwork); err != nil {
			return err
		}
	}
	for i := range eps {
		if err := fn(fmt.Sprintf("HostComputeEndpoints[%d]", i), &eps[i], hcn.KindEndpoint); err != nil {
			return err
		}
	}
	return nil
}

// key is how an entry of a family without names is recognised when it
// gives no id: a namespace by its endpoints, a load balancer by its
// frontends (VIP, protocol, external port), a route by its network and
// destinations. References must be resolved to ids.
func key(d hcn.Document) string {
	var parts []string
	switch d := d.(type) {
	case *hcn.Namespace:
		for _, id := range d.EndpointIDs() {
			parts = append(parts, string(id.Canonical()))
		}
		sort.Strings(parts)
		return strings.Join(parts, ",")
	case *hcn.LoadBalancer:
		vips := d.FrontendVIPs
		if len(vips) == 0 {
			vips = []string{""}
		}
		for _, m := range d.PortMappings {
			port := m.ExternalPort
			if port == 0 {
				port = m.InternalPort
			}
			for _, v := range vips {
				parts = append(parts, fmt.Sprintf("%s:%s/%d", addrText(v), protoText(m.Protocol), port))
			}
		}
		sort.Strings(parts)
		return strings.Join(parts, ",")
	case *hcn.SDNRoute:
		for _, r := range d.Routes {
			parts = append(parts, prefixText(r.DestinationPrefix))
		}
		sort.Strings(parts)
		return string(d.HostComputeNetwork.Canonical()) + ">" + strings.Join(parts, ",")
	}
	return ""
}

func addrText(s string) string {
	if s == "" {
		return "*"
	}
	if a, err := parseAddr(s); err == nil {
		return a
	}
	return strings.ToLower(s)
}

func protoText(p hcn.Protocol) string {
	switch p {
	case 6:
		return "tcp"
	case 17:
		return "udp"
	}
	return fmt.Sprint(uint32(p))
}
