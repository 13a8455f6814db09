package hcn

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

func TestFetchAllCallsAndOrder(t *testing.T) {
	for _, n := range []int{0, 1, 7, 100} {
		f := newFake()
		ids := f.endpoints(n)
		c := newTestClient(t, f)
		got, err := listDocs(context.Background(), c, KindEndpoint, "", defaultQuery,
			func(s string) (string, error) { return s, nil }, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Fatalf("n=%d: got %d objects", n, len(got))
		}
		if calls := f.totalCalls(); calls != 1+3*n {
			t.Errorf("n=%d: %d service calls, want 1+3N = %d", n, calls, 1+3*n)
		}
		if h := f.openHandles(); h != 0 {
			t.Errorf("n=%d: %d handles left open", n, h)
		}
		raw, _ := c.fetchAll(context.Background(), KindEndpoint, ids, defaultQuery)
		for i, r := range raw {
			if r.id != ids[i] {
				t.Fatalf("order: [%d] is %v, want %v", i, r.id, ids[i])
			}
		}
	}
}

func TestFetchAllSkipsDeletedMidList(t *testing.T) {
	f := newFake()
	ids := f.endpoints(50)
	// Delete every third object right after the enumerate, half of them
	// between open and query.
	var opened atomic.Int64
	f.before = func(op string) error {
		switch op {
		case OpEnumerateEndpoints:
			for i := 0; i < len(ids); i += 6 {
				f.mu.Lock()
				delete(f.objs[KindEndpoint], ids[i])
				f.mu.Unlock()
			}
		case OpQueryEndpoint:
			if opened.Add(1)%5 == 0 {
				return &Error{Op: op, Kind: KindEndpoint, HRESULT: HCN_E_ENDPOINT_NOT_FOUND}
			}
		}
		return nil
	}
	c := newTestClient(t, f)
	raw, err := c.fetchAll(context.Background(), KindEndpoint, ids, defaultQuery)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) == 0 || len(raw) >= len(ids) {
		t.Fatalf("got %d of %d objects", len(raw), len(ids))
	}
	for i := 1; i < len(raw); i++ {
		if indexOf(ids, raw[i-1].id) >= indexOf(ids, raw[i].id) {
			t.Fatal("results not in enumerate order")
		}
	}
	if h := f.openHandles(); h != 0 {
		t.Errorf("%d handles left open", h)
	}
}

func indexOf(ids []GUID, id GUID) int {
	for i, x := range ids {
		if x == id {
			return i
		}
	}
	return -1
}

func TestFetchAllFailureClosesEverything(t *testing.T) {
	f := newFake()
	var ids []GUID
	for range 40 {
		id := NewGUID()
		ids = append(ids, id)
		f.put(KindNetwork, id, `{}`)
	}
	var n atomic.Int64
	f.before = func(op string) error {
		if op == OpQueryNetwork && n.Add(1) == 10 {
			return &Error{Op: op, Kind: KindNetwork, HRESULT: E_ACCESSDENIED}
		}
		return nil
	}
	c := newTestClient(t, f)
	_, err := c.fetchAll(context.Background(), KindNetwork, ids, defaultQuery)
	if !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("got %v, want ErrAccessDenied", err)
	}
	if h := f.openHandles(); h != 0 {
		t.Errorf("%d handles left open", h)
	}
}

func TestFetchAllRetriesRestartBetweenOpenAndQuery(t *testing.T) {
	f := newFake()
	id := NewGUID()
	f.put(KindNetwork, id, `{}`)
	var once atomic.Bool
	f.before = func(op string) error {
		if op == OpQueryNetwork && once.CompareAndSwap(false, true) {
			return &Error{Op: op, Kind: KindNetwork, HRESULT: E_HANDLE}
		}
		return nil
	}
	c := newTestClient(t, f)
	raw, err := c.fetchAll(context.Background(), KindNetwork, []GUID{id}, defaultQuery)
	if err != nil || len(raw) != 1 {
		t.Fatalf("got %v, %v", raw, err)
	}
	if n := f.count(OpOpenNetwork); n != 2 {
		t.Errorf("opened %d times, want 2 (reopen after the invalid handle)", n)
	}
	if h := f.openHandles(); h != 0 {
		t.Errorf("%d handles left open", h)
	}
}

func TestHCNQuery(t *testing.T) {
	q := hcnQuery(map[string]string{"Name": `a"b`}, true)
	var v struct {
		SchemaVersion struct{ Major, Minor int }
		Flags         int
		Filter        string
	}
	if err := json.Unmarshal([]byte(q), &v); err != nil {
		t.Fatal(err)
	}
	if v.SchemaVersion.Major != 2 || v.Flags != 1 || v.Filter != `{"Name":"a\"b"}` {
		t.Errorf("got %s", q)
	}
	if q := hcnQuery(nil, false); q != `{"SchemaVersion":{"Major":2,"Minor":0}}` || strings.Contains(q, "Filter") {
		t.Errorf("default query %s", q)
	}
}

// endpoints stores n empty endpoint documents in f and returns their ids in
// creation order.
func (f *fakeService) endpoints(n int) []GUID {
	ids := make([]GUID, 0, n)
	for range n {
		id := NewGUID()
		ids = append(ids, id)
		f.put(KindEndpoint, id, `{}`)
	}
	return ids
}
