// Package randc generates random eBPF C programs for differential testing
// of mapgen (tests only): random struct, union and enum types built from
// every kind of C member, used as map keys, map values and globals of
// .data, .rodata and .bss, plus two BPF programs per type. The program
// fill_N writes a value derived from each field's path into every field
// of the type in an array map; check_N compares every field of that map's
// value with the same values and returns the 1-based index of the first
// that differs (0: all equal). The .data and .rodata globals are
// initialised with the same values, so the object's byte images hold them
// too.
//
// Generation is deterministic: a seed gives the same program on every run
// and machine.
package randc

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
)

// Program is one generated C program.
type Program struct {
	Seed int64
	// Source is the C source, compilable with clang -target bpfel/bpfeb.
	Source string
	// Tops are the types the program uses as keys, values and globals.
	Tops []*Top
}

// Top is one type used as a map value (FillMap), a map key (KeyMap) and
// globals, with the fields its programs and initializers set.
type Top struct {
	// CType spells the type in C: "struct foo", "union bar" or a typedef.
	CType string
	// FillMap is an array map of one entry whose value is the type: FillProg
	// writes every leaf into entry 0, CheckProg compares entry 0 with
	// the leaves.
	FillMap string
	// KeyMap is a hash map whose keys and values are the type, "" where
	// the type may be too large for a hash key. FillProg inserts the
	// value it wrote as both key and value.
	KeyMap string
	// FillProg and CheckProg are XDP programs.
	FillProg, CheckProg string
	// DataVar (.data) and RodataVar (.rodata) hold the leaves' values as
	// initialised globals; BssVar (.bss) is zero.
	DataVar, RodataVar, BssVar string
	// Leaves are the fields set, in the order CheckProg compares them.
	Leaves []*Leaf
}

// Kind is what a leaf holds.
type Kind int

const (
	KindInt     Kind = iota // integers (and char bitfields)
	KindChar                // plain char: bytes in Go
	KindBool                // _Bool
	KindEnum                // enums
	KindFloat               // float, double, long double (Size 4 or 8)
	KindPointer             // pointers: 8 bytes
	KindInt128              // __int128, unsigned __int128
)

func (k Kind) String() string {
	return [...]string{"int", "char", "bool", "enum", "float", "pointer", "int128"}[k]
}

// Step is one step of a path: a member name, or an array index when Name
// is empty. Members of anonymous structs and unions are named directly,
// as in C.
type Step struct {
	Name  string
	Index int
}

// Leaf is a scalar field of a top-level type and the value every test
// direction puts into it.
type Leaf struct {
	Path []Step
	Kind Kind
	// Size is the size in bytes of the leaf's C type.
	Size int
	// Bits is the width: the bitfield's, or 8*Size.
	Bits     int
	Bitfield bool
	Signed   bool
	// Lo and Hi are the value's bits, masked to Bits (Hi only for int128).
	// A float's are its IEEE bits (float32 in Lo's low half for Size 4).
	Lo, Hi uint64
}

// CPath spells the path as C member access after a value: ".a.b[2].c".
func (l *Leaf) CPath() string {
	var b strings.Builder
	for _, s := range l.Path {
		if s.Name == "" {
			fmt.Fprintf(&b, "[%d]", s.Index)
		} else {
			b.WriteString("." + s.Name)
		}
	}
	return b.String()
}

// SignedValue is the value sign-extended from Bits to 64 bits (Lo only).
func (l *Leaf) SignedValue() int64 {
	if l.Bits >= 64 {
		return int64(l.Lo)
	}
	return int64(l.Lo<<(64-l.Bits)) >> (64 - l.Bits)
}

// mask128 masks lo, hi to bits.
func mask128(lo, hi uint64, bits int) (uint64, uint64) {
	switch {
	case bits < 64:
		return lo & (1<<bits - 1), 0
	case bits == 64:
		return lo, 0
	case bits < 128:
		return lo, hi & (1<<(bits-64) - 1)
	}
	return lo, hi
}

// hash64 is FNV-1a of s.
func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// setValue gives l its value, derived from the seed, the top-level type
// and the path only.
func setValue(seed int64, top string, l *Leaf) {
	key := fmt.Sprintf("%d/%s%s", seed, top, l.CPath())
	lo, hi := hash64(key), hash64(key+"/hi")
	switch l.Kind {
	case KindBool:
		l.Lo, l.Hi = lo&1, 0
		return
	case KindFloat:
		// An integer over 4: exact in float32 and float64.
		x := float64(int64(lo%(1<<21))-(1<<20)) / 4
		if l.Size == 4 {
			l.Lo = uint64(math.Float32bits(float32(x)))
		} else {
			l.Lo = math.Float64bits(x)
		}
		return
	}
	l.Lo, l.Hi = mask128(lo, hi, l.Bits)
}

// Generate returns the program of seed.
func Generate(seed int64) *Program {
	g := newGenerator(seed)
	return g.program()
}

// newRand is the random source of a seed.
func newRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x6d617067656e))
}
