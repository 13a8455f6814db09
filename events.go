package hcn

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Event is one service notification, typed: what Client.Watch delivers and
// ParseEvent decodes.
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
	// the service sent it; empty when the payload has none.
	ID ID
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

// newEvent is ParseEvent for delivery: a payload that does not decode
// still gives an event, with Type, Kind, Status and Payload set.
func newEvent(t NotificationType, status HRESULT, data string) Event {
	e, err := ParseEvent(t, status, data)
	if err != nil {
		return Event{Type: t, Kind: eventKind(t), Status: status, Payload: data}
	}
	return e
}

// ParseEvent decodes a notification as a NotificationFunc receives it. An
// empty (or all-blank) payload gives an Event without ID, Flags and Data. A
// payload that is not a JSON object, or whose ID is not a GUID, is an error
// wrapping ErrInvalid that names the member.
func ParseEvent(typ NotificationType, status HRESULT, payload string) (Event, error) {
	e := Event{Type: typ, Kind: eventKind(typ), Status: status, Payload: payload}
	if strings.TrimSpace(payload) == "" {
		return e, nil
	}
	var p NotificationPayload
	if err := decodeInto([]byte(payload), &p); err != nil {
		return e, err
	}
	if _, err := p.ID.GUID(); err != nil {
		return e, &DecodeError{Path: "ID", Err: fmt.Errorf("%q is not a GUID", p.ID)}
	}
	e.ID, e.Flags, e.Data = p.ID, p.Flags, p.Data
	return e, nil
}

// NotificationPayload is the JSON payload of a service notification:
// {"ID": "<guid>", "Flags": <uint32>, "Data": ...}. Unknown members are
// kept.
type NotificationPayload struct {
	// ID is the GUID of the object the notification is about, as written.
	ID ID `json:"ID,omitempty"`
	// Flags are the payload's flags; their bits are undocumented and kept
	// as sent.
	Flags uint32 `json:"Flags,omitempty"`
	// Data is the notification's data (schema 2.2), raw JSON, e.g. the
	// State and Interfaces of a guest network service.
	Data json.RawMessage `json:"Data,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (p NotificationPayload) MarshalJSON() ([]byte, error) { return encodeFrom(&p) }

// UnmarshalJSON implements json.Unmarshaler.
func (p *NotificationPayload) UnmarshalJSON(b []byte) error { return decodeInto(b, p) }
