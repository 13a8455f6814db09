package overlay

import (
	"context"
	"strconv"

	"github.com/hcnkit/hcn"
)

// EventType is what happened to one of the node's objects.
type EventType int

// The events Watch reports. None is reported for the node's own changes
// (Attach, Detach, Teardown, a replacement by EnsureNetwork).
const (
	// NetworkDeleted: the node's network was deleted. Its endpoints went
	// with it; EnsureNetwork (or the next Attach) creates it again.
	NetworkDeleted EventType = iota + 1
	// EndpointDetached: an attached container's endpoint left its
	// namespace (or was deleted): the container has lost its network.
	EndpointDetached
	// NamespaceDeleted: an attached container's namespace was deleted.
	NamespaceDeleted
	// ServiceRestarted: the service restarted (ServiceDisconnect). The
	// node's objects persist; call EnsureNetwork to check its network.
	ServiceRestarted
)

var eventNames = [...]string{"", "NetworkDeleted", "EndpointDetached", "NamespaceDeleted", "ServiceRestarted"}

// String returns the constant's name.
func (t EventType) String() string {
	if int(t) > 0 && int(t) < len(eventNames) {
		return eventNames[t]
	}
	return "EventType(" + strconv.Itoa(int(t)) + ")"
}

// Event is one change to the node's objects made behind its back.
type Event struct {
	// Type is what happened.
	Type EventType
	// ID is the object's id: the network, endpoint or namespace; empty for
	// ServiceRestarted.
	ID hcn.ID
	// ContainerID is the container the endpoint or namespace belongs to;
	// empty for network and service events.
	ContainerID string
	// Raw is the service notification the event comes from.
	Raw hcn.Event
}

// Watch reports changes to the node's objects that the node did not
// make: its network deleted, an attached container's endpoint detached
// or namespace deleted, a service restart. An agent reacts, for example,
// by calling EnsureNetwork on NetworkDeleted or ServiceRestarted. The
// channel is closed when ctx ends or the Client's watch ends. Events are
// matched against the node's objects as they arrive; an object the node
// forgets before its own change (Detach, Teardown) is never reported.
func (n *Node) Watch(ctx context.Context) (<-chan Event, error) {
	in, err := n.c.Watch(ctx)
	if err != nil {
		return nil, err
	}
	out := make(chan Event, 16)
	go func() {
		defer close(out)
		for ev := range in {
			e, ok := n.classify(ev)
			if !ok {
				continue
			}
			select {
			case out <- e:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// classify maps a notification to an event about the node's objects.
func (n *Node) classify(ev hcn.Event) (Event, bool) {
	e := Event{ID: ev.ID.Canonical(), Raw: ev}
	n.mu.Lock()
	defer n.mu.Unlock()
	switch ev.Type.Base() {
	case hcn.NotificationServiceDisconnect:
		e.ID = ""
		e.Type = ServiceRestarted
		return e, true
	case hcn.NotificationNetworkDelete:
		e.Type = NetworkDeleted
		ours := n.netID != "" && n.netID.Equal(ev.ID)
		if ours && n.network != nil && n.network.ID.Equal(ev.ID) {
			n.network = nil // the next Attach ensures it again
		}
		return e, ours
	case hcn.NotificationNetworkEndpointDetached:
		e.Type = EndpointDetached
	case hcn.NotificationNamespaceDelete:
		e.Type = NamespaceDeleted
	default:
		return e, false
	}
	id, ok := n.byID[e.ID]
	e.ContainerID = id
	return e, ok
}
