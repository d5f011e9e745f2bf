package verify

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"
)

// TestCompareRules checks each rule of compare.go on one C type and Go
// types that hold it legitimately or not, on a 64-bit and a 32-bit
// GOARCH. Offsets and sizes are in the findings, so a wrong one fails.
func TestCompareRules(t *testing.T) {
	u8 := &btf.Int{Name: "__u8", Size: 1}
	s8 := &btf.Int{Name: "__s8", Size: 1, Encoding: btf.Signed}
	u16 := &btf.Int{Name: "__u16", Size: 2}
	u32 := &btf.Int{Name: "__u32", Size: 4}
	s32 := &btf.Int{Name: "__s32", Size: 4, Encoding: btf.Signed}
	u64 := &btf.Int{Name: "__u64", Size: 8}
	i128 := &btf.Int{Name: "__int128", Size: 16, Encoding: btf.Signed}
	boolT := &btf.Int{Name: "_Bool", Size: 1, Encoding: btf.Bool}
	char := &btf.Int{Name: "char", Size: 1, Encoding: btf.Signed}
	be32 := &btf.Typedef{Name: "__be32", Type: u32}
	color := &btf.Enum{Name: "color", Size: 4}
	ptr := &btf.Pointer{Target: &btf.Void{}}
	f32 := &btf.Float{Name: "float", Size: 4}
	st := func(size uint32, ms ...btf.Member) *btf.Struct {
		return &btf.Struct{Name: "t", Size: size, Members: ms}
	}
	m := func(name string, typ btf.Type, byteOff uint32) btf.Member {
		return btf.Member{Name: name, Type: typ, Offset: btf.Bits(8 * byteOff)}
	}
	bf := func(name string, typ btf.Type, bitOff, bits uint32) btf.Member {
		return btf.Member{Name: name, Type: typ, Offset: btf.Bits(bitOff), BitfieldSize: btf.Bits(bits)}
	}
	num := &btf.Union{Name: "num", Size: 8, Members: []btf.Member{m("small", u32, 0), m("big", u64, 0)}}
	pair := []btf.Member{m("saddr", be32, 0), m("daddr", be32, 4)}
	addrs := &btf.Union{Size: 8, Members: []btf.Member{{Type: &btf.Struct{Size: 8, Members: pair}}, {Name: "addrs", Type: &btf.Struct{Name: "addrs", Size: 8, Members: pair}}}}
	five := &btf.Union{Name: "five", Size: 8, Members: []btf.Member{m("a", u32, 0), m("b", &btf.Array{Type: u8, Nelems: 5}, 0)}}
	quad := &btf.Struct{Name: "quad", Size: 16, Members: []btf.Member{m("a", u32, 0), m("b", u32, 4), m("c", u32, 8), m("d", u32, 12)}}

	for _, tc := range []struct {
		name string
		c    btf.Type
		goT  string
		// want are the findings as "GOARCHes: Field: what: go off/size, c off/size".
		want []string
	}{
		{"be32 as bytes, enum as int32, bool and pointer as integers", st(24, m("addr", be32, 0), m("c", color, 4), m("on", boolT, 8), m("name", &btf.Array{Type: char, Nelems: 3}, 9), m("p", ptr, 16)),
			"struct { Addr [4]byte; C int32; On uint8; Name [3]int8; _ [4]byte; P uint64 }", nil},
		{"Go bool for _Bool, signed for unsigned", st(8, m("on", boolT, 0), m("n", u32, 4)),
			"struct { On bool; _ [3]byte; N int32 }", []string{"amd64,386: N: int32 (signed integer) holds C member n (__u32): unsigned integer: 4/4, 4/4"}},
		{"signed byte for _Bool", st(1, m("on", boolT, 0)),
			"struct { On int8 }", []string{"amd64,386: On: int8 (signed integer) holds C member on (_Bool): bool: 0/1, 0/1"}},
		{"uintptr for a BPF pointer", st(8, m("p", ptr, 0)),
			"struct { P uintptr }", []string{"386: : size differs: 0/4, 0/8", "386: P: size differs from C member p (void *): 0/4, 0/8"}},
		{"float for an integer", st(4, m("n", u32, 0)),
			"struct { N float32 }", []string{"amd64,386: N: float32 (float) holds C member n (__u32): unsigned integer: 0/4, 0/4"}},
		{"integer for a float", st(4, m("f", f32, 0)),
			"struct { F uint32 }", []string{"amd64,386: F: uint32 (unsigned integer) holds C member f (float): float: 0/4, 0/4"}},
		{"named padding over a hole", st(8, m("a", u8, 0), m("b", u32, 4)),
			"struct { A uint8; Pad [3]byte; B uint32 }", nil},
		{"named integer padding over a hole", st(8, m("a", u8, 0), m("b", u32, 4)),
			"struct { A uint8; P1 uint8; P2 uint16; B uint32 }", nil},
		{"bitfields in an integer and the hole after them", st(4, bf("lo", u8, 0, 3), bf("hi", s8, 3, 4), m("w", u16, 2)),
			"struct { Bits uint16; W uint16 }", nil},
		{"bitfields in bytes", st(4, bf("lo", u8, 0, 3), bf("hi", s8, 3, 4), m("w", u16, 2)),
			"struct { Bits [1]byte; _ [1]byte; W uint16 }", nil},
		{"bitfields in an integer that also covers a member", st(4, bf("lo", u8, 0, 3), m("b", u8, 1), m("w", u16, 2)),
			"struct { Bits uint16; W uint16 }", []string{"amd64,386: Bits: uint16 does not cover exactly C bitfield lo: 0/2, 0/1", "amd64,386: Bits: no Go field holds C member b (__u8): 0/2, 1/1"}},
		{"bitfields dropped", st(4, bf("lo", u8, 0, 3), bf("hi", s8, 3, 4), m("w", u16, 2)),
			"struct { _ [2]byte; W uint16 }", []string{"amd64,386: _: padding ([2]byte) over C bitfields lo, hi: dropped: 0/2, 0/1"}},
		{"union as its largest member", st(16, m("k", u32, 0), m("v", num, 8)),
			"struct { K uint32; _ [4]byte; V uint64 }", nil},
		{"union as storage", st(16, m("k", u32, 0), m("v", num, 8)),
			"struct { K uint32; _ [4]byte; V [8]byte }", nil},
		{"union as a struct of its largest member", st(16, m("k", u32, 0), m("v", num, 8)),
			"struct { K uint32; _ [4]byte; V struct{ Big uint64 } }", nil},
		{"union as its smaller member", st(16, m("k", u32, 0), m("v", num, 8)),
			"struct { K uint32; _ [4]byte; Small uint32; _ [4]byte }", []string{"amd64,386: Small: holds only the member v.small (4 of 8 bytes) of C union v: 8/4, 8/8"}},
		{"union as a float", st(8, m("v", num, 0)),
			"struct { V float64 }", []string{"amd64,386: V: matches no member of C union v: 0/8, 0/8"}},
		{"a union of an anonymous struct and a struct (the kernel's __struct_group) as the first's members", st(8, btf.Member{Type: addrs}),
			"struct { Saddr [4]byte; Daddr uint32 }", nil},
		{"the same with a member too small", st(8, btf.Member{Type: addrs}),
			"struct { Saddr uint16; _ [2]byte; Daddr uint32 }", []string{"amd64,386: Saddr: matches no member of C union {{saddr, daddr}, addrs}: 0/8, 0/8"}},
		{"a union with tail padding as storage of its largest member", st(8, m("u", five, 0)),
			"struct { U [5]byte; _ [3]byte }", nil},
		{"a union with tail padding as an integer of its size", st(8, m("u", five, 0)),
			"struct { U uint64 }", nil},
		{"a union with tail padding as a smaller member", st(8, m("u", five, 0)),
			"struct { A uint32; _ [4]byte }", []string{"amd64,386: A: holds only the member u.a (4 of 5 bytes) of C union u: 0/4, 0/5"}},
		{"a union whose members BTF left out", st(8, m("u", &btf.Union{Size: 8}, 0)),
			"struct { _ [8]byte }", nil},
		{"__int128 as two uint64", st(16, m("x", i128, 0)),
			"struct { X [2]uint64 }", nil},
		{"__int128 as one uint64", st(16, m("x", i128, 0)),
			"struct { X uint64; _ [8]byte }", []string{"amd64,386: X: does not cover exactly C member x (__int128): 0/8, 0/16"}},
		{"a struct as bytes", st(20, m("q", quad, 0), m("n", u32, 16)),
			"struct { Q [16]byte; N uint32 }", nil},
		{"bytes over part of a member", st(20, m("q", quad, 0), m("n", u32, 16)),
			"struct { Q [14]byte; N [6]byte }", []string{"amd64,386: Q: [14]byte holds only part of C member q.d (__u32): 0/14, 12/4", "amd64,386: N: [6]byte holds only part of C member q.d (__u32): 14/6, 12/4"}},
		{"a member missing at the end", st(8, m("a", u32, 0), m("b", u32, 4)),
			"struct { A uint32 }", []string{"amd64,386: : size differs: 0/4, 0/8", "amd64,386: : no Go field holds C member b (__u32): 4/0, 4/4"}},
		{"an extra field beyond C", st(4, m("a", u32, 0)),
			"struct { A uint32; More uint32 }", []string{"amd64,386: : size differs: 0/8, 0/4", "amd64,386: More: Go field beyond every C member: 4/4, 4/0"}},
		{"u64 after u32 without padding", st(16, m("a", u32, 0), m("b", u64, 8)),
			"struct { A uint32; B uint64 }", []string{"386: : size differs: 0/12, 0/16", "386: B: offset differs from C member b (__u64): 4/8, 8/8"}},
		{"fields swapped", st(8, m("a", u32, 0), m("b", s32, 4)),
			"struct { B int32; A uint32 }", []string{"amd64,386: B: offset differs from C member b (__s32): 0/4, 4/4", "amd64,386: A: offset differs from C member a (__u32): 4/4, 0/4"}},
		{"an enum as a Go integer type", color, "int32", nil},
		{"an enum as a Go type too small", color, "uint16", []string{"amd64,386: : size differs: 0/2, 0/4", "amd64,386: : size differs from C type enum color: 0/2, 0/4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cf := cFlat{size: int(mustSizeof(t, tc.c))}
			var err error
			if cf.items, err = flattenC(tc.c); err != nil {
				t.Fatal(err)
			}
			byText := make(map[string][]string)
			var order []string
			for _, arch := range []string{"amd64", "386"} {
				obj, sizes := checkGo(t, tc.goT, arch)
				fs, err := check(obj, cf, sizes)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range fs {
					s := fmt.Sprintf("%s: %s: %d/%d, %d/%d", f.path, f.what, f.goOff, f.goSize, f.cOff, f.cSize)
					if byText[s] == nil {
						order = append(order, s)
					}
					byText[s] = append(byText[s], arch)
				}
			}
			var got []string
			for _, s := range order {
				got = append(got, strings.Join(byText[s], ",")+": "+s)
			}
			diffLines(t, "findings", got, tc.want)
		})
	}
}

func mustSizeof(t *testing.T, typ btf.Type) int {
	t.Helper()
	n, err := btf.Sizeof(typ)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkGo type-checks `type T <src>` for arch.
func checkGo(t *testing.T, src, arch string) (*types.TypeName, types.Sizes) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "t.go", "package p\ntype T "+src+"\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	sizes := types.SizesFor("gc", arch)
	pkg, err := (&types.Config{Sizes: sizes}).Check("p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pkg.Scope().Lookup("T").(*types.TypeName), sizes
}
