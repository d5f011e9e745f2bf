package layout

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf/btf"
)

// within runs f and fails the test if it does not return in time: a walk
// that loops must fail the test, not hang it.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still running after 10s", what)
	}
}

// nest returns n structs, each holding the next one by value (anonymous
// members if anon), the last holding an int.
func nest(n int, anon bool) *btf.Struct {
	var inner btf.Type = s32
	for i := n - 1; i >= 0; i-- {
		name := ""
		if !anon {
			name = "m"
		}
		inner = &btf.Struct{Name: fmt.Sprintf("s%d", i), Size: 4, Members: []btf.Member{{Name: name, Type: inner}}}
	}
	return inner.(*btf.Struct)
}

// typedefChain returns n typedefs, each naming the next, the last an int.
func typedefChain(n int) btf.Type {
	var t btf.Type = s32
	for i := n - 1; i >= 0; i-- {
		t = &btf.Typedef{Name: fmt.Sprintf("t%d", i), Type: t}
	}
	return t
}

// sharedDAG returns levels structs, each with two members of the next:
// 2^levels paths to the innermost type, which a walk without memory would
// take one by one.
func sharedDAG(levels int) *btf.Struct {
	var inner btf.Type = s32
	size := uint32(4)
	for i := levels - 1; i >= 0; i-- {
		inner = &btf.Struct{Name: fmt.Sprintf("d%d", i), Size: 2 * size, Members: []btf.Member{
			{Name: "a", Type: inner}, {Name: "b", Type: inner, Offset: btf.Bits(8 * size)}}}
		size *= 2
	}
	return inner.(*btf.Struct)
}

// TestLoopsAndDepth: types that refer to themselves or nest without end
// give an error naming the type, in bounded time and stack, from every
// entry point of the package (BTF straight from a caller, not checked by
// btfread).
func TestLoopsAndDepth(t *testing.T) {
	selfTypedef := &btf.Typedef{Name: "a"}
	selfTypedef.Type = selfTypedef
	pairA := &btf.Typedef{Name: "a"}
	pairA.Type = &btf.Typedef{Name: "b", Type: pairA}
	selfConst := &btf.Const{}
	selfConst.Type = selfConst
	selfArray := &btf.Array{Nelems: 1}
	selfArray.Type = selfArray

	anonSelf := &btf.Struct{Name: "s", Size: 8}
	anonSelf.Members = []btf.Member{member("x", s32, 0), {Type: anonSelf, Offset: 32}}
	arraySelf := &btf.Struct{Name: "s", Size: 8}
	arraySelf.Members = []btf.Member{member("x", s32, 0), member("arr", &btf.Array{Type: arraySelf, Nelems: 1}, 4)}
	chainA := &btf.Struct{Name: "a", Size: 8}
	chainB := &btf.Struct{Name: "b", Size: 8, Members: []btf.Member{member("y", s32, 0), {Type: &btf.Const{Type: chainA}, Offset: 32}}}
	chainA.Members = []btf.Member{member("x", s32, 0), {Type: &btf.Typedef{Name: "b_t", Type: chainB}, Offset: 32}}
	unionSelf := &btf.Union{Name: "u", Size: 4}
	unionSelf.Members = []btf.Member{member("x", s32, 0), {Type: unionSelf}}

	inner := &btf.Struct{Size: 4, Members: []btf.Member{member("x", s32, 0)}}
	twice := &btf.Struct{Name: "twice", Size: 4, Members: []btf.Member{{Type: inner}, {Type: inner}}}

	for _, tc := range []struct {
		name string
		typ  btf.Type
		want string
	}{
		{"typedef refers to itself", &btf.Struct{Name: "s", Size: 4, Members: []btf.Member{member("x", selfTypedef, 0)}}, `struct s: member "x": typedef "a" refers to itself`},
		{"typedefs refer to each other", pairA, `typedef "a" refers to itself`},
		{"const refers to itself", &btf.Volatile{Type: selfConst}, `const refers to itself`},
		{"typedef chain too long", typedefChain(maxResolveDepth + 1), `typedef "t0": more than 32 typedefs and qualifiers in a row`},
		{"array of itself", selfArray, `is nested more than 1024 levels deep`},
		{"struct contains itself anonymously", anonSelf, `struct s: anonymous member at byte 4: struct s contains itself`},
		{"struct contains itself as an array", arraySelf, `struct s: member "arr": struct s contains itself`},
		{"structs contain each other anonymously", chainA, `struct a: anonymous member at byte 8: struct a contains itself`},
		{"union contains itself", unionSelf, `union u: anonymous member at byte 0: union u contains itself`},
		{"anonymous struct twice", twice, `struct twice: anonymous member at byte 0: struct {...} appears twice`},
		{"structs nested too deep", nest(maxDepth+1, false), `struct s0: member "m": struct s1024 is nested more than 1024 levels deep`},
		{"anonymous structs nested too deep", nest(maxDepth+1, true), `struct s0: anonymous member at byte 0: struct s1024 is nested more than 1024 levels deep`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			within(t, tc.name, func() {
				_, err := NewPlanner().GoType(tc.typ)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("error %v, want it to contain %q", err, tc.want)
				}
				if err != nil && len(err.Error()) > 200 {
					t.Errorf("error of %d bytes", len(err.Error()))
				}
			})
			within(t, "CType", func() { CType(tc.typ) })
			within(t, "Alignof", func() { Alignof(tc.typ) })
			within(t, "Underlying", func() { Underlying(tc.typ) })
		})
	}
}

// TestDeepButValid: nesting well inside the limits plans, and a type
// shared along 2^24 (planning) or 2^60 (Alignof) paths is walked once.
func TestDeepButValid(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  btf.Type
	}{
		{"100 nested structs", nest(100, false)},
		{"100 nested anonymous structs", nest(100, true)},
		{"32 typedefs", typedefChain(maxResolveDepth)},
		{"a DAG of 2^24 paths", sharedDAG(24)},
	} {
		within(t, tc.name, func() {
			if _, err := NewPlanner().GoType(tc.typ); err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
		})
	}
	within(t, "Alignof of a DAG 60 levels deep", func() {
		if a := Alignof(sharedDAG(60)); a != 4 {
			t.Errorf("alignment %d, want 4", a)
		}
	})
}

func TestCTypeOfLoops(t *testing.T) {
	selfPtr := &btf.Pointer{}
	selfPtr.Target = selfPtr
	selfArray := &btf.Array{Nelems: 2}
	selfArray.Type = selfArray
	for _, typ := range []btf.Type{selfPtr, selfArray} {
		var got string
		within(t, "CType", func() { got = CType(typ) })
		if !strings.Contains(got, "...") {
			t.Errorf("CType of a loop: %q", got)
		}
	}
}

// TestSizesBeyond32Bits: sizes and offsets whose 32-bit arithmetic wraps
// are refused, naming the member.
func TestSizesBeyond32Bits(t *testing.T) {
	// clang's BTF for struct big { int a[0x40000001]; }: the struct's
	// size wrapped to 4.
	wrapped := &btf.Struct{Name: "big", Size: 4, Members: []btf.Member{member("a", &btf.Array{Type: s32, Nelems: 0x40000001}, 0)}}
	// An anonymous struct near the end of 32 bits of bit offset, holding
	// a member whose offset in the outer struct is beyond them.
	anonFar := &btf.Struct{Name: "far", Size: 8, Members: []btf.Member{
		{Type: &btf.Struct{Size: 8, Members: []btf.Member{member("x", s32, 0), {Name: "y", Type: s32, Offset: 0xffffffe0}}}, Offset: 0x40}}}
	for _, tc := range []struct {
		name string
		typ  btf.Type
		want string
	}{
		{"array size wraps", wrapped, `struct big: member "a": int[1073741825]: 4294967300 bytes exceed the limit of 268435456 bytes`},
		{"array beyond MaxSize", &btf.Array{Type: u8, Nelems: MaxSize + 1}, `__u8[268435457]: 268435457 bytes exceed the limit`},
		{"struct beyond MaxSize", &btf.Struct{Name: "huge", Size: MaxSize + 1}, `struct huge: 268435457 bytes exceed the limit`},
		{"member offset beyond the struct", &btf.Struct{Name: "s", Size: 8, Members: []btf.Member{{Name: "x", Type: s32, Offset: 0xffffffe0}}}, `struct s: member "x": bit offset 4294967264 outside of 8-byte type`},
		{"offset sum beyond 32 bits", anonFar, `struct far: member "y": bit offset 4294967328 outside of 8-byte type`},
		{"huge float", &btf.Float{Name: "f", Size: 0x80000000}, `float "f": 2147483648 bytes exceed the limit`},
	} {
		_, err := NewPlanner().GoType(tc.typ)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
	// The limit itself plans.
	if g, err := NewPlanner().GoType(&btf.Array{Type: u8, Nelems: MaxSize}); err != nil || g.Size != MaxSize {
		t.Errorf("array of MaxSize bytes: %v, %v", g, err)
	}
}
