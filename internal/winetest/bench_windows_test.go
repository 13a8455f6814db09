package winetest

import (
	"fmt"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// The cost of the DLL boundary: the same operations through host service →
// stand-in computenetwork.dll → hcnsim, and on hcnsim in process. Run with
//
//	scripts/wine-test.sh -run '^$' -bench . -benchmem
//
// Open+Query+Close is three DLL calls per operation.

func benchNetwork(b *testing.B, svc hcn.Service) hcn.GUID {
	b.Helper()
	h, err := svc.Create(hcn.KindNetwork, hcn.NilGUID, fmt.Sprintf(netDoc, "bench-net", 50, 50))
	if err != nil {
		b.Fatalf("create: %v", err)
	}
	defer svc.Close(hcn.KindNetwork, h)
	props, err := svc.Query(hcn.KindNetwork, h, "")
	if err != nil {
		b.Fatalf("query: %v", err)
	}
	var v struct{ ID hcn.GUID }
	if err := jsonUnmarshal(props, &v); err != nil {
		b.Fatal(err)
	}
	return v.ID
}

func benchOpenQueryClose(b *testing.B, svc hcn.Service) {
	id := benchNetwork(b, svc)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := openQueryClose(svc, hcn.KindNetwork, id); err != nil {
			b.Fatal(err)
		}
	}
}

func benchEnumerate(b *testing.B, svc hcn.Service) {
	benchNetwork(b, svc)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := svc.Enumerate(hcn.KindNetwork, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenQueryCloseDLL(b *testing.B) {
	simReset(b)
	benchOpenQueryClose(b, newHost(b))
}

func BenchmarkOpenQueryCloseInProcess(b *testing.B) {
	benchOpenQueryClose(b, hcnsim.New(nil))
}

func BenchmarkEnumerateDLL(b *testing.B) {
	simReset(b)
	benchEnumerate(b, newHost(b))
}

func BenchmarkEnumerateInProcess(b *testing.B) {
	benchEnumerate(b, hcnsim.New(nil))
}
