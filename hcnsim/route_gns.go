package hcnsim

import (
	"net/netip"

	"github.com/hcnkit/hcn"
)

type routeDocIn struct {
	HostComputeNetwork   string
	HostComputeEndpoints []string
	Setting              []sdnRouteIn
	Routes               []sdnRouteIn
}

type sdnRouteIn struct {
	DestinationPrefix string
	NextHop           string
	NeedEncap         bool
}

// buildRoute validates an SDN route document. The route list is accepted
// as "Setting" (what hcsshim sends) or "Routes" (the schema's name) and
// returned under the key it was sent with.
func (st *state) buildRoute(o *object) error {
	var in routeDocIn
	if err := decodeInto(o.doc, &in, "settings"); err != nil {
		return err
	}
	if err := st.checkRefs(o.doc, in.HostComputeNetwork, in.HostComputeEndpoints); err != nil {
		return err
	}
	for _, r := range append(in.Setting, in.Routes...) {
		if _, err := netip.ParsePrefix(r.DestinationPrefix); err != nil {
			return fail(hcn.HCN_E_INVALID_PREFIX, "DestinationPrefix %q", r.DestinationPrefix)
		}
		if r.NextHop != "" {
			if _, err := netip.ParseAddr(r.NextHop); err != nil {
				return fail(hcn.HCN_E_INVALID_IP, "NextHop %q", r.NextHop)
			}
		}
	}
	return nil
}

// modifyRoute replaces the whole document of an SDN route.
func (st *state) modifyRoute(o *object, text string) error {
	raw, err := parseObject(text, "settings")
	if err != nil {
		return err
	}
	doc := canonical(raw, routeDocSpec).(obj)
	if err := decodeInto(doc, &baseIn{}, "settings"); err != nil {
		return err
	}
	for _, key := range readOnly[hcn.KindSDNRoute] {
		delete(doc, key)
	}
	doc["ID"] = o.id.String()
	next := &object{kind: o.kind, id: o.id, seq: o.seq, doc: doc}
	if err := st.buildRoute(next); err != nil {
		return err
	}
	stripZero(next.doc)
	st.remove(o)
	o.doc = next.doc
	st.insert(o)
	return nil
}

// buildGNS sets a new guest network service's State to "Created" unless a
// state is restored.
func buildGNS(o *object) error {
	if s, ok := enumValue(o.doc["State"], gnsStates); ok {
		o.doc["State"] = s
		return nil
	}
	o.doc["State"] = "Created"
	return nil
}

// modifyGNS applies a State Update.
func (st *state) modifyGNS(o *object, env *envelope) error {
	if env.res != "State" || env.req != "Update" {
		return unsupported(env)
	}
	v, _ := getKey(env.settings, "State")
	s, ok := enumValue(v, gnsStates)
	if !ok {
		return fail(hcn.E_INVALIDARG, "Settings.State %v", v)
	}
	o.doc["State"] = s
	st.events = append(st.events, event{typ: hcn.NotificationGuestNetworkServiceStateChanged,
		id: o.id, gns: o.id, data: obj{"State": s}})
	return nil
}
