package hcn

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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

// corpusDoc is one golden input with the type that decodes it.
type corpusDoc struct {
	name string
	data []byte
	new  func() any
}

// benchCorpus returns every golden input (the documents TestGoldenRoundTrip
// decodes) and their total size.
func benchCorpus(b *testing.B) ([]corpusDoc, int64) {
	b.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if err != nil {
		b.Fatal(err)
	}
	var docs []corpusDoc
	var size int64
	for _, p := range paths {
		name := filepath.Base(p)
		if strings.HasSuffix(name, ".out.json") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		d := corpusDoc{name: name, data: data}
		for _, k := range goldenKinds {
			if strings.HasPrefix(name, k.prefix) {
				d.new = k.new
				break
			}
		}
		if d.new == nil {
			b.Fatalf("%s: no type for this file name", name)
		}
		docs = append(docs, d)
		size += int64(len(data))
	}
	if len(docs) < 50 {
		b.Fatalf("only %d golden documents", len(docs))
	}
	return docs, size
}

// BenchmarkCorpusDecode decodes every golden document into its typed model
// with json.Unmarshal.
func BenchmarkCorpusDecode(b *testing.B) {
	docs, size := benchCorpus(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			if err := json.Unmarshal(d.data, d.new()); err != nil {
				b.Fatalf("%s: %v", d.name, err)
			}
		}
	}
}

// BenchmarkCorpusDecodeMethod decodes every golden document through its
// UnmarshalJSON method, as the Client does with the text the service
// returns.
func BenchmarkCorpusDecodeMethod(b *testing.B) {
	docs, size := benchCorpus(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			if err := d.new().(json.Unmarshaler).UnmarshalJSON(d.data); err != nil {
				b.Fatalf("%s: %v", d.name, err)
			}
		}
	}
}

// BenchmarkCorpusDecodeMap is the decode baseline: every golden document
// into a map[string]any with plain encoding/json.
func BenchmarkCorpusDecodeMap(b *testing.B) {
	docs, size := benchCorpus(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			var m map[string]any
			if err := json.Unmarshal(d.data, &m); err != nil {
				b.Fatalf("%s: %v", d.name, err)
			}
		}
	}
}

// BenchmarkCorpusEncode encodes every decoded golden document with
// json.Marshal. Throughput is counted in input bytes, as for the map
// baseline.
func BenchmarkCorpusEncode(b *testing.B) {
	docs, size := benchCorpus(b)
	vals := make([]any, len(docs))
	for i, d := range docs {
		vals[i] = d.new()
		if err := json.Unmarshal(d.data, vals[i]); err != nil {
			b.Fatalf("%s: %v", d.name, err)
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for i, v := range vals {
			if _, err := json.Marshal(v); err != nil {
				b.Fatalf("%s: %v", docs[i].name, err)
			}
		}
	}
}

// BenchmarkCorpusEncodeMethod encodes every decoded golden document through
// its MarshalJSON method, as the Client does for the text it sends.
func BenchmarkCorpusEncodeMethod(b *testing.B) {
	docs, size := benchCorpus(b)
	vals := make([]json.Marshaler, len(docs))
	for i, d := range docs {
		v := d.new()
		if err := json.Unmarshal(d.data, v); err != nil {
			b.Fatalf("%s: %v", d.name, err)
		}
		vals[i] = v.(json.Marshaler)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for i, v := range vals {
			if _, err := v.MarshalJSON(); err != nil {
				b.Fatalf("%s: %v", docs[i].name, err)
			}
		}
	}
}

// BenchmarkCorpusEncodeMap is the encode baseline: every golden document,
// decoded into a map[string]any, encoded with plain encoding/json.
func BenchmarkCorpusEncodeMap(b *testing.B) {
	docs, size := benchCorpus(b)
	vals := make([]map[string]any, len(docs))
	for i, d := range docs {
		if err := json.Unmarshal(d.data, &vals[i]); err != nil {
			b.Fatalf("%s: %v", d.name, err)
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for i, v := range vals {
			if _, err := json.Marshal(v); err != nil {
				b.Fatalf("%s: %v", docs[i].name, err)
			}
		}
	}
}
