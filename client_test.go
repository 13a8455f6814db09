package hcn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func newTestClient(t *testing.T, f *fakeService) *Client {
	t.Helper()
	c, err := NewClient(&ClientOptions{Service: f, Retry: &RetryPolicy{InitialBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// waitFor polls cond for up to 5s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestNewClientOptions(t *testing.T) {
	if _, err := NewClient(&ClientOptions{Service: newFake(), ListParallelism: -1}); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative parallelism: got %v, want ErrInvalid", err)
	}
	if _, err := NewClient(&ClientOptions{Service: newFake(), Retry: &RetryPolicy{MaxAttempts: -1}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative attempts: got %v, want ErrInvalid", err)
	}
	c, err := NewClient(&ClientOptions{Service: newFake()})
	if err != nil {
		t.Fatal(err)
	}
	if c.par != DefaultListParallelism || c.retry != DefaultRetryPolicy {
		t.Errorf("defaults not applied: par %d retry %+v", c.par, c.retry)
	}
}

func TestCallHungContextCancelClosesLateHandle(t *testing.T) {
	f := newFake()
	id := NewGUID()
	f.put(KindNetwork, id, `{}`)
	release := make(chan struct{})
	f.before = func(op string) error {
		if op == OpOpenNetwork {
			<-release
		}
		return nil
	}
	c := newTestClient(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.OpenNetwork(ctx, id.ID())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("returned after %v, not promptly", d)
	}
	close(release)
	waitFor(t, "the late handle to be closed", func() bool { return f.count(OpCloseNetwork) == 1 })
	if n := f.openHandles(); n != 0 {
		t.Errorf("%d handles left open", n)
	}
}

func TestCallCancelledCreateIsRolledBack(t *testing.T) {
	f := newFake()
	release := make(chan struct{})
	f.before = func(op string) error {
		if op == OpCreateNetwork {
			<-release
		}
		return nil
	}
	c := newTestClient(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	_, _, err := c.createRaw(ctx, KindNetwork, NilGUID, `{}`)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	close(release)
	waitFor(t, "the rollback", func() bool { return f.count(OpDeleteNetwork) == 1 })
	if n := f.openHandles(); n != 0 {
		t.Errorf("%d handles left open", n)
	}
	f.mu.Lock()
	left := len(f.objs[KindNetwork])
	f.mu.Unlock()
	if left != 0 {
		t.Errorf("%d networks left after the rollback", left)
	}
}

func TestCallDoneContextRunsNothing(t *testing.T) {
	f := newFake()
	c := newTestClient(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.OpenNetwork(ctx, NewGUID().ID()); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if n := f.totalCalls(); n != 0 {
		t.Errorf("%d service calls on a done context", n)
	}
}

func TestHandleCloseIdempotentAndDeferred(t *testing.T) {
	f := newFake()
	id := NewGUID()
	f.put(KindNetwork, id, `{}`)
	c := newTestClient(t, f)
	h, err := c.OpenNetwork(context.Background(), id.ID())
	if err != nil {
		t.Fatal(err)
	}
	// A query in flight when Close runs keeps the handle until it returns.
	inQuery, release := make(chan struct{}), make(chan struct{})
	f.before = func(op string) error {
		if op == OpQueryNetwork {
			close(inQuery)
			<-release
		}
		return nil
	}
	done := make(chan error, 1)
	go func() { _, err := h.QueryJSON(context.Background(), ""); done <- err }()
	<-inQuery
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); h.Close() }()
	}
	wg.Wait()
	if f.count(OpCloseNetwork) != 0 {
		t.Fatal("Close closed the service handle under a call in flight")
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("query in flight: %v", err)
	}
	if n := f.count(OpCloseNetwork); n != 1 {
		t.Errorf("HcnCloseNetwork called %d times, want 1", n)
	}
	if _, err := h.QueryJSON(context.Background(), ""); !errors.Is(err, ErrInvalidHandle) {
		t.Errorf("query after Close: got %v, want ErrInvalidHandle", err)
	}
	if err := h.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if f.count(OpDeleteNetwork) != 0 {
		t.Error("Close deleted the object")
	}
}

func TestRetryReadsOnlyTransient(t *testing.T) {
	f := newFake()
	fails := 2
	f.before = func(op string) error {
		if fails > 0 {
			fails--
			return &Error{Op: op, HRESULT: RPC_S_SERVER_UNAVAILABLE}
		}
		return nil
	}
	c := newTestClient(t, f)
	if _, err := c.EnumerateIDs(context.Background(), KindNetwork, ""); err != nil {
		t.Fatalf("enumerate after 2 transient failures: %v", err)
	}
	if n := f.count(OpEnumerateNetworks); n != 3 {
		t.Errorf("enumerate called %d times, want 3", n)
	}
	fails = 1
	err := c.Delete(context.Background(), KindNetwork, NewGUID().ID(), nil)
	if !errors.Is(err, ErrTransient) || IsNotFound(err) {
		t.Errorf("delete: got %v, want the transient failure unretried", err)
	}
	if n := f.count(OpDeleteNetwork); n != 1 {
		t.Errorf("delete called %d times, want 1 (writes are never retried)", n)
	}
	// Exhausted attempts report the transient failure, never not-found.
	fails = 100
	_, err = c.EnumerateIDs(context.Background(), KindNetwork, "")
	if !errors.Is(err, ErrTransient) || IsNotFound(err) {
		t.Errorf("got %v, want ErrTransient", err)
	}
	if n := f.count(OpEnumerateNetworks); n != 3+DefaultRetryPolicy.MaxAttempts {
		t.Errorf("enumerate called %d times in all, want %d", n, 3+DefaultRetryPolicy.MaxAttempts)
	}
}

func TestRetryBackoffHonoursContext(t *testing.T) {
	f := newFake()
	f.before = func(op string) error { return &Error{Op: op, HRESULT: HCN_E_MANAGER_STOPPED} }
	c, err := NewClient(&ClientOptions{Service: f, Retry: &RetryPolicy{MaxAttempts: 100, InitialBackoff: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.EnumerateIDs(ctx, KindNetwork, ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want the context's error", err)
	}
}

func TestDeleteIgnoreNotFound(t *testing.T) {
	c := newTestClient(t, newFake())
	ctx := context.Background()
	if err := c.Delete(ctx, KindEndpoint, NewGUID().ID(), nil); !IsNotFound(err) {
		t.Errorf("got %v, want ErrNotFound", err)
	}
	if err := c.Delete(ctx, KindEndpoint, NewGUID().ID(), &DeleteOptions{IgnoreNotFound: true}); err != nil {
		t.Errorf("IgnoreNotFound: got %v", err)
	}
	if err := c.Delete(ctx, Kind(99), NewGUID().ID(), nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad kind: got %v", err)
	}
}

func TestParseIDList(t *testing.T) {
	ids, err := parseIDList(`["{5F0B1190-63BE-4E0C-B974-BD0F55675A42}","5f0b1190-63be-4e0c-b974-bd0f55675a43"]`)
	if err != nil || len(ids) != 2 || ids[0].String() != "5f0b1190-63be-4e0c-b974-bd0f55675a42" {
		t.Fatalf("got %v, %v", ids, err)
	}
	for _, s := range []string{"", "null", "[]"} {
		if ids, err := parseIDList(s); err != nil || len(ids) != 0 {
			t.Errorf("%q: got %v, %v", s, ids, err)
		}
	}
	for _, s := range []string{"{", `["nope"]`, `[1]`} {
		if _, err := parseIDList(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: got %v, want ErrInvalid", s, err)
		}
	}
}

func FuzzParseIDList(f *testing.F) {
	f.Add(`["{5F0B1190-63BE-4E0C-B974-BD0F55675A42}"]`)
	f.Add(`null`)
	f.Add(`[""]`)
	f.Fuzz(func(t *testing.T, s string) {
		ids, err := parseIDList(s)
		if err != nil && len(ids) != 0 {
			t.Fatal("ids with an error")
		}
		if err == nil {
			_ = fmt.Sprint(ids)
		}
	})
}

func TestNewClientNilOptions(t *testing.T) {
	c, err := NewClient(nil)
	if runtime.GOOS == "windows" {
		if err == nil && c.Service() == nil {
			t.Error("nil service")
		}
		return
	}
	if !errors.Is(err, ErrNotSupported) || !strings.Contains(err.Error(), "ClientOptions.Service") {
		t.Errorf("got %v, want ErrNotSupported asking for ClientOptions.Service", err)
	}
}

// recordHandler collects log messages.
type recordHandler struct {
	mu   sync.Mutex
	msgs []string
}

func (h *recordHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(h.msgs, r.Level.String()+" "+r.Message)
	return nil
}
func (h *recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordHandler) WithGroup(string) slog.Handler      { return h }

func TestLoggerReceivesRetriesAndCleanupFailures(t *testing.T) {
	f := newFake()
	rec := &recordHandler{}
	c, err := NewClient(&ClientOptions{Service: f, Logger: slog.New(rec),
		Retry: &RetryPolicy{InitialBackoff: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	once := true
	f.before = func(op string) error {
		if once {
			once = false
			return &Error{Op: op, HRESULT: RPC_S_CALL_FAILED}
		}
		return nil
	}
	if _, err := c.EnumerateIDs(context.Background(), KindNetwork, ""); err != nil {
		t.Fatal(err)
	}
	c.closeHandle(KindNetwork, 12345) // not open: the fake fails it
	rec.mu.Lock()
	defer rec.mu.Unlock()
	got := strings.Join(rec.msgs, "\n")
	if !strings.Contains(got, "DEBUG hcn: retrying") || !strings.Contains(got, "WARN hcn: closing an orphaned handle failed") {
		t.Errorf("log records:\n%s", got)
	}
}
