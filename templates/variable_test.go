package templates

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/cilium/ebpf"
)

// section is an mmapable one-element array, as cilium/ebpf makes data
// sections, filled with 0xee.
func section(t *testing.T, size uint32, flags uint32) (*ebpf.Map, []byte) {
	t.Helper()
	m := newMap(t, &ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: size, MaxEntries: 1, Flags: flags})
	fill := bytes.Repeat([]byte{0xee}, int(size))
	ok(t, m.Update(uint32(0), fill, ebpf.UpdateAny))
	return m, fill
}

func sectionBytes(t *testing.T, m *ebpf.Map) []byte {
	t.Helper()
	b := make([]byte, m.ValueSize())
	ok(t, m.Lookup(uint32(0), b))
	return b
}

func openVar[T any](t *testing.T, vars map[string]*ebpf.Variable, maps map[string]*ebpf.Map, offset uint32) Variable[T] {
	t.Helper()
	var err error
	v := OpenVariable[T](&err, vars, maps, "v", ".data", offset)
	ok(t, err)
	return v
}

// TestVariableMemory: Load and Store of variables of every size in the
// section's memory, seen through the map syscalls; which are atomic; the
// bytes around a variable stay.
func TestVariableMemory(t *testing.T) {
	m, want := section(t, 40, MapFlagMmapable)
	maps := map[string]*ebpf.Map{".data": m}

	u8 := openVar[uint8](t, nil, maps, 5)
	u16 := openVar[uint16](t, nil, maps, 6)
	u32 := openVar[uint32](t, nil, maps, 8)
	u64 := openVar[uint64](t, nil, maps, 16)
	b3 := openVar[[3]byte](t, nil, maps, 1)
	u32odd := openVar[uint32](t, nil, maps, 26)
	b12 := openVar[[12]byte](t, nil, maps, 28)
	atomic := map[string]bool{"u8": u8.Atomic(), "u16": u16.Atomic(), "u32": u32.Atomic(), "u64": u64.Atomic(),
		"[3]byte": b3.Atomic(), "u32 at 26": u32odd.Atomic(), "[12]byte": b12.Atomic()}
	for name, want := range map[string]bool{"u8": true, "u16": true, "u32": true, "u64": true, "[3]byte": false, "u32 at 26": false, "[12]byte": false} {
		if atomic[name] != want {
			t.Errorf("%s: Atomic() = %v, want %v", name, atomic[name], want)
		}
	}

	ok(t, u8.Store(0x12))
	ok(t, u16.Store(0x3456))
	ok(t, u32.Store(0x789abcde))
	ok(t, u64.Store(0x0102030405060708))
	ok(t, b3.Store([3]byte{1, 2, 3}))
	ok(t, u32odd.Store(0xa1a2a3a4))
	ok(t, b12.Store([12]byte{9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 1}))
	put := func(off int, v any) {
		var b []byte
		switch v := v.(type) {
		case uint8:
			b = []byte{v}
		case uint16:
			b = bytesOf(&v)
		case uint32:
			b = bytesOf(&v)
		case uint64:
			b = bytesOf(&v)
		case []byte:
			b = v
		}
		copy(want[off:], b)
	}
	put(5, uint8(0x12))
	put(6, uint16(0x3456))
	put(8, uint32(0x789abcde))
	put(16, uint64(0x0102030405060708))
	put(1, []byte{1, 2, 3})
	put(26, uint32(0xa1a2a3a4))
	put(28, []byte{9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 1})
	if got := sectionBytes(t, m); !bytes.Equal(got, want) {
		t.Errorf("section after Store:\n got % x\nwant % x", got, want)
	}

	// Written through the map, read through the memory.
	for i := range want {
		want[i] = byte(i)
	}
	ok(t, m.Update(uint32(0), want, ebpf.UpdateAny))
	if got := u8.Load(); got != 5 {
		t.Errorf("u8 = %#x", got)
	}
	if got := u16.Load(); bytesOf(&got)[0] != 6 || bytesOf(&got)[1] != 7 {
		t.Errorf("u16 = %#x", got)
	}
	if got := u32.Load(); !bytes.Equal(bytesOf(&got), want[8:12]) {
		t.Errorf("u32 = %#x", got)
	}
	if got := u64.Load(); !bytes.Equal(bytesOf(&got), want[16:24]) {
		t.Errorf("u64 = %#x", got)
	}
	if got := b12.Load(); !bytes.Equal(got[:], want[28:40]) {
		t.Errorf("[12]byte = % x", got)
	}
}

// TestVariableNeighbours: two one-byte variables of one word, stored
// concurrently, never overwrite each other (compare-and-swap of the word):
// each goroutine reads back what it stored.
func TestVariableNeighbours(t *testing.T) {
	m, _ := section(t, 8, MapFlagMmapable)
	maps := map[string]*ebpf.Map{".data": m}
	var wg sync.WaitGroup
	var lost [2]int
	start := make(chan struct{})
	for i, off := range []uint32{0, 1} {
		v := openVar[uint8](t, nil, maps, off)
		wg.Go(func() {
			<-start
			for n := range 1000000 {
				_ = v.Store(uint8(n))
				if v.Load() != uint8(n) {
					lost[i]++
				}
			}
		})
	}
	close(start)
	wg.Wait()
	if lost != [2]int{} {
		t.Errorf("stores lost to the neighbour's: %v", lost)
	}
}

// TestVariableReadOnly: a frozen section (.rodata after load) maps
// read-only: Load works, Store fails with ErrReadOnly.
func TestVariableReadOnly(t *testing.T) {
	m, _ := section(t, 8, MapFlagMmapable|MapFlagRdonlyProg)
	ok(t, m.Freeze())
	v := openVar[uint32](t, nil, map[string]*ebpf.Map{".data": m}, 4)
	if !v.ReadOnly() {
		t.Error("variable of a frozen map is not read-only")
	}
	if got := v.Load(); got != 0xeeeeeeee {
		t.Errorf("Load = %#x", got)
	}
	if err := v.Store(1); !errors.Is(err, ebpf.ErrReadOnly) {
		t.Errorf("Store = %v, want ErrReadOnly", err)
	}
}

// TestOpenVariableErrors: what OpenVariable refuses, and that the first
// error stays.
func TestOpenVariableErrors(t *testing.T) {
	mm, _ := section(t, 8, MapFlagMmapable)
	plain, _ := section(t, 8, 0)
	hash := newMap(t, &ebpf.MapSpec{Type: ebpf.Hash, KeySize: 4, ValueSize: 8, MaxEntries: 1})
	tests := []struct {
		name string
		maps map[string]*ebpf.Map
		off  uint32
		want string
	}{
		{"beyond the section", map[string]*ebpf.Map{".data": mm}, 6, "do not fit the 8-byte section"},
		{"not an array", map[string]*ebpf.Map{".data": hash}, 0, "kernel map type is Hash"},
		{"not mmapable, no variable", map[string]*ebpf.Map{".data": plain}, 0, "not in the collection"},
		{"nothing", nil, 0, "not in the collection"},
	}
	for _, tt := range tests {
		var err error
		OpenVariable[uint32](&err, nil, tt.maps, "v", ".data", tt.off)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "v") {
			t.Errorf("%s: %v, want an error naming v with %q", tt.name, err, tt.want)
		}
	}
	first := errors.New("first")
	err := first
	if v := OpenVariable[uint32](&err, nil, map[string]*ebpf.Map{".data": mm}, "v", ".data", 0); err != first || v.mem != nil {
		t.Errorf("OpenVariable after a failure: %v", err)
	}
}

func TestVariableSpec(t *testing.T) {
	spec := &ebpf.CollectionSpec{Variables: map[string]*ebpf.VariableSpec{
		"a": {Name: "a", SectionName: ".rodata", Value: []byte{1, 0, 0, 0}},
		"b": {Name: "b", SectionName: ".rodata", Offset: 4, Value: []byte{2, 0}},
	}}
	var err error
	a := OpenVariableSpec[uint32](&err, spec, "a")
	ok(t, err)
	if got := a.Get(); got != 1 {
		t.Errorf("Get = %d, want 1", got)
	}
	a.Set(0x01020304)
	var got uint32
	if err := spec.Variables["a"].Get(&got); err != nil || got != 0x01020304 {
		t.Errorf("after Set: %#x, %v", got, err)
	}
	if v := spec.Variables["b"].Value; !bytes.Equal(v, []byte{2, 0}) {
		t.Errorf("b changed: % x", v)
	}
	var se *SizeError
	if OpenVariableSpec[uint32](&err, spec, "b"); !errors.As(err, &se) || se.Map != "b" {
		t.Errorf("a 4-byte type for a 2-byte variable: %v, want a SizeError naming b", err)
	}
	err = nil
	if OpenVariableSpec[uint32](&err, spec, "c"); err == nil || !strings.Contains(err.Error(), "c") {
		t.Errorf("missing variable: %v", err)
	}
}

// TestVariableSwap: Swap and CompareAndSwap of every atomic size, with the
// neighbouring bytes kept; refused where they cannot be atomic.
func TestVariableSwap(t *testing.T) {
	m, want := section(t, 32, MapFlagMmapable)
	maps := map[string]*ebpf.Map{".data": m}
	u8, u16 := openVar[uint8](t, nil, maps, 1), openVar[uint16](t, nil, maps, 2)
	u32, u64 := openVar[uint32](t, nil, maps, 4), openVar[uint64](t, nil, maps, 8)
	if old, err := u64.Swap(7); err != nil || old != 0xeeeeeeeeeeeeeeee {
		t.Errorf("u64.Swap = %#x, %v", old, err)
	}
	if old, err := u32.Swap(9); err != nil || old != 0xeeeeeeee {
		t.Errorf("u32.Swap = %#x, %v", old, err)
	}
	if ok, err := u16.CompareAndSwap(1, 2); ok || err != nil {
		t.Errorf("u16.CompareAndSwap of a wrong old value = %v, %v", ok, err)
	}
	if ok, err := u16.CompareAndSwap(0xeeee, 0x1234); !ok || err != nil {
		t.Errorf("u16.CompareAndSwap = %v, %v", ok, err)
	}
	if old, err := u8.Swap(3); err != nil || old != 0xee {
		t.Errorf("u8.Swap = %#x, %v", old, err)
	}
	want[1] = 3
	x16, x32, x64 := uint16(0x1234), uint32(9), uint64(7)
	copy(want[2:], bytesOf(&x16))
	copy(want[4:], bytesOf(&x32))
	copy(want[8:], bytesOf(&x64))
	if got := sectionBytes(t, m); !bytes.Equal(got, want) {
		t.Errorf("section after the swaps:\n got % x\nwant % x", got, want)
	}
	odd := openVar[uint32](t, nil, maps, 18)
	if _, err := odd.Swap(1); !errors.Is(err, ebpf.ErrNotSupported) {
		t.Errorf("Swap of an unaligned u32 = %v, want ErrNotSupported", err)
	}
}
