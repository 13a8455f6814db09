package hcnsim

import (
	"sync"

	"github.com/hcnkit/hcn"
)

// v1Host is host configuration only HNS v1 reaches: the NNV management
// MAC list (/accelnet/). It belongs to the Sim, not to the state file;
// Reset clears it, Restart keeps it.
type v1Host struct {
	mu   sync.Mutex
	macs []string
}

func (h *v1Host) reset() {
	h.mu.Lock()
	h.macs = nil
	h.mu.Unlock()
}

// list is the HNSNnvManagementMacList {"MacAddressList":[{"MacAddress"}]}.
func (h *v1Host) list() obj {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]any, len(h.macs))
	for i, m := range h.macs {
		out[i] = obj{"MacAddress": m}
	}
	return obj{"MacAddressList": out}
}

func (s *Sim) v1GetNnvMacs(*v1Request) (any, error) { return s.v1.list(), nil }

// v1SetNnvMacs is POST /accelnet/: the list replaces the previous one;
// every MacAddress must parse (E_INVALIDARG) and is kept in the service's
// form (upper case, dashes).
func (s *Sim) v1SetNnvMacs(r *v1Request) (any, error) {
	raw, err := parseObject(r.body, "mac list")
	if err != nil {
		return nil, err
	}
	var in struct{ MacAddressList []struct{ MacAddress string } }
	if err := decodeInto(raw, &in, "mac list"); err != nil {
		return nil, err
	}
	macs := make([]string, 0, len(in.MacAddressList))
	for i, m := range in.MacAddressList {
		v, ok := parseMAC(m.MacAddress)
		if !ok {
			return nil, fail(hcn.E_INVALIDARG, "MacAddressList[%d].MacAddress %q", i, m.MacAddress)
		}
		macs = append(macs, formatMAC(v))
	}
	s.v1.mu.Lock()
	s.v1.macs = macs
	s.v1.mu.Unlock()
	return s.v1.list(), nil
}

// v1DeleteNnvMacs is DELETE /accelnet/: clears the list and returns it.
func (s *Sim) v1DeleteNnvMacs(*v1Request) (any, error) {
	s.v1.reset()
	return s.v1.list(), nil
}
