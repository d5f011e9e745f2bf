package randc

import (
	"regexp"
	"strings"
	"testing"
)

func TestDeterministic(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		a, b := Generate(seed), Generate(seed)
		if a.Source != b.Source {
			t.Fatalf("seed %d: two runs differ", seed)
		}
		if seed > 1 && a.Source == Generate(seed-1).Source {
			t.Fatalf("seeds %d and %d give the same program", seed-1, seed)
		}
	}
}

// corpus is the source of many seeds, for coverage checks.
func corpus(n int64) (string, []*Leaf) {
	var b strings.Builder
	var leaves []*Leaf
	for seed := int64(1); seed <= n; seed++ {
		p := Generate(seed)
		b.WriteString(p.Source)
		for _, tp := range p.Tops {
			leaves = append(leaves, tp.Leaves...)
		}
	}
	return b.String(), leaves
}

// TestCoverage: over 300 seeds, every member kind the differential test
// promises appears in the C source.
func TestCoverage(t *testing.T) {
	src, leaves := corpus(300)
	for _, tc := range []struct{ what, re string }{
		{"plain char", `\tchar \w+;`},
		{"signed char", `signed char \w+`},
		{"unsigned char", `unsigned char \w+`},
		{"long long", `\tlong long \w+`},
		{"unsigned long", `unsigned long \w+`},
		{"__u8 .. __s64", `__s64 \w+`},
		{"__int128", `\t__int128 \w+`},
		{"unsigned __int128", `unsigned __int128 \w+`},
		{"__int128 bitfield", `__int128 \w+ : \d+`},
		{"typedef of a typedef", `typedef (const |volatile )*t\d+ \w+;`},
		{"const member", `\tconst \w`},
		{"volatile member", `\tvolatile \w`},
		{"signed enum", `enum \w+ \{ [^}]*= -\d`},
		{"64-bit enum", `enum \w+ \{ [^}]*= 0x[0-9a-f]+LL`},
		{"packed enum", `enum __attribute__\(\(packed\)\)`},
		{"typedef of an enum", `typedef enum \w+ \w+;`},
		{"typedef lowering alignment", `typedef (long|__u64|__s64|unsigned long)[^;]* \w+ __attribute__\(\(aligned\([124]\)\)\);`},
		{"_Bool", `_Bool \w+;`},
		{"_Bool bitfield", `_Bool \w+ : 1;`},
		{"enum bitfield", `enum \w+ \w+ : \d+;`},
		{"float", `\tfloat \w+`},
		{"double", `\tdouble \w+`},
		{"pointer", `\* \w+;`},
		{"function pointer", `rc_fn_t \w+`},
		{"1-dimensional array", `\w\[\d\];`},
		{"3-dimensional array", `\[\d\]\[\d\]\[\d\]`},
		{"array of structs", `\} \w+\[\d\]`},
		{"C11 anonymous struct", `\t+\};\n`},
		{"anonymous union", `\tunion (__attribute__\(\([^)]*\)\) )?\{`},
		{"named union member", `\} \w+;\n(.|\n)*union`},
		{"unnamed bitfield", `[a-z0-9_] : \d+;`},
		{"zero-width bitfield", ` : 0;`},
		{"packed struct", `struct __attribute__\(\(packed`},
		{"aligned struct", `struct __attribute__\(\((packed, )?aligned\(\d+\)`},
		{"packed member", `\w __attribute__\(\(packed\)\);`},
		{"aligned member", `\w __attribute__\(\(aligned\(\d+\)\)\);`},
		{"zero-length array", `\w\[0\];`},
		{"flexible array", `\w\[\];`},
		{"empty struct", `struct \{\n\t*\} \w+;`},
		{"Go keyword", `\w (type|func|range|select)[;\[ ]`},
		{"predeclared identifier", `\w (len|string|nil|append)[;\[ ]`},
		{"case pair", `\w Foo[;\[ ]`},
		{"CamelCase collision", `\w fooBar[;\[ ]`},
		{"leading underscore", `\w __foo[;\[ ]`},
		{"generated method name", `\w set_x[;\[ ]`},
		{"storage field name", `\w raw0[;\[ ]`},
		{"typedef'd anonymous top", `typedef struct (__attribute__\(\([^)]*\)\) )?\{`},
		{"typedef struct foo foo", `typedef (struct|union) (\w+) (\w+);`},
		{"hash map keyed by a type", `BPF_MAP_TYPE_HASH`},
		{".rodata global", `const volatile \w`},
	} {
		if !regexp.MustCompile(tc.re).MatchString(src) {
			t.Errorf("no %s (/%s/) in 300 programs", tc.what, tc.re)
		}
	}
	kinds := map[Kind]int{}
	bitfields := map[Kind]int{}
	for _, l := range leaves {
		kinds[l.Kind]++
		if l.Bitfield {
			bitfields[l.Kind]++
		}
	}
	for k := KindInt; k <= KindInt128; k++ {
		if kinds[k] == 0 {
			t.Errorf("no leaf of kind %v", k)
		}
	}
	for _, k := range []Kind{KindInt, KindBool, KindEnum, KindInt128} {
		if bitfields[k] == 0 {
			t.Errorf("no bitfield of kind %v", k)
		}
	}
	t.Logf("%d leaves: %v; bitfields: %v", len(leaves), kinds, bitfields)
}

// TestLeafValues: values are masked to their width, bools are 0 or 1,
// and a signed value sign-extends from its width.
func TestLeafValues(t *testing.T) {
	_, leaves := corpus(50)
	for _, l := range leaves {
		lo, hi := mask128(l.Lo, l.Hi, l.Bits)
		if l.Kind != KindFloat && (lo != l.Lo || hi != l.Hi) {
			t.Fatalf("%s: value %#x:%#x wider than %d bits", l.CPath(), l.Hi, l.Lo, l.Bits)
		}
		if l.Kind == KindBool && l.Lo > 1 {
			t.Fatalf("%s: _Bool value %d", l.CPath(), l.Lo)
		}
	}
	l := &Leaf{Bits: 3, Lo: 0b110}
	if got := l.SignedValue(); got != -2 {
		t.Errorf("SignedValue of 3-bit 0b110 = %d, want -2", got)
	}
}
