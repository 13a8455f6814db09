package winetest

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

// TestGateManyCallers: 300 threads call the stand-in at once, each call
// holding its slot for the latency knob's 20ms, so that many calls are in
// the gate together and the dispatcher takes calls from many slots at
// once. Every call has its own result: each thread creates, queries,
// closes and deletes its own endpoint, and the DLL counts exactly the
// calls made. (How many calls overlap is up to Go's runtime, which lets
// a new goroutine run only when it takes back a processor from one in a
// system call: a dozen or so here, not the 256 slots.)
func TestGateManyCallers(t *testing.T) {
	simReset(t)
	svc := newHost(t)
	// A /16, room for every thread's endpoint.
	nh, err := svc.Create(hcn.KindNetwork, hcn.NilGUID, `{"SchemaVersion":{"Major":2,"Minor":0},"Name":"gate-net","Type":"NAT",`+
		`"Ipams":[{"Type":"Static","Subnets":[{"IpAddressPrefix":"10.77.0.0/16"}]}]}`)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close(hcn.KindNetwork, nh)
	nid := idOf(t, svc, hcn.KindNetwork, nh)
	if hr := uint32(call0(t, procSetLatency, uintptr(20*time.Millisecond))); hr != 0 {
		t.Fatalf("HcnSimSetLatency = 0x%08X", hr)
	}
	defer call0(t, procSetLatency, 0)
	const threads = 300
	before := callCount(t, "")
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range threads {
		wg.Go(func() {
			// A thread of its own, so that the calls reach the DLL from
			// as many threads as the runtime lets run.
			runtime.LockOSThread()
			<-start
			name := fmt.Sprintf("gate-%d", i)
			h, err := svc.CreateEndpoint(nh, hcn.NilGUID, fmt.Sprintf(`{"Name":%q,"HostComputeNetwork":%q}`, name, nid))
			if err != nil {
				t.Errorf("%s: create: %v", name, err)
				return
			}
			doc, err := svc.Query(hcn.KindEndpoint, h, "")
			var ep struct {
				ID   hcn.GUID
				Name string
			}
			if err == nil {
				err = jsonUnmarshal(doc, &ep)
			}
			if err != nil || ep.Name != name {
				t.Errorf("%s: query: %v: answered %q", name, err, ep.Name)
			}
			if err := svc.Close(hcn.KindEndpoint, h); err != nil {
				t.Errorf("%s: close: %v", name, err)
			}
			if err := svc.Delete(hcn.KindEndpoint, ep.ID); err != nil {
				t.Errorf("%s: delete: %v", name, err)
			}
		})
	}
	close(start)
	wg.Wait()
	// Each thread: create, query, close, delete.
	if got, want := callCount(t, "")-before, uint64(4*threads); got != want {
		t.Errorf("the DLL counted %d calls, want %d", got, want)
	}
	ids, err := svc.Enumerate(hcn.KindEndpoint, "")
	if err != nil || ids != "[]" {
		t.Errorf("endpoints left: %s %v", ids, err)
	}
}
