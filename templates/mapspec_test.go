package templates

import (
	"errors"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/mapgen/mapgen/internal/kerneltest"
)

// TestMapSpecCreate: maps created from a definition are new, empty, typed
// in BTF (an enum key of an array becomes the __u32 the kernel wants) and
// wrapped; the definition's contents and pinning are not copied.
func TestMapSpecCreate(t *testing.T) {
	u32 := &btf.Int{Name: "__u32", Size: 4}
	u64 := &btf.Int{Name: "__u64", Size: 8}
	value := &btf.Struct{Name: "counters", Size: 16, Members: []btf.Member{
		{Name: "packets", Type: u64}, {Name: "bytes", Type: u64, Offset: 64}}}
	action := &btf.Enum{Name: "action", Size: 4, Values: []btf.EnumValue{{Name: "A", Value: 0}}}
	spec := &ebpf.CollectionSpec{Maps: map[string]*ebpf.MapSpec{
		"flows": {Name: "flows", Type: ebpf.Hash, KeySize: 4, ValueSize: 16, MaxEntries: 8, Key: u32, Value: value,
			Pinning: ebpf.PinByName, Contents: []ebpf.MapKV{{Key: uint32(1), Value: counters{1, 2}}}},
		"by_action": {Name: "by_action", Type: ebpf.Array, KeySize: 4, ValueSize: 16, MaxEntries: 2, Key: action, Value: value},
		"outer": {Name: "outer", Type: ebpf.ArrayOfMaps, KeySize: 4, ValueSize: 4, MaxEntries: 2,
			InnerMap: &ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: 16, MaxEntries: 2, Key: action, Value: value}},
	}}
	btfID := func(m *ebpf.Map) btf.ID {
		t.Helper()
		info, err := m.Info()
		ok(t, err)
		id, _ := info.BTFID()
		return id
	}

	var err error
	flows := OpenMapSpec(&err, spec, "flows", ebpf.Hash, NewHash[uint32, counters])
	byAction := OpenMapSpec(&err, spec, "by_action", ebpf.Array, NewArray[counters])
	inner := OpenInnerMapSpec(&err, spec, "outer", ebpf.Array, NewArray[counters])
	ok(t, err)
	kerneltest.Require(t)

	h := must[Hash[uint32, counters]](t)(flows.Create("created"))
	defer h.Close()
	if _, err := h.Lookup(1); !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Errorf("created map has the definition's contents: %v", err)
	}
	if btfID(h.Map()) == 0 {
		t.Error("created hash has no BTF")
	}
	for name, s := range map[string]MapSpec[Array[counters]]{"array": byAction, "inner": inner} {
		a := must[Array[counters]](t)(s.Create(""))
		if btfID(a.Map()) == 0 {
			t.Errorf("%s with an enum key: no BTF", name)
		}
		a.Close()
	}
	// A map of maps made from its definition makes typed inner maps.
	outer := must[ArrayOfMaps[Array[counters]]](t)(OpenMapSpec(&err, spec, "outer", ebpf.ArrayOfMaps,
		ArrayOfMapsWith(OpenerOf("inner", NewArray[counters]), nil)).Create("outer2"))
	defer outer.Close()
	in := must[Array[counters]](t)(outer.NewInner("in"))
	defer in.Close()
	ok(t, outer.Set(1, in))
	if btfID(in.Map()) == 0 {
		t.Error("NewInner of a created map of maps: no BTF")
	}
	if spec.Maps["by_action"].Key != action {
		t.Error("Create changed the definition's key")
	}

	// What OpenMapSpec refuses.
	var te *TypeError
	err = nil
	if OpenMapSpec(&err, spec, "flows", ebpf.LRUHash, NewHash[uint32, counters]); !errors.As(err, &te) || te.Map != "flows" {
		t.Errorf("a hash opened as an LRU hash: %v", err)
	}
	err = nil
	if OpenInnerMapSpec(&err, spec, "flows", ebpf.Array, NewArray[counters]); err == nil || !strings.Contains(err.Error(), "no inner map template") {
		t.Errorf("inner template of a hash: %v", err)
	}
	err = nil
	if OpenMapSpec(&err, spec, "nosuch", ebpf.Hash, NewHash[uint32, counters]); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("missing map: %v", err)
	}
	if _, err := OpenMapSpec(new(error), spec, "flows", ebpf.Hash, NewHash[uint32, uint32]).Create("x"); !errors.As(err, new(*SizeError)) {
		t.Errorf("Create with a wrong value type: %v, want a SizeError", err)
	}
}
