package hcn

import "encoding/json"

// GuestNetworkService is a GuestNetworkService document
// (HcnCreateGuestNetworkService, HcnQueryGuestNetworkServiceProperties).
// Members whose shape the references do not give (MirroredInterfaces,
// GnsRpcServerInformation) are kept as raw JSON.
type GuestNetworkService struct {
	// ID is the guest network service's GUID as written; empty on create lets
	// the service assign one.
	ID               ID     `json:"ID,omitempty"`
	VirtualMachineID string `json:"VirtualMachineId,omitempty"` // GUID of the VM the service serves (wire "VirtualMachineId")
	// MirroredInterfaces (schema 2.2).
	MirroredInterfaces json.RawMessage `json:"MirroredInterfaces,omitempty"`
	// MirrorHostNetworking (schema 2.5).
	MirrorHostNetworking bool `json:"MirrorHostNetworking,omitempty"`
	// GnsRpcServerInformation (schema 2.11).
	GnsRPCServerInformation json.RawMessage `json:"GnsRpcServerInformation,omitempty"`
	// Flags (schema 2.12).
	Flags uint32 `json:"Flags,omitempty"`
	// State is the service's state; it decodes from a name or a number
	// (a number comes back as its name).
	State GuestNetworkServiceState `json:"State,omitempty"`
	// SchemaVersion: MarshalForCreate sets 2.0 when it is zero.
	SchemaVersion SchemaVersion `json:"SchemaVersion,omitempty"`
	BaseFields

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// Kind returns KindGuestNetworkService.
func (*GuestNetworkService) Kind() Kind { return KindGuestNetworkService }

func (g *GuestNetworkService) schema() *SchemaVersion { return &g.SchemaVersion }

// MarshalJSON implements json.Marshaler.
func (g GuestNetworkService) MarshalJSON() ([]byte, error) { return encodeFrom(&g) }

// UnmarshalJSON implements json.Unmarshaler.
func (g *GuestNetworkService) UnmarshalJSON(b []byte) error { return decodeInto(b, g) }
