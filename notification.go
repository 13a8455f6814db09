package hcn

import (
	"encoding/json"
	"strings"
)

// Notification is one service notification, as a NotificationFunc
// receives it, with its payload decoded.
type Notification struct {
	// Type is the notification type (flag bits included).
	Type NotificationType
	// Status is the status the service reported with it.
	Status HRESULT
	// ID is the object the notification is about (zero when the payload
	// names none).
	ID GUID
	// Flags are the payload's flags.
	Flags uint32
	// Data is the payload's Data member (schema 2.2), raw; nil when absent.
	Data json.RawMessage
}

// NotificationPayload is the JSON payload of a service notification:
// {"ID": "<guid>", "Flags": <uint32>, "Data": ...}. Unknown members are
// kept.
type NotificationPayload struct {
	// ID is the GUID of the object the notification is about, as written.
	ID string `json:"ID,omitempty"`
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

// ParseNotification decodes a notification's payload. An empty (or
// all-blank) payload gives a Notification with only Type and Status. A
// payload that is not a JSON object, or whose ID is not a GUID, is an
// error naming the member.
func ParseNotification(typ NotificationType, status HRESULT, payload string) (Notification, error) {
	n := Notification{Type: typ, Status: status}
	if strings.TrimSpace(payload) == "" {
		return n, nil
	}
	var p NotificationPayload
	if err := decodeInto([]byte(payload), &p); err != nil {
		return n, err
	}
	if p.ID != "" {
		id, err := ParseGUID(p.ID)
		if err != nil {
			return n, &DecodeError{Path: "ID", Err: err}
		}
		n.ID = id
	}
	n.Flags, n.Data = p.Flags, p.Data
	return n, nil
}
