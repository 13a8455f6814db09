package hcn

// EndpointStats is the output of HcnQueryEndpointStats: the endpoint's
// traffic counters. A counter the service does not report decodes as zero
// (older hosts omit some); members the library does not model are kept.
type EndpointStats struct {
	// BytesReceived is the number of bytes the endpoint received.
	BytesReceived uint64 `json:"BytesReceived,omitempty"`
	// BytesSent is the number of bytes the endpoint sent.
	BytesSent uint64 `json:"BytesSent,omitempty"`
	// DroppedPacketsIncoming is the number of incoming packets dropped.
	DroppedPacketsIncoming uint64 `json:"DroppedPacketsIncoming,omitempty"`
	// DroppedPacketsOutgoing is the number of outgoing packets dropped.
	DroppedPacketsOutgoing uint64 `json:"DroppedPacketsOutgoing,omitempty"`
	// EndpointID is the endpoint's GUID (HNS v1 writes "EndpointId").
	EndpointID string `json:"EndpointID,omitempty"`
	// InstanceID is an id the service reports with the counters; its meaning
	// is undocumented (HNS v1 writes "InstanceId").
	InstanceID string `json:"InstanceID,omitempty"`
	// PacketsReceived is the number of packets the endpoint received.
	PacketsReceived uint64 `json:"PacketsReceived,omitempty"`
	// PacketsSent is the number of packets the endpoint sent.
	PacketsSent uint64 `json:"PacketsSent,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (s EndpointStats) MarshalJSON() ([]byte, error) { return encodeFrom(&s) }

// UnmarshalJSON implements json.Unmarshaler.
func (s *EndpointStats) UnmarshalJSON(b []byte) error { return decodeInto(b, s) }

// ParseEndpointStats decodes the text HcnQueryEndpointStats returns.
func ParseEndpointStats(text string) (EndpointStats, error) {
	var s EndpointStats
	err := decodeInto([]byte(text), &s)
	return s, err
}
