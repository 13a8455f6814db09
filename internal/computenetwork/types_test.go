package computenetwork

import (
	"testing"
	"unsafe"
)

// The offsets are those of the SDK header on x64 (see the C API reference):
// any drift makes the DLL read garbage, so they are pinned on every OS.
func TestPortRangeEntryLayout(t *testing.T) {
	var e PortRangeEntry
	checks := []struct {
		name      string
		got, want uintptr
	}{
		{"sizeof", unsafe.Sizeof(e), 64},
		{"alignof", unsafe.Alignof(e), 8},
		{"OwningPartitionID", unsafe.Offsetof(e.OwningPartitionID), 0},
		{"TargetPartitionID", unsafe.Offsetof(e.TargetPartitionID), 16},
		{"Protocol", unsafe.Offsetof(e.Protocol), 32},
		{"Priority", unsafe.Offsetof(e.Priority), 40},
		{"ReservationType", unsafe.Offsetof(e.ReservationType), 48},
		{"SharingFlags", unsafe.Offsetof(e.SharingFlags), 52},
		{"DeliveryMode", unsafe.Offsetof(e.DeliveryMode), 56},
		{"StartingPort", unsafe.Offsetof(e.StartingPort), 60},
		{"EndingPort", unsafe.Offsetof(e.EndingPort), 62},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("HCN_PORT_RANGE_ENTRY %s = %d, want %d", c.name, c.got, c.want)
		}
	}
}

func TestPortRangeReservationLayout(t *testing.T) {
	var r PortRangeReservation
	if got := unsafe.Sizeof(r); got != 4 {
		t.Errorf("sizeof HCN_PORT_RANGE_RESERVATION = %d, want 4", got)
	}
	if got := unsafe.Offsetof(r.EndingPort); got != 2 {
		t.Errorf("offset of endingPort = %d, want 2", got)
	}
}

func TestGUIDLayout(t *testing.T) {
	var g GUID
	if got := unsafe.Sizeof(g); got != 16 {
		t.Errorf("sizeof GUID = %d, want 16", got)
	}
	if got := unsafe.Offsetof(g.Data4); got != 8 {
		t.Errorf("offset of Data4 = %d, want 8", got)
	}
}
