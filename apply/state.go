package apply

import (
	"context"
	"slices"
	"sync"

	"github.com/hcnkit/hcn"
)

// State is a cache of the objects that exist: networks, endpoints,
// namespaces, load balancers and SDN routes, by id. Plan reads the service
// to build one, or, given Options.Observed, reconciles the given one with
// one enumerate per family it needs (reading only the objects the cache
// lacks and dropping those that are gone), so that converging a large set
// costs calls in proportion to what changed.
//
// What an enumerate cannot see is a change made by another writer to an
// object the cache holds. A caller that shares the host with other writers
// keeps the cache current one of three ways: Refresh (reads everything
// again, 1+3N calls), Observe with each event of Client.Watch (reads the one
// object the event names), or Forget for an object it knows changed.
// Apply keeps the plan's State current with what it did itself.
//
// A State is safe for concurrent use.
type State struct {
	mu   sync.Mutex
	objs [len(order)]map[hcn.ID]hcn.Document
}

// NewState returns an empty State.
func NewState() *State {
	s := &State{}
	for i := range s.objs {
		s.objs[i] = map[hcn.ID]hcn.Document{}
	}
	return s
}

// Refresh replaces the cache's contents with what the service reports now.
func (s *State) Refresh(ctx context.Context, c *hcn.Client) error {
	for _, k := range order {
		if err := s.load(ctx, c, k); err != nil {
			return err
		}
	}
	return nil
}

// load replaces one family with a full list.
func (s *State) load(ctx context.Context, c *hcn.Client, k hcn.Kind) error {
	docs, err := list(ctx, c, k)
	if err != nil {
		return err
	}
	m := make(map[hcn.ID]hcn.Document, len(docs))
	for _, d := range docs {
		m[idOf(d).Canonical()] = d
	}
	s.mu.Lock()
	s.objs[kindIndex(k)] = m
	s.mu.Unlock()
	return nil
}

// reconcile brings one family in line with the service's enumeration:
// HcnEnumerate<Kind>s, then a read of each id the cache lacks.
func (s *State) reconcile(ctx context.Context, c *hcn.Client, k hcn.Kind) error {
	ids, err := c.EnumerateIDs(ctx, k, "")
	if err != nil {
		return err
	}
	live := make(map[hcn.ID]bool, len(ids))
	var missing []hcn.ID
	s.mu.Lock()
	m := s.objs[kindIndex(k)]
	for _, id := range ids {
		id = id.Canonical()
		live[id] = true
		if m[id] == nil {
			missing = append(missing, id)
		}
	}
	for id := range m {
		if !live[id] {
			delete(m, id)
		}
	}
	s.mu.Unlock()
	for _, id := range missing {
		d, err := get(ctx, c, k, id)
		if hcn.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		s.put(d)
	}
	return nil
}

// Observe updates the cache from one event of Client.Watch: it reads the
// object the event names again (dropping it when it is gone). Events that
// name no object of the five families are ignored; a disconnection event
// asks for a Refresh, which Observe does.
func (s *State) Observe(ctx context.Context, c *hcn.Client, ev hcn.Event) error {
	if ev.Disconnected() {
		return s.Refresh(ctx, c)
	}
	if kindIndex(ev.Kind) < 0 || ev.ID.IsZero() {
		return nil
	}
	d, err := get(ctx, c, ev.Kind, ev.ID)
	switch {
	case hcn.IsNotFound(err):
		s.Forget(ev.Kind, ev.ID)
		return nil
	case err != nil:
		return err
	}
	s.put(d)
	return nil
}

// Forget drops one object from the cache; the next Plan reads it again if
// it still exists.
func (s *State) Forget(k hcn.Kind, id hcn.ID) {
	i := kindIndex(k)
	if i < 0 {
		return
	}
	s.mu.Lock()
	delete(s.objs[i], id.Canonical())
	s.mu.Unlock()
}

// put records d under its id.
func (s *State) put(d hcn.Document) {
	s.mu.Lock()
	s.objs[kindIndex(d.Kind())][idOf(d).Canonical()] = d
	s.mu.Unlock()
}

// Get returns the cached document of an object, or nil. The document is
// the cache's own: do not modify it.
func (s *State) Get(k hcn.Kind, id hcn.ID) hcn.Document {
	i := kindIndex(k)
	if i < 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.objs[i][id.Canonical()]
}

// Objects returns the cached documents of a family, ordered by id. The
// documents are the cache's own: do not modify them.
func (s *State) Objects(k hcn.Kind) []hcn.Document {
	i := kindIndex(k)
	if i < 0 {
		return nil
	}
	s.mu.Lock()
	ids := make([]hcn.ID, 0, len(s.objs[i]))
	for id := range s.objs[i] {
		ids = append(ids, id)
	}
	slices.Sort(ids) // keys are canonical
	out := make([]hcn.Document, len(ids))
	for j, id := range ids {
		out[j] = s.objs[i][id]
	}
	s.mu.Unlock()
	return out
}

// Len returns how many objects of a family the cache holds.
func (s *State) Len(k hcn.Kind) int {
	i := kindIndex(k)
	if i < 0 {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.objs[i])
}
