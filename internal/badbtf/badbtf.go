// Package badbtf makes raw BTF blobs that no compiler emits: types that
// refer to themselves, absurd sizes, arrays of 2^40 elements, nesting
// thousands of levels deep, kinds mapgen does not generate. Fuzz targets
// take them as seeds, and the catalogue of bad input feeds them to the
// command. Test code only: nothing outside tests imports it.
package badbtf

import (
	"encoding/binary"
	"fmt"

	"github.com/cilium/ebpf/btf"
)

// Blob is one raw BTF blob and what is wrong with it.
type Blob struct {
	Name string // what is wrong, as a file name: "typedef-loop"
	Data []byte
}

var (
	char = &btf.Int{Name: "char", Size: 1, Encoding: btf.Char}
	s32  = &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	u32  = &btf.Int{Name: "unsigned int", Size: 4}
	u64  = &btf.Int{Name: "unsigned long long", Size: 8}
)

// Marshal encodes types (and all they refer to) as a raw BTF blob in the
// byte order bo.
func Marshal(bo binary.ByteOrder, types ...btf.Type) ([]byte, error) {
	b, err := btf.NewBuilder(types, nil)
	if err != nil {
		return nil, err
	}
	return b.Marshal(nil, &btf.MarshalOptions{Order: bo})
}

// Blobs returns every bad blob, little-endian, and a big-endian copy of a
// few (the reader must swap every field).
func Blobs() ([]Blob, error) {
	var out []Blob
	for _, c := range cases() {
		data, err := Marshal(binary.LittleEndian, c.types...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		out = append(out, Blob{c.name, data})
		if c.bigEndianToo {
			data, err := Marshal(binary.BigEndian, c.types...)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.name, err)
			}
			out = append(out, Blob{c.name + "-be", data})
		}
	}
	return out, nil
}

type badCase struct {
	name         string
	types        []btf.Type
	bigEndianToo bool
}

func cases() []badCase {
	return []badCase{
		{"typedef-loop", []btf.Type{typedefLoop()}, true},
		{"struct-contains-itself", []btf.Type{structLoop()}, false},
		{"pointer-to-itself", []btf.Type{pointerLoop()}, false},
		{"struct-size-4GiB", []btf.Type{&btf.Struct{Name: "huge", Size: 0xffffffff, Members: []btf.Member{{Name: "x", Type: s32}}}}, true},
		{"member-offset-beyond-struct", []btf.Type{&btf.Struct{Name: "s", Size: 4, Members: []btf.Member{{Name: "x", Type: s32, Offset: 0xfffffff0}}}}, false},
		{"array-2e40-elements", []btf.Type{holder("tera", array(array(char, 1<<20), 1<<20))}, true},
		{"array-4G-of-4G", []btf.Type{&btf.Struct{Name: "s", Size: 8, Members: []btf.Member{{Name: "a", Type: array(array(u64, 0xffffffff), 0xffffffff)}}}}, false},
		{"int-of-3-bytes", []btf.Type{&btf.Struct{Name: "weird", Size: 4, Members: []btf.Member{{Name: "odd", Type: &btf.Int{Name: "int24", Size: 3}}}}}, false},
		{"bitfield-wider-than-type", []btf.Type{&btf.Struct{Name: "bits", Size: 4, Members: []btf.Member{{Name: "b", Type: u32, BitfieldSize: 200}}}}, false},
		{"enum-of-size-0", []btf.Type{&btf.Enum{Name: "e", Size: 0, Values: []btf.EnumValue{{Name: "A", Value: 1}}}}, false},
		{"typedef-chain-5000", []btf.Type{holder("chain", typedefChain(5000))}, false},
		{"structs-nested-5000", []btf.Type{nestedStructs(5000)}, false},
		{"arrays-nested-5000", []btf.Type{holder("deep", nestedArrays(5000))}, false},
		{"unsupported-kinds", unsupportedKinds(), false},
		{"go-name-collisions", goNameCollisions(), false},
	}
}

func array(elem btf.Type, n uint32) *btf.Array {
	return &btf.Array{Index: u32, Type: elem, Nelems: n}
}

// holder is a struct of one member of type t, so that generating every
// struct reaches t.
func holder(name string, t btf.Type) *btf.Struct {
	return &btf.Struct{Name: name, Size: 8, Members: []btf.Member{{Name: "m", Type: t}}}
}

func typedefLoop() btf.Type {
	a := &btf.Typedef{Name: "a"}
	a.Type = &btf.Typedef{Name: "b", Type: a}
	return a
}

func structLoop() btf.Type {
	s := &btf.Struct{Name: "s", Size: 8}
	s.Members = []btf.Member{{Name: "x", Type: s32}, {Name: "arr", Type: array(s, 1), Offset: 32}}
	return s
}

func pointerLoop() btf.Type {
	p := &btf.Pointer{}
	p.Target = p
	return &btf.Typedef{Name: "p", Type: p}
}

func typedefChain(n int) btf.Type {
	var t btf.Type = s32
	for i := range n {
		t = &btf.Typedef{Name: fmt.Sprintf("t%d", i), Type: t}
	}
	return t
}

func nestedStructs(n int) btf.Type {
	var t btf.Type = s32
	size := uint32(4)
	for i := range n {
		t = &btf.Struct{Name: fmt.Sprintf("s%d", i), Size: size, Members: []btf.Member{{Name: "m", Type: t}}}
	}
	return t
}

func nestedArrays(n int) btf.Type {
	var t btf.Type = char
	for range n {
		t = array(t, 1)
	}
	return t
}

// unsupportedKinds are kinds and encodings that are no map key, value or
// variable: a function, a forward declaration used by value, a 16-byte
// float, a volatile void.
func unsupportedKinds() []btf.Type {
	fwd := &btf.Fwd{Name: "opaque", Kind: btf.FwdStruct}
	proto := &btf.FuncProto{Return: s32, Params: []btf.FuncParam{{Name: "x", Type: s32}}}
	return []btf.Type{
		&btf.Func{Name: "f", Type: proto, Linkage: btf.GlobalFunc},
		&btf.Struct{Name: "has_fwd", Size: 8, Members: []btf.Member{{Name: "o", Type: fwd}}},
		&btf.Struct{Name: "has_ldouble", Size: 16, Members: []btf.Member{{Name: "d", Type: &btf.Float{Name: "long double", Size: 16}}}},
		&btf.Struct{Name: "has_void", Size: 8, Members: []btf.Member{{Name: "v", Type: &btf.Volatile{Type: &btf.Void{}}}}},
		&btf.Typedef{Name: "tagged", Type: &btf.TypeTag{Value: "user", Type: s32}},
	}
}

// goNameCollisions are C names that become one Go name.
func goNameCollisions() []btf.Type {
	return []btf.Type{
		&btf.Struct{Name: "flow_key", Size: 4, Members: []btf.Member{{Name: "a", Type: s32}}},
		&btf.Struct{Name: "flowKey", Size: 4, Members: []btf.Member{{Name: "b", Type: s32}}},
		&btf.Struct{Name: "FlowKey", Size: 4, Members: []btf.Member{{Name: "c", Type: s32}}},
		&btf.Struct{Name: "m", Size: 8, Members: []btf.Member{{Name: "x_y", Type: s32}, {Name: "xY", Type: s32, Offset: 32}}},
	}
}
