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

// gapped has a gap between its variables that Apply must keep.
type gapped struct {
	_ structs.HostLayout
	A uint32
	_ [4]byte
	B uint64
}

func TestMergeFields(t *testing.T) {
	dst := bytes.Repeat([]byte{0xee}, 16)
	v := gapped{A: 1, B: 2}
	mergeFields[gapped](dst, SectionBytes(&v, 16))
	want := make([]byte, 16)
	binary.NativeEndian.PutUint32(want, 1)
	copy(want[4:8], []byte{0xee, 0xee, 0xee, 0xee})
	binary.NativeEndian.PutUint64(want[8:], 2)
	if !bytes.Equal(dst, want) {
		t.Errorf("mergeFields = %x, want %x", dst, want)
	}
}

func TestApplySection(t *testing.T) {
	spec, err := ebpf.LoadCollectionSpec("../testdata/obj/values_" + hostOrder() + ".o")
	if err != nil {
		t.Fatal(err)
	}
	r := rodata{TailSlot: 3}
	if err := ApplySection(spec, ".rodata", 4, &r); err != nil {
		t.Fatal(err)
	}
	got := spec.Maps[".rodata"].Contents[0].Value.([]byte)
	if !bytes.Equal(got, SectionBytes(&r, 4)) {
		t.Errorf(".rodata contents = %x, want %x", got, SectionBytes(&r, 4))
	}
	var slot uint32
	if err := spec.Variables["tail_slot"].Get(&slot); err != nil || slot != 3 {
		t.Errorf("variable tail_slot = %d, %v; want 3", slot, err)
	}

	var se *SizeError
	if err := ApplySection(spec, ".rodata", 8, &gapped{}); !errors.As(err, &se) {
		t.Errorf("ApplySection of a 16-byte type to a 4-byte section = %v, want a SizeError", err)
	}
	if err := ApplySection(spec, ".nope", 4, &r); err == nil {
		t.Error("ApplySection to a missing section succeeded")
	}
}

func hostOrder() string {
	if binary.NativeEndian.Uint16([]byte{1, 0}) == 1 {
		return "bpfel"
	}
	return "bpfeb"
}
