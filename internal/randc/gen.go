package randc

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// generator builds one program's types.
type generator struct {
	seed int64
	r    *rand.Rand
	// ordinary and tags are the names taken in C's ordinary and tag
	// namespaces.
	ordinary, tags map[string]bool
	// decls are typedefs, enums and static assertions, in order.
	decls  strings.Builder
	shared []*record
	// recordTags are the tags defined so far, for pointers to them.
	recordTags []string
	ntypedef   int
	ntag       int
}

func newGenerator(seed int64) *generator {
	return &generator{seed: seed, r: newRand(seed), ordinary: map[string]bool{}, tags: map[string]bool{}}
}

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func (g *generator) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// ordinaryName returns a fresh name of the ordinary namespace: one of
// ordinaryNames now and then, else prefix and a number.
func (g *generator) ordinaryName(prefix string) string {
	if g.chance(0.3) {
		if n := g.pick(ordinaryNames); !g.ordinary[n] {
			g.ordinary[n] = true
			return n
		}
	}
	for {
		g.ntypedef++
		n := fmt.Sprintf("%s%d", prefix, g.ntypedef)
		if !g.ordinary[n] {
			g.ordinary[n] = true
			return n
		}
	}
}

// tagName returns a fresh tag.
func (g *generator) tagName() string {
	if g.chance(0.5) {
		if n := g.pick(tagNames); !g.tags[n] {
			g.tags[n] = true
			return n
		}
	}
	for {
		g.ntag++
		n := fmt.Sprintf("r%d", g.ntag)
		if !g.tags[n] {
			g.tags[n] = true
			return n
		}
	}
}

// scope holds the member names of one record (with its anonymous
// members).
type scope map[string]bool

func (g *generator) memberName(s scope) string {
	if g.chance(0.6) {
		if n := g.pick(memberNames); !s[n] {
			s[n] = true
			return n
		}
		// set_x next to x, and the like: try the partner of a name
		// taken.
	}
	for i := len(s); ; i++ {
		n := fmt.Sprintf("m%d", i)
		if !s[n] {
			s[n] = true
			return n
		}
	}
}

// baseScalar is a scalar spelling without typedefs or qualifiers.
type baseScalar struct {
	spell  string
	kind   Kind
	size   int
	signed bool
}

var intSpellings = []baseScalar{
	{"char", KindChar, 1, true},
	{"signed char", KindInt, 1, true},
	{"unsigned char", KindInt, 1, false},
	{"short", KindInt, 2, true},
	{"short int", KindInt, 2, true},
	{"signed short", KindInt, 2, true},
	{"unsigned short", KindInt, 2, false},
	{"short unsigned int", KindInt, 2, false},
	{"int", KindInt, 4, true},
	{"signed", KindInt, 4, true},
	{"signed int", KindInt, 4, true},
	{"unsigned", KindInt, 4, false},
	{"unsigned int", KindInt, 4, false},
	{"long", KindInt, 8, true},
	{"long int", KindInt, 8, true},
	{"signed long", KindInt, 8, true},
	{"unsigned long", KindInt, 8, false},
	{"long unsigned int", KindInt, 8, false},
	{"long long", KindInt, 8, true},
	{"long long int", KindInt, 8, true},
	{"signed long long", KindInt, 8, true},
	{"unsigned long long", KindInt, 8, false},
	{"long long unsigned int", KindInt, 8, false},
	{"__u8", KindInt, 1, false},
	{"__s8", KindInt, 1, true},
	{"__u16", KindInt, 2, false},
	{"__s16", KindInt, 2, true},
	{"__u32", KindInt, 4, false},
	{"__s32", KindInt, 4, true},
	{"__u64", KindInt, 8, false},
	{"__s64", KindInt, 8, true},
	{"__be16", KindInt, 2, false},
	{"__le32", KindInt, 4, false},
	{"__int128", KindInt128, 16, true},
	{"signed __int128", KindInt128, 16, true},
	{"unsigned __int128", KindInt128, 16, false},
	{"__int128_t", KindInt128, 16, true},
	{"__uint128_t", KindInt128, 16, false},
	{"_Bool", KindBool, 1, false},
}

var floatSpellings = []baseScalar{
	{"float", KindFloat, 4, true},
	{"double", KindFloat, 8, true},
	{"long double", KindFloat, 8, true},
}

// scalarType returns an integer, char or _Bool type (bitfield: one a
// bitfield can have), or any scalar, float and pointer included.
func (g *generator) scalarType(bitfield bool) *scalar {
	var b baseScalar
	switch x := g.r.IntN(10); {
	case bitfield || x < 7:
		b = intSpellings[g.r.IntN(len(intSpellings))]
	case x < 8:
		b = floatSpellings[g.r.IntN(len(floatSpellings))]
	default:
		return g.pointerType()
	}
	s := &scalar{spell: b.spell, kind: b.kind, size: b.size, signed: b.signed}
	// Typedefs of typedefs, qualified at any level.
	if g.chance(0.3) {
		for range 1 + g.r.IntN(3) {
			q := g.qualifier(bitfield)
			name := g.ordinaryName("t")
			attr := ""
			if !bitfield && g.chance(0.15) {
				// A typedef may lower the alignment (or restate it):
				// members of it sit at offsets their type's natural
				// alignment would not allow, without packed. Never
				// above the size, which arrays of it forbid.
				attr = fmt.Sprintf(" __attribute__((aligned(%d)))", 1<<g.r.IntN(bitsLen(s.size)))
			}
			fmt.Fprintf(&g.decls, "typedef %s%s %s%s;\n", q, s.spell, name, attr)
			s.isConst = s.isConst || strings.Contains(q, "const")
			s.spell = name
		}
	}
	if q := g.qualifier(bitfield); q != "" {
		s.spell = q + s.spell
		s.isConst = s.isConst || strings.Contains(q, "const")
	}
	return s
}

// bitsLen is the number of powers of two up to n: 1 for 1, 4 for 8.
func bitsLen(n int) int {
	k := 0
	for 1<<k <= n {
		k++
	}
	return k
}

// qualifier is "", "const ", "volatile " or "const volatile " (no const
// for bitfields, which the fill program assigns).
func (g *generator) qualifier(bitfield bool) string {
	switch x := g.r.IntN(12); {
	case x == 0 && !bitfield:
		return "const "
	case x == 1:
		return "volatile "
	case x == 2 && !bitfield:
		return "const volatile "
	}
	return ""
}

func (g *generator) pointerType() *scalar {
	spells := []string{"void *", "int *", "char **", "const char *", "struct rc_opaque *", "rc_fn_t", "__u64 *"}
	if len(g.recordTags) > 0 && g.chance(0.4) {
		return &scalar{spell: g.recordTags[g.r.IntN(len(g.recordTags))] + " *", kind: KindPointer, size: 8}
	}
	return &scalar{spell: g.pick(spells), kind: KindPointer, size: 8}
}

// enumType declares an enum: signed, 64-bit or packed.
func (g *generator) enumType() *enumType {
	tag := g.tagName()
	n := 1 + g.r.IntN(4)
	negative := g.chance(0.3)
	big := g.chance(0.2)
	packed := g.chance(0.3)
	var vals []int64
	var maxv uint64
	minv := int64(0)
	for i := range n {
		var v int64
		switch {
		case big && i == n-1:
			v = int64(g.r.Uint64() >> 2) // above 32 bits
			v |= 1 << 40
		case negative && i == 0:
			v = -1 - g.r.Int64N(300)
		default:
			v = g.r.Int64N(1 << g.r.IntN(31))
		}
		vals = append(vals, v)
		if v < 0 {
			minv = min(minv, v)
		} else {
			maxv = max(maxv, uint64(v))
		}
	}
	signed := minv < 0
	size := 4
	if packed {
		size = packedEnumSize(minv, maxv)
	} else if maxv > 1<<32-1 || (signed && maxv > 1<<31-1) {
		size = 8
	}
	attr := ""
	if packed {
		attr = " __attribute__((packed))"
	}
	fmt.Fprintf(&g.decls, "enum%s %s {", attr, tag)
	for i, v := range vals {
		name := g.ordinaryName("E_" + tag + "_")
		sep := ","
		if i == len(vals)-1 {
			sep = ""
		}
		lit := fmt.Sprintf("%d", v)
		if v > 1<<31-1 {
			lit = fmt.Sprintf("%#xLL", v)
		}
		fmt.Fprintf(&g.decls, " %s = %s%s", name, lit, sep)
	}
	fmt.Fprintf(&g.decls, " };\n_Static_assert(sizeof(enum %s) == %d, \"enum %s\");\n", tag, size, tag)
	e := &enumType{tag: tag, size: size, signed: signed}
	if g.chance(0.25) {
		e.alias = g.ordinaryName("te")
		fmt.Fprintf(&g.decls, "typedef enum %s %s;\n", tag, e.alias)
	}
	return e
}

// packedEnumSize is the size clang gives a packed enum.
func packedEnumSize(minv int64, maxv uint64) int {
	if minv < 0 {
		switch {
		case minv >= -128 && maxv <= 127:
			return 1
		case minv >= -32768 && maxv <= 32767:
			return 2
		case minv >= -1<<31 && maxv <= 1<<31-1:
			return 4
		}
		return 8
	}
	switch {
	case maxv <= 255:
		return 1
	case maxv <= 65535:
		return 2
	case maxv <= 1<<32-1:
		return 4
	}
	return 8
}

// maxDepth is how deep records nest inside a top-level type.
const maxDepth = 2

// record generates a struct or union at nesting depth, its members named
// in s (a new scope unless the record is a C11 anonymous member).
func (g *generator) record(depth int, union, top bool, s scope) *record {
	r := &record{union: union}
	if g.chance(0.15) {
		r.packed = true
	}
	if g.chance(0.08) {
		r.aligned = 1 << (1 + g.r.IntN(5))
	}
	n := 1 + g.r.IntN(6)
	if depth > 0 {
		n = 1 + g.r.IntN(4)
	}
	for i := range n {
		r.members = append(r.members, g.member(depth, i == 0, top && !union && i == n-1, s)...)
	}
	return r
}

// member generates one member (or an unnamed bitfield before one).
// first: a plain scalar, so that every record has bytes; last: may be a
// flexible array.
func (g *generator) member(depth int, first, last bool, s scope) []*member {
	m := &member{bits: -1}
	if first {
		m.t = g.scalarType(false)
		m.name = g.memberName(s)
		return []*member{m}
	}
	x := g.r.IntN(100)
	switch {
	case x < 35:
		m.t = g.scalarType(false)
	case x < 55:
		return g.bitfields(s)
	case x < 63:
		m.t = g.enumType()
	case x < 75:
		m.t = g.arrayOf(depth, s)
	case x < 90 && depth < maxDepth:
		return []*member{g.nested(depth, s)}
	case x < 93:
		m.t = &arrayType{elem: g.scalarType(false), dims: []int{0}}
	case x < 95 && depth < maxDepth:
		m.t = &record{} // empty struct: no bytes
	case last && x < 100:
		m.t = &arrayType{elem: g.elemType(depth, s), dims: []int{-1}}
	default:
		m.t = g.scalarType(false)
	}
	m.name = g.memberName(s)
	g.attributes(m)
	return []*member{m}
}

func (g *generator) attributes(m *member) {
	if g.chance(0.06) {
		m.packed = true
	}
	if g.chance(0.06) {
		m.aligned = 1 << g.r.IntN(5)
	}
}

// bitfields is a bitfield, maybe after an unnamed one (of some width, or
// :0).
func (g *generator) bitfields(s scope) []*member {
	var out []*member
	if g.chance(0.2) {
		t := g.scalarType(true)
		for t.kind != KindInt || t.size > 8 {
			t = g.scalarType(true)
		}
		out = append(out, &member{t: t, bits: g.r.IntN(8*t.size + 1)})
	}
	m := &member{name: g.memberName(s)}
	if g.chance(0.2) {
		e := g.enumType()
		m.t, m.bits = e, 1+g.r.IntN(8*e.size)
	} else {
		t := g.scalarType(true)
		m.t = t
		if t.kind == KindBool {
			m.bits = 1
		} else {
			m.bits = 1 + g.r.IntN(8*t.size)
		}
	}
	return append(out, m)
}

// elemType is the element type of an array.
func (g *generator) elemType(depth int, s scope) ctype {
	switch x := g.r.IntN(10); {
	case x < 5:
		return g.scalarType(false)
	case x < 6:
		return g.enumType()
	case x < 8 && depth < maxDepth:
		r := g.record(depth+1, g.chance(0.3), false, scope{})
		if g.chance(0.5) {
			r.tag = g.tagName()
		}
		return r
	}
	return g.scalarType(false)
}

func (g *generator) arrayOf(depth int, s scope) *arrayType {
	a := &arrayType{elem: g.elemType(depth, s)}
	for range 1 + g.r.IntN(3) {
		a.dims = append(a.dims, 1+g.r.IntN(3))
	}
	if sc, ok := a.elem.(*scalar); ok && sc.kind == KindChar && len(a.dims) == 1 {
		a.dims[0] = 1 + g.r.IntN(8)
	}
	return a
}

// nested is a struct or union member: a C11 anonymous one, an inline
// definition with or without a tag, or a shared record.
func (g *generator) nested(depth int, s scope) *member {
	union := g.chance(0.35)
	switch x := g.r.IntN(10); {
	case x < 3:
		// C11 anonymous: its members are named in the enclosing scope.
		r := g.record(depth+1, union, false, s)
		return &member{t: r, bits: -1}
	case x < 5 && len(g.shared) > 0:
		m := &member{t: g.shared[g.r.IntN(len(g.shared))], bits: -1, name: g.memberName(s)}
		g.attributes(m)
		return m
	}
	r := g.record(depth+1, union, false, scope{})
	if g.chance(0.5) {
		r.tag = g.tagName()
	}
	m := &member{t: r, bits: -1, name: g.memberName(s)}
	g.attributes(m)
	return m
}
