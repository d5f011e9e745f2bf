package gen

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/layout"
)

// TestSectionBeyondLimit: a data section whose variables lie at 512 MiB
// or more would have bit offsets that wrap in 32 bits (the accessor would
// read the section's first bytes); such sections are refused, naming the
// section and variable.
func TestSectionBeyondLimit(t *testing.T) {
	u64 := &btf.Int{Name: "__u64", Size: 8}
	for _, tc := range []struct {
		name string
		ds   *btfread.DataSection
		size uint64
		want string
	}{
		{"variable at 512 MiB", &btfread.DataSection{Name: ".data", Size: 1<<29 + 8,
			Variables: []*btfread.Variable{{Name: "far", Offset: 1 << 29, Size: 8, Type: u64}}},
			1<<29 + 8, "536870920 bytes exceed the limit of 268435456 bytes"},
		{"section at the 32-bit limit", &btfread.DataSection{Name: ".data", Size: 1<<32 - 1},
			1 << 32, "4294967296 bytes exceed the limit"},
		{"variable beyond the section", &btfread.DataSection{Name: ".data", Size: 8,
			Variables: []*btfread.Variable{{Name: "out", Offset: 4, Size: 8, Type: u64}}},
			8, `variable "out": offset 4 + size 8 beyond the 8-byte section`},
	} {
		st, err := sectionStruct(tc.ds, tc.size)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: struct %v, error %v, want %q", tc.name, st, err, tc.want)
		}
	}
	// Up to the limit, offsets are exact.
	ds := &btfread.DataSection{Name: ".bss", Size: layout.MaxSize,
		Variables: []*btfread.Variable{{Name: "last", Offset: layout.MaxSize - 8, Size: 8, Type: u64}}}
	st, err := sectionStruct(ds, layout.MaxSize)
	if err != nil || st.Members[0].Offset != 8*(layout.MaxSize-8) {
		t.Errorf("section of MaxSize: %v, %v", st, err)
	}
}

// TestVariableArrayWraps: a variable whose array type's size wraps to the
// size of its slot in 32 bits made literal generation slice beyond the
// section's bytes (a panic); it is refused, naming section, variable and
// type.
func TestVariableArrayWraps(t *testing.T) {
	s32 := &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	obj := &btfread.Object{
		Path:      "wrap.o",
		ByteOrder: binary.LittleEndian,
		Spec:      &btf.Spec{},
		DataSections: []*btfread.DataSection{{Name: ".data", Size: 4, Contents: []byte{1, 2, 3, 4},
			Variables: []*btfread.Variable{{Name: "v", Size: 4, Type: &btf.Array{Type: s32, Nelems: 0x40000001}}}}},
	}
	_, err := Generate(obj, Options{Package: "p"})
	want := `wrap.o: section .data: variable "v": int[1073741825]: 4294967300 bytes exceed the limit of 268435456 bytes`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}
