package hcn

import (
	"encoding/json"
)

// Event is one service notification, typed.
type Event struct {
	// Type is the notification type as the service sent it, flag bits
	// included; switch on Type.Base().
	Type NotificationType
	// Kind is the object family the notification is about: networks for
	// Network*, namespaces for Namespace*, guest network services for
	// GuestNetworkService*, endpoints for NetworkEndpointAttached/Detached,
	// zero for ServiceDisconnect and unknown types.
	Kind Kind
	// ID is the payload's "ID": the object the notification is about, as
	// the service sent it; zero when the payload has none.
	ID GUID
	// Flags is the payload's "Flags".
	Flags uint32
	// Status is the HRESULT the service delivered with the notification.
	Status HRESULT
	// Data is the payload's "Data" (raw JSON), if any.
	Data json.RawMessage
	// Payload is the whole payload text as received (may be empty).
	Payload string
}

// Disconnected reports whether e is NotificationServiceDisconnect: the
// service went away (a restart). Handles opened before it may be invalid.
func (e Event) Disconnected() bool { return e.Type.Base() == NotificationServiceDisconnect }

// eventKind maps a notification type to the family it is about.
func eventKind(t NotificationType) Kind {
	switch t.Base() {
	case NotificationNetworkPreCreate, NotificationNetworkCreate, NotificationNetworkPreDelete, NotificationNetworkDelete:
		return KindNetwork
	case NotificationNamespaceCreate, NotificationNamespaceDelete:
		return KindNamespace
	case NotificationGuestNetworkServiceCreate, NotificationGuestNetworkServiceDelete,
		NotificationGuestNetworkServiceStateChanged, NotificationGuestNetworkServiceInterfaceStateChanged:
		return KindGuestNetworkService
	case NotificationNetworkEndpointAttached, NotificationNetworkEndpointDetached:
		return KindEndpoint
	}
	return 0
}

// newEvent decodes a notification (see ParseNotification). A payload
// that does not decode still gives an event, with Payload set; decoding
// never fails.
func newEvent(t NotificationType, status HRESULT, data string) Event {
	e := Event{Type: t, Kind: eventKind(t), Status: status, Payload: data}
	if n, err := ParseNotification(t, status, data); err == nil {
		e.ID, e.Flags, e.Data = n.ID, n.Flags, n.Data
	}
	return e
}
