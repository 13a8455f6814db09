package hcn

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func benchDoc(b *testing.B) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", "golden", "network-service-overlay.json"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkDecodeNetwork decodes a service-shaped overlay network.
func BenchmarkDecodeNetwork(b *testing.B) {
	data := benchDoc(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var n Network
		if err := json.Unmarshal(data, &n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeNetwork encodes it back.
func BenchmarkEncodeNetwork(b *testing.B) {
	data := benchDoc(b)
	var n Network
	if err := json.Unmarshal(data, &n); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := json.Marshal(n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeGeneric is the baseline: the same text into a generic
// map with plain encoding/json.
func BenchmarkDecodeGeneric(b *testing.B) {
	data := benchDoc(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			b.Fatal(err)
		}
	}
}
