package btfread

import (
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

func pairOpen(t *testing.T, path string) *Object {
	t.Helper()
	o, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestComparePairTestdata checks that every committed bpfel/bpfeb pair is
// accepted, named types included: one source, two byte orders.
func TestComparePairTestdata(t *testing.T) {
	els, _ := filepath.Glob(filepath.Join(objDir, "*_bpfel.o"))
	els = append(els, "../examples/counter/counter_bpfel.o")
	if len(els) < 2 {
		t.Skip("no test objects")
	}
	for _, el := range els {
		if strings.HasPrefix(filepath.Base(el), "btfread_bad_") {
			continue // refused on purpose: see TestBadValues
		}
		eb := strings.TrimSuffix(el, "_bpfel.o") + "_bpfeb.o"
		t.Run(filepath.Base(el), func(t *testing.T) {
			a, b := pairOpen(t, el), pairOpen(t, eb)
			if err := ComparePair(a, b); err != nil {
				t.Error(err)
			}
			if err := CompareTypes(a, b, nil); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestComparePairOtherProgram gives objects of two programs as a pair.
func TestComparePairOtherProgram(t *testing.T) {
	a := pairOpen(t, "../examples/counter/counter_bpfel.o")
	b := pairOpen(t, filepath.Join(objDir, "maps_bpfeb.o"))
	err := ComparePair(a, b)
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"counter_bpfel.o", "maps_bpfeb.o", "map "} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v: does not mention %q", err, want)
		}
	}
}

var (
	u8  = &btf.Int{Name: "unsigned char", Size: 1}
	u16 = &btf.Int{Name: "unsigned short", Size: 2}
	u32 = &btf.Int{Name: "unsigned int", Size: 4}
	u64 = &btf.Int{Name: "unsigned long long", Size: 8}
)

// hashOf is an object with one hash map of key u32 and the given value.
func hashOf(path string, value btf.Type) *Object {
	size, _ := btf.Sizeof(value)
	return &Object{Path: path, ByteOrder: binary.LittleEndian, Maps: []*Map{{
		Name: "m", Type: ebpf.Hash, KeySize: 4, ValueSize: uint32(size), Key: u32, Value: value,
	}}}
}

// list builds a fresh "struct node { struct node *next; T v; }", a cycle.
func list(v btf.Type) *btf.Struct {
	s := &btf.Struct{Name: "node", Size: 16}
	s.Members = []btf.Member{
		{Name: "next", Type: &btf.Pointer{Target: s}},
		{Name: "v", Type: v, Offset: 64},
	}
	return s
}

// iphdr builds the first byte of struct iphdr as each byte order declares
// it: ihl and version swapped.
func iphdr(big bool) *btf.Struct {
	ihl, version := btf.Member{Name: "ihl", Type: u8, BitfieldSize: 4}, btf.Member{Name: "version", Type: u8, BitfieldSize: 4}
	if big {
		version.Offset, ihl.Offset = 0, 4
		return &btf.Struct{Name: "iphdr", Size: 2, Members: []btf.Member{version, ihl, {Name: "tos", Type: u8, Offset: 8}}}
	}
	ihl.Offset, version.Offset = 0, 4
	return &btf.Struct{Name: "iphdr", Size: 2, Members: []btf.Member{ihl, version, {Name: "tos", Type: u8, Offset: 8}}}
}

func TestComparePair(t *testing.T) {
	tcpFlags := func(big bool) *btf.Struct {
		// A 16-bit unit: res1:4 doff:4 fin:1 (le) vs doff:4 res1:4 ... fin at bit 15 (be).
		res1 := btf.Member{Name: "res1", Type: u16, BitfieldSize: 4}
		doff := btf.Member{Name: "doff", Type: u16, BitfieldSize: 4, Offset: 4}
		fin := btf.Member{Name: "fin", Type: u16, BitfieldSize: 1, Offset: 8}
		if big {
			res1.Offset, doff.Offset, fin.Offset = 4, 0, 15
		}
		return &btf.Struct{Name: "tcp", Size: 2, Members: []btf.Member{res1, doff, fin}}
	}
	tests := []struct {
		name string
		a, b *Object
		want string // "" for equal, else a substring of the error
	}{
		{"same", hashOf("a.o", u64), hashOf("b.o", &btf.Int{Name: "unsigned long long", Size: 8}), ""},
		{"cycle, equal", hashOf("a.o", list(u64)), hashOf("b.o", list(u64)), ""},
		{"cycle, differing", hashOf("a.o", list(u64)), hashOf("b.o", list(&btf.Int{Name: "long long", Size: 8, Encoding: btf.Signed})), `member "v"`},
		{"bitfields swapped per byte order", hashOf("a.o", iphdr(false)), hashOf("b.o", iphdr(true)), ""},
		{"16-bit unit swapped", hashOf("a.o", tcpFlags(false)), hashOf("b.o", tcpFlags(true)), ""},
		{
			"bitfield in another unit",
			hashOf("a.o", &btf.Struct{Name: "s", Size: 4, Members: []btf.Member{{Name: "f", Type: u16, BitfieldSize: 3}}}),
			hashOf("b.o", &btf.Struct{Name: "s", Size: 4, Members: []btf.Member{{Name: "f", Type: u16, BitfieldSize: 3, Offset: 16}}}),
			`member "f": bitfield at bit 0 vs 16`,
		},
		{"value type", hashOf("a.o", u64), hashOf("b.o", &btf.Int{Name: "long", Size: 8, Encoding: btf.Signed}), `map "m": value: int unsigned long long vs int long`},
		{
			"member offset",
			hashOf("a.o", &btf.Struct{Name: "s", Size: 8, Members: []btf.Member{{Name: "x", Type: u32}}}),
			hashOf("b.o", &btf.Struct{Name: "s", Size: 8, Members: []btf.Member{{Name: "x", Type: u32, Offset: 32}}}),
			`struct s: member "x": at bit 0 vs 32`,
		},
		{
			"member name",
			hashOf("a.o", &btf.Struct{Name: "s", Size: 4, Members: []btf.Member{{Name: "x", Type: u32}}}),
			hashOf("b.o", &btf.Struct{Name: "s", Size: 4, Members: []btf.Member{{Name: "y", Type: u32}}}),
			`member "x" is only in a.o`,
		},
		{"map only in b", &Object{Path: "a.o"}, hashOf("b.o", u32), `map "m" is only in b.o`},
		{"no types vs types", hashOf("a.o", u32), func() *Object { o := hashOf("b.o", u32); o.Maps[0].Value = nil; return o }(), "BTF type in one object only"},
		{
			"variable type",
			&Object{Path: "a.o", DataSections: []*DataSection{{Name: ".data", Variables: []*Variable{{Name: "v", Size: 4, Type: u32}}}}},
			&Object{Path: "b.o", DataSections: []*DataSection{{Name: ".data", Variables: []*Variable{{Name: "v", Size: 4, Type: &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}}}}}},
			`section .data: variable "v": int unsigned int vs int int`,
		},
		{
			"variable only in a",
			&Object{Path: "a.o", DataSections: []*DataSection{{Name: ".bss", Variables: []*Variable{{Name: "v", Size: 4, Type: u32}}}}},
			&Object{Path: "b.o", DataSections: []*DataSection{{Name: ".bss"}}},
			`variable "v" is only in a.o`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ComparePair(tt.a, tt.b)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && err == nil:
				t.Errorf("accepted, want %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Errorf("error %q does not contain %q", err, tt.want)
			case err != nil && !strings.Contains(err.Error(), "a.o and b.o are not one program"):
				t.Errorf("error %q does not name both objects", err)
			}
		})
	}
}

// TestCompareTypesRaw compares named types of raw BTF, for --type and
// --all-types.
func TestCompareTypesRaw(t *testing.T) {
	spec := func(types ...btf.Type) *btf.Spec {
		b, err := btf.NewBuilder(types, nil)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := b.Marshal(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := btf.LoadSpecFromReader(strings.NewReader(string(raw)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a := &Object{Path: "a.btf", Raw: true, Spec: spec(list(u64), &btf.Typedef{Name: "t", Type: u32})}
	b := &Object{Path: "b.btf", Raw: true, Spec: spec(list(u32), &btf.Typedef{Name: "t", Type: u32})}
	if err := ComparePair(a, b); err != nil {
		t.Errorf("ComparePair: %v", err)
	}
	if err := CompareTypes(a, b, []string{"t", "typedef t", "absent"}); err != nil {
		t.Errorf("CompareTypes t: %v", err)
	}
	for _, names := range [][]string{{"node"}, {"struct node"}, nil} {
		err := CompareTypes(a, b, names)
		if err == nil || !strings.Contains(err.Error(), `member "v"`) {
			t.Errorf("CompareTypes %q: %v", names, err)
		}
	}
	c := &Object{Path: "c.btf", Raw: true, Spec: spec(&btf.Typedef{Name: "t", Type: u32})}
	if err := CompareTypes(a, c, []string{"node"}); err == nil || !strings.Contains(err.Error(), "1 types of that name vs 0") {
		t.Errorf("CompareTypes with a type missing: %v", err)
	}
}
