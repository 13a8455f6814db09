package hcntest

import (
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/hcnkit/hcn"
)

var eventScenarios = []scenario{
	{name: "notifications/lifecycle", fn: notificationsLifecycle},
	{name: "notifications/unregister", fn: notificationsUnregister},
	{name: "hnsv1/version", fn: hnsVersion},
	{name: "hnsv1/unknown-path", fn: hnsUnknownPath},
}

// recorder collects notifications.
type recorder struct {
	mu    sync.Mutex
	notes []recorded
	wake  chan struct{}
}

type recorded struct {
	typ hcn.NotificationType
	id  string
}

func newRecorder() *recorder { return &recorder{wake: make(chan struct{}, 1)} }

func (r *recorder) fn(t hcn.NotificationType, _ hcn.HRESULT, data string) {
	var p struct{ ID string }
	json.Unmarshal([]byte(data), &p)
	r.mu.Lock()
	r.notes = append(r.notes, recorded{t.Base(), strings.ToLower(p.ID)})
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// wait waits for a notification of typ about id.
func (e *env) wait(r *recorder, typ hcn.NotificationType, id hcn.GUID) {
	e.t.Helper()
	deadline := time.After(e.opts.Timeout)
	for {
		r.mu.Lock()
		for _, n := range r.notes {
			if n.typ == typ && (id.IsZero() || n.id == id.String()) {
				r.mu.Unlock()
				return
			}
		}
		r.mu.Unlock()
		select {
		case <-r.wake:
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			e.t.Errorf("no %s notification for %s within %s", typ, id, e.opts.Timeout)
			return
		}
	}
}

func (e *env) waitData(ch chan string, what string) {
	e.t.Helper()
	select {
	case <-ch:
	case <-time.After(e.opts.Timeout):
		e.t.Errorf("no %s notification within %s", what, e.opts.Timeout)
	}
}

func (e *env) register(r *recorder) hcn.Handle {
	e.t.Helper()
	h, err := e.svc.RegisterServiceCallback(r.fn)
	e.ok(err, "RegisterServiceCallback")
	e.t.Cleanup(func() { e.svc.UnregisterServiceCallback(h) })
	return h
}

func notificationsLifecycle(e *env) {
	r := newRecorder()
	e.register(r)
	nid, nh, _ := e.network("NAT")
	e.wait(r, hcn.NotificationNetworkCreate, nid)
	epID, _ := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	nsID, nsh := e.create(hcn.KindNamespace, hcn.NilGUID, hostNamespaceDoc)
	e.wait(r, hcn.NotificationNamespaceCreate, nsID)
	e.ok(e.svc.Modify(hcn.KindNamespace, nsh, addEndpoint("Add", epID.String())), "attach")
	e.wait(r, hcn.NotificationNetworkEndpointAttached, epID)
	e.ok(e.svc.Modify(hcn.KindNamespace, nsh, addEndpoint("Remove", epID.String())), "detach")
	e.wait(r, hcn.NotificationNetworkEndpointDetached, epID)
	e.ok(e.svc.Delete(hcn.KindNamespace, nsID), "delete namespace")
	e.wait(r, hcn.NotificationNamespaceDelete, nsID)
	e.ok(e.svc.Delete(hcn.KindEndpoint, epID), "delete endpoint")
	e.ok(e.svc.Delete(hcn.KindNetwork, nid), "delete network")
	e.wait(r, hcn.NotificationNetworkDelete, nid)
}

func notificationsUnregister(e *env) {
	var mu sync.Mutex
	calls, inFlight := 0, false
	h, err := e.svc.RegisterServiceCallback(func(hcn.NotificationType, hcn.HRESULT, string) {
		mu.Lock()
		if inFlight {
			e.t.Errorf("two calls of one callback overlap")
		}
		inFlight = true
		calls++
		mu.Unlock()
		time.Sleep(time.Millisecond)
		mu.Lock()
		inFlight = false
		mu.Unlock()
	})
	e.ok(err, "register")
	for i := 0; i < 3; i++ {
		e.network("NAT")
	}
	e.ok(e.svc.UnregisterServiceCallback(h), "unregister")
	mu.Lock()
	after := calls
	busy := inFlight
	mu.Unlock()
	if busy {
		e.t.Errorf("a callback is in flight after Unregister returned")
	}
	e.network("NAT")
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if calls != after {
		e.t.Errorf("callback called %d times after Unregister", calls-after)
	}
	e.wantHR(e.svc.UnregisterServiceCallback(h), hcn.E_HANDLE, "unregister twice")
}

func hnsVersion(e *env) {
	major, _ := e.serviceVersion()
	if major == 0 {
		e.t.Errorf("service version major 0")
	}
}

func hnsUnknownPath(e *env) {
	out, err := e.svc.HNSCall("GET", "/no/such/path", "")
	if err != nil {
		return // a transport-level refusal is acceptable too
	}
	var v struct{ Success bool }
	if json.Unmarshal([]byte(out), &v) != nil || v.Success {
		e.t.Errorf("unknown path answered %s", out)
	}
}
