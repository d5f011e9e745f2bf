package btfread

import (
	"bytes"
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"
)

var (
	testInt = &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	testU32 = &btf.Int{Name: "unsigned int", Size: 4}
)

// loopBlobs are hand-made raw BTF blobs whose types refer to themselves;
// clang cannot make them. The fuzz corpus of gen.FuzzPipeline holds them
// too.
func loopBlobs(t testing.TB) []struct {
	name, want string
	blob       []byte
} {
	selfTypedef := &btf.Typedef{Name: "a"}
	selfTypedef.Type = selfTypedef

	pairA := &btf.Typedef{Name: "a"}
	pairB := &btf.Typedef{Name: "b", Type: pairA}
	pairA.Type = pairB

	selfConst := &btf.Const{}
	selfConst.Type = selfConst

	selfPtr := &btf.Pointer{}
	selfPtr.Target = selfPtr

	selfArray := &btf.Array{Index: testU32, Nelems: 2}
	selfArray.Type = selfArray

	anon := &btf.Struct{Name: "s", Size: 8}
	anon.Members = []btf.Member{{Name: "x", Type: testInt}, {Type: anon, Offset: 32}}

	inArray := &btf.Struct{Name: "s", Size: 8}
	inArray.Members = []btf.Member{{Name: "x", Type: testInt}, {Name: "arr", Type: &btf.Array{Index: testU32, Type: inArray, Nelems: 1}, Offset: 32}}

	chainA := &btf.Struct{Name: "a", Size: 8}
	chainB := &btf.Struct{Name: "b", Size: 8, Members: []btf.Member{{Name: "y", Type: testInt}, {Type: chainA, Offset: 32}}}
	chainA.Members = []btf.Member{{Name: "x", Type: testInt}, {Type: &btf.Typedef{Name: "b_t", Type: chainB}, Offset: 32}}

	selfProto := &btf.FuncProto{Return: testInt}
	selfProto.Params = []btf.FuncParam{{Name: "f", Type: &btf.Pointer{Target: selfProto}}}

	return []struct {
		name, want string
		blob       []byte
	}{
		{"typedef refers to itself", `typedef "a" refers to itself`, rawBlob(t, selfTypedef)},
		{"two typedefs refer to each other", `typedef "a" refers to itself through typedef "b"`, rawBlob(t, pairA)},
		{"const refers to itself", `const (type ID 1) refers to itself`, rawBlob(t, selfConst)},
		{"pointer to itself", `pointer (type ID 1) refers to itself`, rawBlob(t, selfPtr)},
		{"array of itself", `array (type ID 1) refers to itself`, rawBlob(t, selfArray)},
		{"struct contains itself anonymously", `struct "s" contains itself`, rawBlob(t, anon)},
		{"struct contains itself as an array", `struct "s" contains itself through array (type ID 4)`, rawBlob(t, inArray)},
		{"structs contain each other", `struct "a" contains itself through typedef "b_t", struct "b"`, rawBlob(t, chainA)},
		{"function type takes itself", `function prototype (type ID 1) refers to itself through pointer (type ID 3)`, rawBlob(t, selfProto)},
	}
}

func TestTypeLoops(t *testing.T) {
	for _, c := range loopBlobs(t) {
		t.Run(c.name, func(t *testing.T) {
			_, err := OpenBytes("loop.btf", c.blob)
			checkErr(t, "loop.btf", err, "loop.btf: raw BTF: "+c.want)
		})
	}
}

// TestTypeLoopsInObjects changes a few bytes of the .BTF section of a
// compiled object so that its types refer to themselves.
func TestTypeLoopsInObjects(t *testing.T) {
	good, err := os.ReadFile(obj(t, "btfread_enums_bpfel.o"))
	if err != nil {
		t.Fatal(err)
	}
	recs := btfRecords(t, good)
	u32 := btfRecordOf(t, recs, kindTypedef, "__u32")
	holder := btfRecordOf(t, recs, kindStruct, "holder") // members b, n, s
	def := btfRecordOf(t, recs, kindStruct, "")          // the map definition
	arr := btfRecordOf(t, recs, kindArray, "")

	for _, c := range []struct {
		name  string
		patch func(b []byte)
		want  string
	}{
		{"typedef refers to itself", func(b []byte) {
			put32(b, u32.typeField(), u32.id)
		}, `typedef "__u32" refers to itself`},
		{"struct contains itself", func(b []byte) {
			put32(b, holder.memberField(2)+4, holder.id)
		}, `struct "holder" contains itself`},
		{"struct contains itself anonymously", func(b []byte) {
			put32(b, holder.memberField(2), 0)
			put32(b, holder.memberField(2)+4, holder.id)
		}, `struct "holder" contains itself`},
		{"struct contains itself as an array", func(b []byte) {
			put32(b, arr.arrayElemField(), holder.id)
			put32(b, holder.memberField(2)+4, arr.id)
		}, `contains itself through struct "holder"`},
		{"structs contain each other", func(b []byte) {
			put32(b, holder.memberField(2)+4, def.id)
			put32(b, def.memberField(0)+4, holder.id)
		}, `struct "holder" contains itself through anonymous struct (type ID 15)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			bad := bytes.Clone(good)
			c.patch(bad)
			_, err := OpenBytes("loop.o", bad)
			checkErr(t, "loop.o", err, "loop.o: .BTF section: ")
			if err != nil && !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q lacks %q", err, c.want)
			}
		})
	}
}

// TestCyclesThroughPointers: C's own cycles pass through a pointer to a
// struct or union, and are fine.
func TestCyclesThroughPointers(t *testing.T) {
	node := &btf.Struct{Name: "node", Size: 8}
	node.Members = []btf.Member{{Name: "next", Type: &btf.Pointer{Target: &btf.Typedef{Name: "node_t", Type: node}}}}
	ops := &btf.Struct{Name: "ops", Size: 8}
	ops.Members = []btf.Member{{Name: "f", Type: &btf.Pointer{Target: &btf.FuncProto{Return: testInt,
		Params: []btf.FuncParam{{Name: "o", Type: &btf.Pointer{Target: &btf.Const{Type: ops}}}}}}}}
	u := &btf.Union{Name: "u", Size: 8}
	u.Members = []btf.Member{{Name: "self", Type: &btf.Pointer{Target: u}}, {Name: "n", Type: node}}
	if _, err := OpenBytes("ok.btf", rawBlob(t, node, ops, u)); err != nil {
		t.Fatal(err)
	}
}

// TestBrokenReference: a type that refers to a type ID beyond the last is
// refused, naming the ID; cilium/ebpf's Spec.All would stop at it without
// an error, so every later type went missing and the output was empty.
func TestBrokenReference(t *testing.T) {
	blob := rawBlob(t, &btf.Struct{Name: "s", Size: 4, Members: []btf.Member{{Name: "m", Type: testInt}}})
	// Header (24 bytes), then the struct: 12 bytes of type header, then
	// its member: name offset, type ID, bit offset.
	const memberType = 24 + 12 + 4
	if got := binary.LittleEndian.Uint32(blob[memberType:]); got != 2 {
		t.Fatalf("the member's type ID is %d, not at the expected place", got)
	}
	binary.LittleEndian.PutUint32(blob[memberType:], 99)
	_, err := OpenBytes("broken.btf", blob)
	checkErr(t, "broken.btf", err, "broken.btf: raw BTF: BTF type ID 1: inflate type: type id 99: not found")
}
