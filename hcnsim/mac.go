package hcnsim

import (
	"fmt"
	"net"
	"strings"

	"github.com/hcnkit/hcn"
)

// macPool is a network's MAC pool: inclusive ranges, each with an allocator.
type macPool struct {
	ranges []macRange
}

type macRange struct {
	start, end uint64
	pool       *pool
}

type macPoolIn struct {
	Ranges []struct{ StartMacAddress, EndMacAddress string }
}

// parseMAC parses "00-15-5D-52-C0-00" (or with ':'), any case.
func parseMAC(s string) (uint64, bool) {
	hw, err := net.ParseMAC(s)
	if err != nil || len(hw) != 6 || len(s) != 17 {
		return 0, false
	}
	var v uint64
	for _, b := range hw {
		v = v<<8 | uint64(b)
	}
	return v, true
}

// formatMAC gives the service's form, upper case with dashes.
func formatMAC(v uint64) string {
	b := make([]string, 6)
	for i := 5; i >= 0; i-- {
		b[i] = fmt.Sprintf("%02X", v&0xff)
		v >>= 8
	}
	return strings.Join(b, "-")
}

// buildMacPool validates the ranges sent, or makes the default pool of
// 4096 addresses 00-15-5D-XX-Y0-00..00-15-5D-XX-YF-FF from the network id.
func buildMacPool(in *macPoolIn, id hcn.GUID) (*macPool, obj, error) {
	mp := &macPool{}
	if in == nil || len(in.Ranges) == 0 {
		b := id.Bytes()
		start := uint64(0x00155D)<<24 | uint64(b[0])<<16 | uint64(b[1]&0xf0)<<8
		mp.ranges = []macRange{{start: start, end: start + 0xfff, pool: newPool(0x1000)}}
		return mp, mp.doc(), nil
	}
	for i, r := range in.Ranges {
		s, ok1 := parseMAC(r.StartMacAddress)
		e, ok2 := parseMAC(r.EndMacAddress)
		if !ok1 || !ok2 || s > e {
			return nil, nil, fail(hcn.HCN_E_INVALID_NETWORK, "MacPool.Ranges[%d]: invalid range %q..%q", i, r.StartMacAddress, r.EndMacAddress)
		}
		mp.ranges = append(mp.ranges, macRange{start: s, end: e, pool: newPool(e - s + 1)})
	}
	return mp, mp.doc(), nil
}

func (mp *macPool) doc() obj {
	rs := make([]any, len(mp.ranges))
	for i, r := range mp.ranges {
		rs[i] = obj{"StartMacAddress": formatMAC(r.start), "EndMacAddress": formatMAC(r.end)}
	}
	return obj{"Ranges": rs}
}

// take marks v used when it lies in a range; it reports false when v is in
// a range and already used. A MAC outside every range is accepted.
func (mp *macPool) take(v uint64) bool {
	for _, r := range mp.ranges {
		if v >= r.start && v <= r.end {
			return r.pool.take(v - r.start)
		}
	}
	return true
}

func (mp *macPool) release(v uint64) {
	for _, r := range mp.ranges {
		if v >= r.start && v <= r.end {
			r.pool.release(v - r.start)
			return
		}
	}
}

func (mp *macPool) alloc() (uint64, bool) {
	for _, r := range mp.ranges {
		if o, ok := r.pool.alloc(); ok {
			return r.start + o, true
		}
	}
	return 0, false
}
