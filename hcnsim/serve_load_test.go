package hcnsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

// loadWorker is one client of the load workload: a fixed, seeded mix of
// creates, deletes, attaches and reads that keeps its own objects few, so
// it can run any number of operations. It records what the service
// acknowledged.
type loadWorker struct {
	svc    hcn.Service
	i      int
	rng    *rand.Rand
	shared []hcn.GUID
	seq    int

	eps, nets, nss []hcn.GUID
	attached       map[hcn.GUID]hcn.GUID // endpoint → namespace
	created        map[hcn.GUID]hcn.Kind // acknowledged creates
	deleted        map[hcn.GUID]bool     // acknowledged deletes
	latencies      []time.Duration
}

func newLoadWorker(svc hcn.Service, i int, shared []hcn.GUID) *loadWorker {
	return &loadWorker{svc: svc, i: i, rng: rand.New(rand.NewPCG(uint64(i), 7)), shared: shared,
		attached: map[hcn.GUID]hcn.GUID{}, created: map[hcn.GUID]hcn.Kind{}, deleted: map[hcn.GUID]bool{}}
}

// run performs n operations, timing each.
func (w *loadWorker) run(n int) error {
	for range n {
		start := time.Now()
		if err := w.op(); err != nil {
			return fmt.Errorf("client %d: %w", w.i, err)
		}
		w.latencies = append(w.latencies, time.Since(start))
	}
	return nil
}

func (w *loadWorker) op() error {
	switch w.rng.IntN(8) {
	case 0, 1:
		if len(w.eps) >= 6 {
			return w.remove(hcn.KindEndpoint, &w.eps)
		}
		return w.createEndpoint()
	case 2:
		if len(w.nets) >= 2 {
			return w.remove(hcn.KindNetwork, &w.nets)
		}
		return w.createNetwork()
	case 3:
		if len(w.nss) >= 2 {
			return w.remove(hcn.KindNamespace, &w.nss)
		}
		return w.createNamespace()
	case 7:
		if len(w.eps) > 0 {
			return w.readEndpoint(w.eps[w.rng.IntN(len(w.eps))])
		}
	}
	return w.read()
}

// open, do and close: the read pattern of the Client.
func (w *loadWorker) with(k hcn.Kind, id hcn.GUID, fn func(hcn.Handle) error) error {
	h, err := w.svc.Open(k, id)
	if err != nil {
		return err
	}
	err = fn(h)
	if cerr := w.svc.Close(k, h); err == nil {
		err = cerr
	}
	return err
}

func (w *loadWorker) createEndpoint() error {
	net := w.shared[w.rng.IntN(len(w.shared))]
	return w.with(hcn.KindNetwork, net, func(nh hcn.Handle) error {
		id := hcn.NewGUID()
		h, err := w.svc.CreateEndpoint(nh, id, fmt.Sprintf(`{"Name":"load-%d-%d"}`, w.i, w.next()))
		if err != nil {
			return err
		}
		w.created[id] = hcn.KindEndpoint
		w.eps = append(w.eps, id)
		return w.svc.Close(hcn.KindEndpoint, h)
	})
}

func (w *loadWorker) createNetwork() error {
	id, seq := hcn.NewGUID(), w.next()
	h, err := w.svc.Create(hcn.KindNetwork, id, natDoc(fmt.Sprintf("load-%d-%d", w.i, seq), 100+w.i, seq%256))
	if err != nil {
		return err
	}
	w.created[id] = hcn.KindNetwork
	w.nets = append(w.nets, id)
	return w.svc.Close(hcn.KindNetwork, h)
}

// createNamespace creates a namespace and attaches one of the worker's
// endpoints not attached yet, if any.
func (w *loadWorker) createNamespace() error {
	id := hcn.NewGUID()
	h, err := w.svc.Create(hcn.KindNamespace, id, `{"SchemaVersion":{"Major":2,"Minor":0},"Type":"Host"}`)
	if err != nil {
		return err
	}
	w.created[id] = hcn.KindNamespace
	w.nss = append(w.nss, id)
	defer w.svc.Close(hcn.KindNamespace, h)
	for _, ep := range w.eps {
		if _, ok := w.attached[ep]; !ok {
			req := fmt.Sprintf(`{"ResourceType":"Endpoint","RequestType":"Add","Settings":{"EndpointId":%q}}`, ep)
			if err := w.svc.Modify(hcn.KindNamespace, h, req); err != nil {
				return err
			}
			w.attached[ep] = id
			break
		}
	}
	return nil
}

// remove deletes the oldest of the worker's objects of a kind.
func (w *loadWorker) remove(k hcn.Kind, ids *[]hcn.GUID) error {
	id := (*ids)[0]
	if err := w.svc.Delete(k, id); err != nil {
		return err
	}
	*ids = (*ids)[1:]
	w.deleted[id] = true
	for ep, ns := range w.attached {
		if ep == id || ns == id {
			delete(w.attached, ep) // a deleted namespace detaches its endpoints
		}
	}
	return nil
}

// read enumerates the endpoints and queries a network.
func (w *loadWorker) read() error {
	if _, err := w.svc.Enumerate(hcn.KindEndpoint, ""); err != nil {
		return err
	}
	id := w.shared[w.rng.IntN(len(w.shared))]
	if len(w.nets) > 0 && w.rng.IntN(2) == 0 {
		id = w.nets[0]
	}
	return w.with(hcn.KindNetwork, id, func(h hcn.Handle) error {
		_, err := w.svc.Query(hcn.KindNetwork, h, "")
		return err
	})
}

func (w *loadWorker) readEndpoint(id hcn.GUID) error {
	return w.with(hcn.KindEndpoint, id, func(h hcn.Handle) error {
		if _, err := w.svc.Query(hcn.KindEndpoint, h, ""); err != nil {
			return err
		}
		_, err := w.svc.QueryEndpointAddresses(h, "")
		return err
	})
}

func (w *loadWorker) next() int { w.seq++; return w.seq }

// sharedNetworks creates the networks every worker puts endpoints on.
func sharedNetworks(t testing.TB, sim *Sim) []hcn.GUID {
	t.Helper()
	var ids []hcn.GUID
	for i := range 2 {
		id := hcn.NewGUID()
		doc := fmt.Sprintf(`{"Name":"load-shared-%d","Type":"NAT","Ipams":[{"Type":"Static","Subnets":[{"IpAddressPrefix":"10.%d.0.0/16","Routes":[{"NextHop":"10.%d.0.1","DestinationPrefix":"0.0.0.0/0"}]}]}]}`, i, 200+i, 200+i)
		h, err := sim.Create(hcn.KindNetwork, id, doc)
		if err != nil {
			t.Fatal(err)
		}
		sim.Close(hcn.KindNetwork, h)
		ids = append(ids, id)
	}
	return ids
}

// runLoad runs clients workers of ops operations each, each on its own
// Conn, and returns them once all have disconnected.
func runLoad(t testing.TB, ts *testServer, shared []hcn.GUID, clients, ops int) []*loadWorker {
	t.Helper()
	workers := make([]*loadWorker, clients)
	conns := make([]*Conn, clients)
	for i := range workers {
		conns[i] = ts.dial()
		workers[i] = newLoadWorker(conns[i], i, shared)
	}
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i, w := range workers {
		wg.Go(func() {
			defer conns[i].Disconnect()
			if err := w.run(ops); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	return workers
}

// 32 clients on their own connections run a bounded mix of operations on
// one served Sim. Afterwards every acknowledged create is present unless
// acknowledged deleted, every acknowledged delete is gone, endpoint ids
// and addresses are unique, attachments hold, and once every client has
// disconnected the Sim holds no handle.
func TestServeLoad(t *testing.T) {
	const clients, ops = 32, 24
	sim := New(nil)
	ts := startServer(t, sim, "unix", nil)
	shared := sharedNetworks(t, sim)
	workers := runLoad(t, ts, shared, clients, ops)
	if n := sim.OpenHandles(); n != 0 {
		t.Errorf("%d handles open after every client disconnected", n)
	}
	creates, deletes := 0, 0
	for _, w := range workers {
		for id, k := range w.created {
			creates++
			_, err := openQuery(sim, k, id)
			switch {
			case w.deleted[id]:
				deletes++
				if !errors.Is(err, hcn.ErrNotFound) {
					t.Errorf("%s %s was deleted but: %v", k, id, err)
				}
			case err != nil:
				t.Errorf("lost update: %s %s was created but: %v", k, id, err)
			}
		}
		for ep, ns := range w.attached {
			var doc struct{ HostComputeNamespace string }
			out, err := openQuery(sim, hcn.KindEndpoint, ep)
			if err == nil {
				err = json.Unmarshal([]byte(out), &doc)
			}
			if err != nil || doc.HostComputeNamespace != ns.String() {
				t.Errorf("endpoint %s attached to %s, its document says %q (%v)", ep, ns, doc.HostComputeNamespace, err)
			}
		}
	}
	if creates == 0 || deletes == 0 {
		t.Fatalf("the workload made %d creates and %d deletes", creates, deletes)
	}
	checkEndpointsUnique(t, sim)
	if n := sim.OpenHandles(); n != 0 {
		t.Errorf("%d handles open at the end", n)
	}
}

// openQuery opens, queries and closes an object in process.
func openQuery(sim *Sim, k hcn.Kind, id hcn.GUID) (string, error) {
	h, err := sim.Open(k, id)
	if err != nil {
		return "", err
	}
	defer sim.Close(k, h)
	return sim.Query(k, h, "")
}

// checkEndpointsUnique checks that no two endpoints share an id or an IP
// address.
func checkEndpointsUnique(t *testing.T, sim *Sim) {
	t.Helper()
	out, err := sim.Enumerate(hcn.KindEndpoint, "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	json.Unmarshal([]byte(out), &ids)
	seenID, seenIP := map[string]bool{}, map[string]string{}
	for _, s := range ids {
		if seenID[s] {
			t.Errorf("endpoint id %s enumerated twice", s)
		}
		seenID[s] = true
		doc, err := openQuery(sim, hcn.KindEndpoint, hcn.MustParseGUID(s))
		if err != nil {
			t.Fatal(err)
		}
		var ep struct{ IpConfigurations []struct{ IpAddress string } }
		json.Unmarshal([]byte(doc), &ep)
		for _, c := range ep.IpConfigurations {
			if other, dup := seenIP[c.IpAddress]; dup {
				t.Errorf("endpoints %s and %s share %s", other, s, c.IpAddress)
			}
			seenIP[c.IpAddress] = s
		}
	}
	if len(ids) == 0 {
		t.Error("no endpoints at the end")
	}
}
