package hcn

// EndpointStats is the output of HcnQueryEndpointStats: the endpoint's
// traffic counters. A counter the service does not report decodes as zero
// (older hosts omit some); members the library does not model are kept.
type EndpointStats struct {
	BytesReceived          uint64 `json:"BytesReceived,omitempty"`
	BytesSent              uint64 `json:"BytesSent,omitempty"`
	DroppedPacketsIncoming uint64 `json:"DroppedPacketsIncoming,omitempty"`
	DroppedPacketsOutgoing uint64 `json:"DroppedPacketsOutgoing,omitempty"`
	EndpointID             string `json:"EndpointID,omitempty"`
	InstanceID             string `json:"InstanceID,omitempty"`
	PacketsReceived        uint64 `json:"PacketsReceived,omitempty"`
	PacketsSent            uint64 `json:"PacketsSent,omitempty"`

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
