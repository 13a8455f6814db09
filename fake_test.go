package hcn

import (
	"encoding/json"
	"fmt"
	"sync"
)

// fakeService is a minimal in-memory Service for the Client's own unit
// tests: objects are JSON documents by id, handles are counted, and hooks
// let a test fail or block a call.
type fakeService struct {
	mu      sync.Mutex
	objs    map[Kind]map[GUID]string
	order   map[Kind][]GUID
	handles map[Handle]Kind
	next    Handle
	calls   map[string]int
	version string
	cbs     map[Handle]NotificationFunc

	// before, when set, runs before every call with its op name; a
	// non-nil result fails the call.
	before func(op string) error
}

func newFake() *fakeService {
	return &fakeService{
		objs: map[Kind]map[GUID]string{}, order: map[Kind][]GUID{},
		handles: map[Handle]Kind{}, calls: map[string]int{}, cbs: map[Handle]NotificationFunc{},
		version: `{"Success":true,"Output":{"Major":15,"Minor":4}}`,
	}
}

var _ Service = (*fakeService)(nil)

func (f *fakeService) enter(op string) error {
	f.mu.Lock()
	f.calls[op]++
	hook := f.before
	f.mu.Unlock()
	if hook != nil {
		return hook(op)
	}
	return nil
}

func (f *fakeService) openHandles() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.handles)
}

func (f *fakeService) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *fakeService) totalCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

func notFound(op string, kind Kind, id GUID) error {
	return &Error{Op: op, Kind: kind, ID: id.String(), HRESULT: ERROR_NOT_FOUND}
}

func (f *fakeService) put(kind Kind, id GUID, doc string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.objs[kind] == nil {
		f.objs[kind] = map[GUID]string{}
	}
	if _, ok := f.objs[kind][id]; !ok {
		f.order[kind] = append(f.order[kind], id)
	}
	f.objs[kind][id] = doc
}

func (f *fakeService) Enumerate(kind Kind, query string) (string, error) {
	if err := f.enter(OpName(VerbEnumerate, kind)); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ids := []string{}
	for _, id := range f.order[kind] {
		if _, ok := f.objs[kind][id]; ok {
			ids = append(ids, id.BracedUpper())
		}
	}
	b, _ := json.Marshal(ids)
	return string(b), nil
}

func (f *fakeService) newHandle(kind Kind) Handle {
	f.next++
	f.handles[f.next] = kind
	return f.next
}

func (f *fakeService) Create(kind Kind, id GUID, settings string) (Handle, error) {
	op := OpName(VerbCreate, kind)
	if err := f.enter(op); err != nil {
		return 0, err
	}
	f.put(kind, id, settings)
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.newHandle(kind), nil
}

func (f *fakeService) CreateEndpoint(network Handle, id GUID, settings string) (Handle, error) {
	if err := f.enter(OpCreateEndpoint); err != nil {
		return 0, err
	}
	f.put(KindEndpoint, id, settings)
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.newHandle(KindEndpoint), nil
}

func (f *fakeService) Open(kind Kind, id GUID) (Handle, error) {
	op := OpName(VerbOpen, kind)
	if err := f.enter(op); err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.objs[kind][id]; !ok {
		return 0, notFound(op, kind, id)
	}
	h := f.newHandle(kind)
	f.handles[h] = kind
	return h, nil
}

func (f *fakeService) Modify(kind Kind, h Handle, settings string) error {
	return f.enter(OpName(VerbModify, kind))
}

func (f *fakeService) Query(kind Kind, h Handle, query string) (string, error) {
	op := OpName(VerbQuery, kind)
	if err := f.enter(op); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.handles[h]; !ok {
		return "", &Error{Op: op, Kind: kind, HRESULT: E_HANDLE}
	}
	return fmt.Sprintf(`{"Handle":%d}`, h), nil
}

func (f *fakeService) Delete(kind Kind, id GUID) error {
	op := OpName(VerbDelete, kind)
	if err := f.enter(op); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.objs[kind][id]; !ok {
		return notFound(op, kind, id)
	}
	delete(f.objs[kind], id)
	return nil
}

func (f *fakeService) Close(kind Kind, h Handle) error {
	op := OpName(VerbClose, kind)
	f.mu.Lock()
	f.calls[op]++
	defer f.mu.Unlock()
	if _, ok := f.handles[h]; !ok {
		return &Error{Op: op, Kind: kind, HRESULT: E_HANDLE}
	}
	delete(f.handles, h)
	return nil
}

func (f *fakeService) QueryEndpointStats(h Handle, query string) (string, error) {
	return "", &Error{Op: OpQueryEndpointStats, HRESULT: ERROR_PROC_NOT_FOUND}
}

func (f *fakeService) QueryEndpointAddresses(h Handle, query string) (string, error) {
	return "", &Error{Op: OpQueryEndpointAddresses, HRESULT: ERROR_PROC_NOT_FOUND}
}

func (f *fakeService) RegisterServiceCallback(fn NotificationFunc) (Handle, error) {
	if err := f.enter(OpRegisterServiceCallback); err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	f.cbs[f.next] = fn
	return f.next, nil
}

func (f *fakeService) UnregisterServiceCallback(h Handle) error {
	f.enter(OpUnregisterServiceCallback)
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.cbs, h)
	return nil
}

// notify calls every registered callback.
func (f *fakeService) notify(t NotificationType, data string) {
	f.mu.Lock()
	var fns []NotificationFunc
	for _, fn := range f.cbs {
		fns = append(fns, fn)
	}
	f.mu.Unlock()
	for _, fn := range fns {
		fn(t, 0, data)
	}
}

func (f *fakeService) registrations() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.cbs)
}

func (f *fakeService) RegisterGuestNetworkServiceCallback(gns Handle, fn NotificationFunc) (Handle, error) {
	return 0, &Error{Op: OpRegisterGuestNetworkServiceCallback, HRESULT: E_NOTIMPL}
}

func (f *fakeService) UnregisterGuestNetworkServiceCallback(h Handle) error { return nil }

func (f *fakeService) ReserveGuestNetworkServicePort(gns Handle, p PortProtocol, a PortAccess, port uint16) (Handle, error) {
	if err := f.enter(OpReserveGuestNetworkServicePort); err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.newHandle(0), nil
}

func (f *fakeService) ReserveGuestNetworkServicePortRange(gns Handle, count uint16) (PortRange, Handle, error) {
	if err := f.enter(OpReserveGuestNetworkServicePortRange); err != nil {
		return PortRange{}, 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return PortRange{Start: 5000, End: 5000 + count - 1}, f.newHandle(0), nil
}

func (f *fakeService) ReleaseGuestNetworkServicePortReservation(h Handle) error {
	f.enter(OpReleaseGuestNetworkServicePort)
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.handles[h]; !ok {
		return &Error{Op: OpReleaseGuestNetworkServicePort, HRESULT: E_HANDLE}
	}
	delete(f.handles, h)
	return nil
}

func (f *fakeService) EnumerateGuestNetworkPortReservations() ([]PortRangeEntry, error) {
	return nil, f.enter(OpEnumerateGuestNetworkPortReservations)
}

func (f *fakeService) HNSCall(method, path, request string) (string, error) {
	if err := f.enter("HNSCall " + method + " " + path); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.version, nil
}
