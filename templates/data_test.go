package templates

import (
	"bytes"
	"encoding/binary"
	"errors"
	"structs"
	"testing"

	"github.com/cilium/ebpf"
)

// rodata is the Go view of .rodata of testdata/obj/values_bpfel.o: one
// __u32 tail_slot.
type rodata struct {
	_        structs.HostLayout
	TailSlot uint32
}

// gapped has a gap between its variables (a static variable's bytes)
// that EditSections must keep.
type gapped struct {
	_ structs.HostLayout
	A uint32
	_ [4]byte
	B uint64
}

// oneSection is a Globals struct of one section.
type oneSection[T any] struct{ S T }

// editOne edits the section name of size bytes of spec as a T, through
// EditSections.
func editOne[T any](spec *ebpf.CollectionSpec, name string, size uint32, edit func(*T)) error {
	return EditSections(spec, func(g *oneSection[T]) { edit(&g.S) }, func(g *oneSection[T]) []Section {
		return []Section{SectionOf(&g.S, name, size)}
	})
}

// TestEditSectionsOne: an edit of one section starts from its compiled-in
// values or what spec.Variables set since, writes contents and variables,
// and refuses a Go view of the wrong size or a section the spec lacks.
func TestEditSectionsOne(t *testing.T) {
	spec, err := ebpf.LoadCollectionSpec("../testdata/obj/values_" + hostOrder() + ".o")
	if err != nil {
		t.Fatal(err)
	}
	var seen uint32
	if err := editOne(spec, ".rodata", 4, func(r *rodata) { seen = r.TailSlot; r.TailSlot = 3 }); err != nil {
		t.Fatal(err)
	}
	if seen != 1 {
		t.Errorf("edit saw tail_slot = %d, want the compiled-in 1", seen)
	}
	want := SectionBytes(&rodata{TailSlot: 3}, 4)
	if got := spec.Maps[".rodata"].Contents[0].Value.([]byte); !bytes.Equal(got, want) {
		t.Errorf(".rodata contents = %x, want %x", got, want)
	}
	var slot uint32
	if err := spec.Variables["tail_slot"].Get(&slot); err != nil || slot != 3 {
		t.Errorf("variable tail_slot = %d, %v; want 3", slot, err)
	}
	// A value set through spec.Variables is what the next edit starts
	// from: cilium/ebpf loads variables over the contents.
	if err := spec.Variables["tail_slot"].Set(uint32(9)); err != nil {
		t.Fatal(err)
	}
	if err := editOne(spec, ".rodata", 4, func(r *rodata) { seen = r.TailSlot }); err != nil || seen != 9 {
		t.Errorf("edit after Variables.Set saw %d (%v), want 9", seen, err)
	}

	var se *SizeError
	if err := editOne(spec, ".rodata", 8, func(*gapped) {}); !errors.As(err, &se) {
		t.Errorf("EditSections of a 16-byte type on a 4-byte section = %v, want a SizeError", err)
	}
	if err := editOne(spec, ".nope", 4, func(*rodata) {}); err == nil {
		t.Error("EditSections of a missing section succeeded")
	}
}

// TestEditSectionsKeepsGaps: bytes no field names (static variables, such
// as bpf_printk's format strings) survive an edit of the variables around
// them.
func TestEditSectionsKeepsGaps(t *testing.T) {
	contents := bytes.Repeat([]byte{0xee}, 16)
	spec := &ebpf.CollectionSpec{
		Maps: map[string]*ebpf.MapSpec{".data": {
			Name: ".data", Type: ebpf.Array, KeySize: 4, ValueSize: 16, MaxEntries: 1,
			Contents: []ebpf.MapKV{{Key: uint32(0), Value: contents}},
		}},
		Variables: map[string]*ebpf.VariableSpec{"b": {Name: "b", SectionName: ".data", Offset: 8, Value: make([]byte, 8)}},
	}
	if err := editOne(spec, ".data", 16, func(g *gapped) { g.A = 1 }); err != nil {
		t.Fatal(err)
	}
	want := bytes.Repeat([]byte{0xee}, 16)
	binary.NativeEndian.PutUint32(want, 1)
	clear(want[8:]) // b, from its VariableSpec
	if got := spec.Maps[".data"].Contents[0].Value.([]byte); !bytes.Equal(got, want) {
		t.Errorf(".data contents = %x, want %x", got, want)
	}
}

func hostOrder() string {
	if binary.NativeEndian.Uint16([]byte{1, 0}) == 1 {
		return "bpfel"
	}
	return "bpfeb"
}
