package btfread

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mapgen/mapgen/internal/badbtf"
	"github.com/mapgen/mapgen/internal/fuzzbound"
)

// Bounds of one fuzz input: the corpus objects open in milliseconds and
// a few MiB, so an input past these hangs or allocates without bound.
const (
	fuzzTimeout  = 30 * time.Second
	fuzzMaxAlloc = 256 << 20
)

// Fuzz targets of this package (make fuzz runs each for FUZZTIME):
//
//   - FuzzOpen: arbitrary bytes as an object or raw BTF; seeds are the
//     test objects (the engine mutates real objects) and the bad raw BTF
//     of package badbtf.
//   - FuzzObjectBTF: arbitrary bytes as the .BTF section of a real object,
//     so that mutations reach the map, data section and relocation code
//     behind a valid ELF.
//   - FuzzComparePair: two objects compared as one program's pair.
//
// Each asserts: no panic (not even one caught by the guards around
// cilium/ebpf), no hang, bounded memory (fuzzbound), and every failure an
// error of one line that starts with the file's name.

func FuzzOpen(f *testing.F) {
	for _, data := range testObjects(f) {
		f.Add(data)
	}
	for _, b := range badBlobs(f) {
		f.Add(b.Data)
	}
	f.Add([]byte{0x9f, 0xeb, 1, 0, 24, 0, 0, 0})
	f.Add([]byte("\x7fELF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzbound.Input(t, "FuzzOpen", fuzzTimeout, fuzzMaxAlloc)()
		openChecked(t, "fuzz.o", data)
	})
}

func FuzzObjectBTF(f *testing.F) {
	bases := btfBases(f)
	for i, b := range bases {
		f.Add(uint8(i), b.btf)
	}
	for i, b := range badBlobs(f) {
		f.Add(uint8(i), b.Data)
	}
	f.Fuzz(func(t *testing.T, base uint8, section []byte) {
		defer fuzzbound.Input(t, "FuzzObjectBTF", fuzzTimeout, fuzzMaxAlloc)()
		openChecked(t, "fuzz.o", withBTF(bases[int(base)%len(bases)], section))
	})
}

func FuzzComparePair(f *testing.F) {
	for _, prog := range []string{"maps", "data", "layout", "enums", "events"} {
		el, err1 := os.ReadFile(filepath.Join(objDir, prog+"_bpfel.o"))
		eb, err2 := os.ReadFile(filepath.Join(objDir, prog+"_bpfeb.o"))
		if err1 != nil || err2 != nil {
			f.Fatalf("%s: %v %v", prog, err1, err2)
		}
		f.Add(el, eb)
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		defer fuzzbound.Input(t, "FuzzComparePair", fuzzTimeout, 2*fuzzMaxAlloc)()
		oa := openChecked(t, "a.o", a)
		ob := openChecked(t, "b.o", b)
		if oa == nil || ob == nil {
			return
		}
		for what, err := range map[string]error{
			"ComparePair":  ComparePair(oa, ob),
			"CompareTypes": CompareTypes(oa, ob, nil),
		} {
			if err != nil && (!strings.HasPrefix(err.Error(), "a.o and b.o are not one program built for both byte orders: ") || strings.Contains(err.Error(), "\n")) {
				t.Errorf("%s: error is not one line naming both files: %q", what, err)
			}
		}
	})
}

// openChecked opens data as name and checks the outcome: an error is one
// line starting with name and not a panic caught by a guard; an object is
// whole. It returns the object, nil on an error.
func openChecked(t *testing.T, name string, data []byte) *Object {
	t.Helper()
	o, err := OpenBytes(name, data)
	if err != nil {
		msg := err.Error()
		if !strings.HasPrefix(msg, name+": ") || strings.Contains(msg, "\n") {
			t.Errorf("error is not one line naming the file: %q", msg)
		}
		if strings.Contains(msg, "internal error in cilium/ebpf") || strings.Contains(msg, "malformed ELF") {
			t.Errorf("input reached a panic guard: %s", msg)
		}
		return nil
	}
	if o.Spec == nil {
		t.Error("nil Spec")
	}
	for _, m := range o.Maps {
		if m == nil {
			t.Fatal("nil map")
		}
	}
	for _, ds := range o.DataSections {
		if uint32(len(ds.Contents)) != ds.Size {
			t.Errorf("section %s: %d bytes, size %d", ds.Name, len(ds.Contents), ds.Size)
		}
		for _, v := range ds.Variables {
			if v.Type == nil || uint64(v.Offset)+uint64(v.Size) > uint64(ds.Size) {
				t.Errorf("section %s: bad variable %+v", ds.Name, v)
			}
		}
	}
	return o
}

// testObjects returns the content of every test object.
func testObjects(tb testing.TB) [][]byte {
	files, _ := filepath.Glob(filepath.Join(objDir, "*.o"))
	var out [][]byte
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

func badBlobs(tb testing.TB) []badbtf.Blob {
	blobs, err := badbtf.Blobs()
	if err != nil {
		tb.Fatal(err)
	}
	return blobs
}

// btfBase is an object whose .BTF section a fuzz input replaces.
type btfBase struct {
	obj []byte
	// header is the file offset of the .BTF section's header; btf is the
	// section's content.
	header int
	btf    []byte
}

// btfBases are the little-endian objects of maps, data sections and
// legacy maps, whose BTF the rest of the object refers to.
func btfBases(tb testing.TB) []btfBase {
	var out []btfBase
	for _, name := range []string{"maps_bpfel.o", "data_bpfel.o", "btfread_legacy_bpfel.o", "events_bpfel.o"} {
		data, err := os.ReadFile(filepath.Join(objDir, name))
		if err != nil {
			tb.Fatal(err)
		}
		f, err := elf.NewFile(bytes.NewReader(data))
		if err != nil {
			tb.Fatal(err)
		}
		if f.Class != elf.ELFCLASS64 || f.ByteOrder != binary.LittleEndian {
			tb.Fatalf("%s: not a little-endian ELF64 object", name)
		}
		shoff := int(binary.LittleEndian.Uint64(data[0x28:]))
		shentsize := int(binary.LittleEndian.Uint16(data[0x3a:]))
		for i, s := range f.Sections {
			if s.Name == ".BTF" {
				out = append(out, btfBase{obj: data, header: shoff + i*shentsize, btf: data[s.Offset : s.Offset+s.Size]})
			}
		}
	}
	return out
}

// withBTF returns base's object with section as its .BTF section: the
// section is appended to the file, and the section header points at it
// (sh_offset at byte 24 of an ELF64 section header, sh_size at 32).
func withBTF(base btfBase, section []byte) []byte {
	out := make([]byte, 0, len(base.obj)+len(section))
	out = append(out, base.obj...)
	binary.LittleEndian.PutUint64(out[base.header+24:], uint64(len(out)))
	binary.LittleEndian.PutUint64(out[base.header+32:], uint64(len(section)))
	return append(out, section...)
}
