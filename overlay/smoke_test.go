package overlay

import (
	"context"
	"net/netip"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

func TestSmoke(t *testing.T) {
	sim := hcnsim.New(nil)
	c, _ := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	n, err := New(Config{Client: c, OwnerTag: "zl", Slice: netip.MustParsePrefix("10.200.0.16/28")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	net, err := n.EnsureNetwork(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("net %s %s", net.ID, net.Name)
	var ids []string
	for i := range 14 {
		id := "c" + string(rune('a'+i))
		a, err := n.Attach(ctx, id, nil)
		t.Logf("%s: %+v %v", id, a, err)
		if err == nil {
			ids = append(ids, id)
		}
	}
	t.Logf("handles %d", sim.OpenHandles())
	calls := sim.Stats()
	_ = calls
	for _, id := range ids {
		if err := n.Detach(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("handles %d", sim.OpenHandles())
	rep, err := n.Teardown(ctx, nil)
	t.Logf("%+v %v", rep, err)
}
