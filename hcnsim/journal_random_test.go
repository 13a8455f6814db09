package hcnsim

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/hcnkit/hcn"
)

// randomOps drives random calls, most of them valid, through two Sims
// sharing a state file.
type randomOps struct {
	t    *testing.T
	r    *rand.Rand
	sims []*Sim
}

func (o *randomOps) pick(s *Sim, k hcn.Kind) (hcn.GUID, bool) {
	out, err := s.Enumerate(k, "")
	if err != nil {
		o.t.Fatalf("enumerate: %v", err)
	}
	var ids []string
	json.Unmarshal([]byte(out), &ids)
	if len(ids) == 0 {
		return hcn.GUID{}, false
	}
	return hcn.MustParseGUID(ids[o.r.IntN(len(ids))]), true
}

// handle opens a random object of kind k on s; 0 when there is none.
func (o *randomOps) handle(s *Sim, k hcn.Kind) (hcn.Handle, hcn.GUID) {
	id, ok := o.pick(s, k)
	if !ok {
		return 0, id
	}
	h, err := s.Open(k, id)
	if err != nil {
		o.t.Fatalf("open %s %s: %v", k, id, err)
	}
	return h, id
}

func (o *randomOps) step(s *Sim) string {
	r := o.r
	port := 8000 + r.IntN(6)
	switch r.IntN(24) {
	case 0, 1:
		typ := []string{"NAT", "NAT", "Transparent", "L2Bridge"}[r.IntN(4)]
		ipam := fmt.Sprintf(`{"IpAddressPrefix":"10.%d.0.0/24","Routes":[{"NextHop":"10.%[1]d.0.1","DestinationPrefix":"0.0.0.0/0"}]}`, r.IntN(8))
		if r.IntN(2) == 0 {
			ipam += fmt.Sprintf(`,{"IpAddressPrefix":"fd00:%d::/120"}`, r.IntN(8))
		}
		doc := fmt.Sprintf(`{"Name":"n%d","Type":%q,"Flags":%d,"Ipams":[{"Subnets":[%s]}]}`, r.IntN(4), typ, 8*r.IntN(2), ipam)
		s.Create(hcn.KindNetwork, hcn.NilGUID, doc)
		return "create network"
	case 2, 3, 4, 5:
		nh, _ := o.handle(s, hcn.KindNetwork)
		if nh == 0 {
			return "-"
		}
		doc := `{}`
		switch r.IntN(4) {
		case 1:
			doc = fmt.Sprintf(`{"Policies":[{"Type":"PortMapping","Settings":{"Protocol":6,"InternalPort":80,"ExternalPort":%d}}]}`, port)
		case 2:
			doc = fmt.Sprintf(`{"IpConfigurations":[{"IpAddress":"10.%d.0.%d"}],"MacAddress":"00-15-5D-00-00-%02X"}`, r.IntN(8), 2+r.IntN(8), r.IntN(8))
		case 3:
			doc = fmt.Sprintf(`{"Name":"e%d","Flags":%d,"IpConfigurations":[{"IpAddress":"172.16.0.%d"}]}`, r.IntN(3), r.IntN(2), r.IntN(4))
		}
		h, err := s.CreateEndpoint(nh, hcn.NilGUID, doc)
		if err == nil {
			s.Close(hcn.KindEndpoint, h)
		}
		s.Close(hcn.KindNetwork, nh)
		return "create endpoint " + doc
	case 6:
		k := hcn.Kinds[r.IntN(len(hcn.Kinds))]
		if id, ok := o.pick(s, k); ok {
			s.Delete(k, id)
		}
		return "delete"
	case 7, 8:
		doc := []string{`{"Type":"Host"}`, `{"Type":"HostDefault"}`, `{}`}[r.IntN(3)]
		if id, ok := o.pick(s, hcn.KindEndpoint); ok && r.IntN(2) == 0 {
			doc = fmt.Sprintf(`{"Resources":[{"Type":"Endpoint","Data":{"ID":%q}},{"Type":"Container","Data":{"ID":"c%d"}}]}`, id, r.IntN(3))
		}
		s.Create(hcn.KindNamespace, hcn.NilGUID, doc)
		return "create namespace"
	case 9, 10:
		nsh, _ := o.handle(s, hcn.KindNamespace)
		ep, ok := o.pick(s, hcn.KindEndpoint)
		if nsh == 0 || !ok {
			return "-"
		}
		req := []string{"Add", "Remove"}[r.IntN(2)]
		mod := fmt.Sprintf(`{"ResourceType":"Endpoint","RequestType":%q,"Settings":{"EndpointId":%q}}`, req, ep)
		if r.IntN(3) == 0 {
			mod = fmt.Sprintf(`{"ResourceType":"Container","RequestType":%q,"Settings":{"ContainerId":"c%d"}}`, req, r.IntN(3))
		}
		s.Modify(hcn.KindNamespace, nsh, mod)
		s.Close(hcn.KindNamespace, nsh)
		return "modify namespace " + mod
	case 11, 12:
		eps := `[]`
		if id, ok := o.pick(s, hcn.KindEndpoint); ok {
			eps = fmt.Sprintf(`[%q]`, id)
		}
		doc := fmt.Sprintf(`{"HostComputeEndpoints":%s,"FrontendVIPs":[%q],"PortMappings":[{"Protocol":6,"InternalPort":80,"ExternalPort":%d}]}`,
			eps, []string{"1.2.3.4", "::"}[r.IntN(2)], port)
		if lh, _ := o.handle(s, hcn.KindLoadBalancer); lh != 0 && r.IntN(2) == 0 {
			s.Modify(hcn.KindLoadBalancer, lh, doc)
			s.Close(hcn.KindLoadBalancer, lh)
			return "modify load balancer"
		}
		s.Create(hcn.KindLoadBalancer, hcn.NilGUID, doc)
		return "create load balancer"
	case 13, 14:
		nh, _ := o.handle(s, hcn.KindNetwork)
		if nh == 0 {
			return "-"
		}
		mods := []string{
			fmt.Sprintf(`{"ResourceType":"Subnet","RequestType":"Add","Settings":{"IpAddressPrefix":"192.168.%d.0/24"}}`, r.IntN(3)),
			fmt.Sprintf(`{"ResourceType":"Subnet","RequestType":"Remove","Settings":{"IpAddressPrefix":"192.168.%d.0/24"}}`, r.IntN(3)),
			`{"ResourceType":"Policy","RequestType":"Add","Settings":{"Policies":[{"Type":"NetAdapterName","Settings":{"NetworkAdapterName":"eth0"}}]}}`,
			`{"ResourceType":"DNS","RequestType":"Update","Settings":{"Domain":"x.example"}}`,
			`{"ResourceType":"IPSubnet","RequestType":"Add","Settings":{"IpAddressPrefix":"10.0.0.0/25"}}`,
			`{"ResourceType":"Extension","RequestType":"Update","Settings":{"Id":"430bdadd-bab0-41ab-a369-94b67fa5be0a","IsEnabled":true}}`,
		}
		mod := mods[r.IntN(len(mods))]
		s.Modify(hcn.KindNetwork, nh, mod)
		s.Close(hcn.KindNetwork, nh)
		return "modify network " + mod
	case 15, 16:
		eh, _ := o.handle(s, hcn.KindEndpoint)
		if eh == 0 {
			return "-"
		}
		mods := []string{
			`{"ResourceType":"Policy","RequestType":"Add","Settings":{"Policies":[{"Type":"ACL","Settings":{"Action":"Allow"}}]}}`,
			fmt.Sprintf(`{"ResourceType":"Policy","RequestType":"Update","Settings":{"Policies":[{"Type":"PortMapping","Settings":{"Protocol":6,"InternalPort":80,"ExternalPort":%d}}]}}`, port),
			`{"ResourceType":"Policy","RequestType":"Reset"}`,
			`{"ResourceType":"Port","RequestType":"Add","Settings":{}}`,
			`{"ResourceType":"Port","RequestType":"Remove","Settings":{}}`,
		}
		mod := mods[r.IntN(len(mods))]
		s.Modify(hcn.KindEndpoint, eh, mod)
		s.Close(hcn.KindEndpoint, eh)
		return "modify endpoint " + mod
	case 17:
		if id, ok := o.pick(s, hcn.KindEndpoint); ok {
			s.SetEndpointStats(id, EndpointStats{BytesSent: r.Uint64N(3), PacketsSent: 1})
		}
		return "stats"
	case 18:
		if id, ok := o.pick(s, hcn.KindEndpoint); ok {
			body := []string{`{"SystemType":"Host","CompartmentId":%d}`, `{"SystemType":"Container","ContainerId":"c%d"}`}[r.IntN(2)]
			action := []string{"attach", "detach"}[r.IntN(2)]
			s.HNSCall("POST", "/endpoints/"+id.String()+"/"+action, fmt.Sprintf(body, r.IntN(4)))
			return "v1 " + action
		}
		return "-"
	case 19:
		if id, ok := o.pick(s, hcn.KindEndpoint); ok {
			s.HNSCall("POST", "/endpoints/"+id.String(), fmt.Sprintf(`{"Policies":[{"Type":"NAT","Protocol":"TCP","InternalPort":81,"ExternalPort":%d}]}`, port))
		}
		return "v1 update endpoint"
	case 20:
		s.Create(hcn.KindSDNRoute, hcn.NilGUID, fmt.Sprintf(`{"Routes":[{"DestinationPrefix":"10.%d.0.0/16"}]}`, r.IntN(8)))
		if rh, _ := o.handle(s, hcn.KindSDNRoute); rh != 0 {
			s.Modify(hcn.KindSDNRoute, rh, `{"Setting":[{"DestinationPrefix":"11.0.0.0/8","NeedEncap":true}]}`)
			s.Close(hcn.KindSDNRoute, rh)
		}
		return "routes"
	case 21:
		if gh, _ := o.handle(s, hcn.KindGuestNetworkService); gh != 0 && r.IntN(2) == 0 {
			s.Modify(hcn.KindGuestNetworkService, gh, `{"ResourceType":"State","RequestType":"Update","Settings":{"State":"Paused"}}`)
			s.Close(hcn.KindGuestNetworkService, gh)
			return "modify gns"
		}
		s.Create(hcn.KindGuestNetworkService, hcn.NilGUID, `{}`)
		return "create gns"
	case 22:
		s.Restart()
		return "restart"
	default:
		if r.IntN(10) == 0 {
			s.Reset()
			return "reset"
		}
		return "-"
	}
}

// TestJournalRandomOps runs random calls through two Sims sharing a state
// file, each call on either: after every call both hold the same state,
// and so does a Sim loading the file afresh at the end of each run.
func TestJournalRandomOps(t *testing.T) {
	at := compactAt
	compactAt = func(int64) int64 { return 32 << 10 }
	defer func() { compactAt = at }()
	for seed := uint64(1); seed <= 3; seed++ {
		path := filepath.Join(t.TempDir(), "state.json")
		o := &randomOps{t: t, r: rand.New(rand.NewPCG(seed, 7)),
			sims: []*Sim{New(&Options{StateFile: path}), New(&Options{StateFile: path})}}
		for i := 0; i < 400; i++ {
			w := o.sims[o.r.IntN(2)]
			what := o.step(w)
			other := o.sims[0]
			if other == w {
				other = o.sims[1]
			}
			if g, want := dumpSim(t, other), dumpSim(t, w); g != want {
				t.Fatalf("seed %d step %d (%s): the other Sim differs:\n%s", seed, i, what, firstDiff(g, want))
			}
		}
		sameState(t, fmt.Sprintf("seed %d, a fresh Sim", seed), o.sims[0], New(&Options{StateFile: path}))
	}
}
