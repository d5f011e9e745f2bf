package layout

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"
)

var (
	u8  = &btf.Int{Name: "__u8", Size: 1}
	u16 = &btf.Int{Name: "__u16", Size: 2}
	u32 = &btf.Int{Name: "__u32", Size: 4}
	s32 = &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	u64 = &btf.Int{Name: "__u64", Size: 8}
)

func member(name string, t btf.Type, byteOff uint32) btf.Member {
	return btf.Member{Name: name, Type: t, Offset: btf.Bits(byteOff * 8)}
}

func bitfield(name string, t btf.Type, bitOff, bits uint32) btf.Member {
	return btf.Member{Name: name, Type: t, Offset: btf.Bits(bitOff), BitfieldSize: btf.Bits(bits)}
}

// fieldsOf renders a plan's Go fields compactly: "name@off+size" for
// members, "raw@off+size(a,b)" for storage, "_@off+size" for padding.
func fieldsOf(c *Composite) string {
	var parts []string
	for _, f := range c.Fields {
		switch f.Kind {
		case FieldMember:
			parts = append(parts, fmt.Sprintf("%s@%d+%d", f.Member.Name, f.Offset, f.Size))
		case FieldPad:
			parts = append(parts, fmt.Sprintf("_@%d+%d", f.Offset, f.Size))
		case FieldStorage:
			var held []string
			for _, m := range f.Members {
				held = append(held, m.Name+":"+m.Access.String())
			}
			parts = append(parts, fmt.Sprintf("raw@%d+%d(%s)", f.Offset, f.Size, strings.Join(held, ",")))
		}
	}
	return strings.Join(parts, " ")
}

func TestCompositePlans(t *testing.T) {
	for _, tc := range []struct {
		name    string
		typ     btf.Type
		fields  string
		goAlign uint32
		cAlign  uint32
		zero    []string // members reached by a zero-size accessor
	}{
		{
			name:    "holes and tail padding",
			typ:     &btf.Struct{Name: "s", Size: 24, Members: []btf.Member{member("a", u8, 0), member("b", u32, 4), member("c", u64, 8), member("d", u16, 16)}},
			fields:  "a@0+1 _@1+3 b@4+4 c@8+8 d@16+2 _@18+6",
			goAlign: 8, cAlign: 8,
		},
		{
			name:    "packed members at odd offsets become storage",
			typ:     &btf.Struct{Name: "p", Size: 7, Members: []btf.Member{member("a", u8, 0), member("b", u32, 1), member("c", u16, 5)}},
			fields:  "a@0+1 raw@1+4(b:copy) raw@5+2(c:copy)",
			goAlign: 1, cAlign: 1,
		},
		{
			// a is aligned, but a Go uint64 would round the size 9 up to 16.
			name:    "aligned member in a packed struct of odd size",
			typ:     &btf.Struct{Name: "p9", Size: 9, Members: []btf.Member{member("a", u64, 0), member("b", u8, 8)}},
			fields:  "raw@0+8(a:copy) b@8+1",
			goAlign: 1, cAlign: 1,
		},
		{
			name: "bitfields share covering bytes",
			typ: &btf.Struct{Name: "bf", Size: 8, Members: []btf.Member{
				bitfield("x", u32, 0, 3), bitfield("y", s32, 3, 13), bitfield("z", u32, 16, 1), member("w", u32, 4)}},
			fields:  "raw@0+2(x:bits,y:bits) raw@2+1(z:bits) _@3+1 w@4+4",
			goAlign: 4, cAlign: 4,
		},
		{
			// BTF may mark a whole, aligned integer as a bitfield.
			name:    "full-width bitfield is a plain field",
			typ:     &btf.Struct{Name: "fw", Size: 4, Members: []btf.Member{bitfield("v", u32, 0, 32)}},
			fields:  "v@0+4",
			goAlign: 4, cAlign: 4,
		},
		{
			name:    "union members share storage",
			typ:     &btf.Union{Name: "u", Size: 8, Members: []btf.Member{member("a", u32, 0), member("b", u64, 0)}},
			fields:  "raw@0+8(a:copy,b:copy)",
			goAlign: 1, cAlign: 8,
		},
		{
			name: "anonymous struct members are flattened into fields",
			typ: &btf.Struct{Name: "anon", Size: 16, Members: []btf.Member{
				member("id", u32, 0),
				member("", &btf.Struct{Size: 12, Members: []btf.Member{member("a", u32, 0), member("b", u64, 4)}}, 4)}},
			// b sits at 8 in the parent: aligned there.
			fields:  "id@0+4 a@4+4 b@8+8",
			goAlign: 8, cAlign: 4,
		},
		{
			name: "anonymous union in a struct",
			typ: &btf.Struct{Name: "au", Size: 8, Members: []btf.Member{
				member("tag", u32, 0),
				member("", &btf.Union{Size: 4, Members: []btf.Member{member("i", u32, 0), member("h", u16, 0)}}, 4)}},
			fields:  "tag@0+4 raw@4+4(i:copy,h:copy)",
			goAlign: 4, cAlign: 4,
		},
		{
			name: "flexible array and empty struct have no field",
			typ: &btf.Struct{Name: "flex", Size: 8, Members: []btf.Member{
				member("n", u32, 0), member("e", &btf.Struct{Name: "empty"}, 4),
				member("data", &btf.Array{Type: u64, Nelems: 0}, 8)}},
			fields:  "n@0+4 _@4+4",
			goAlign: 4, cAlign: 8,
			zero: []string{"e", "data"},
		},
		{
			// clang's BPF target aligns __int128 to 16.
			name:    "__int128 has C alignment 16",
			typ:     &btf.Struct{Name: "i128", Size: 32, Members: []btf.Member{member("a", u8, 0), member("x", &btf.Int{Name: "__int128", Size: 16, Encoding: btf.Signed}, 16)}},
			fields:  "a@0+1 _@1+15 x@16+16",
			goAlign: 8, cAlign: 16,
		},
		{
			name:    "__int128 at 8 shows a packed struct",
			typ:     &btf.Struct{Name: "p128", Size: 24, Members: []btf.Member{member("a", u64, 0), member("x", &btf.Int{Name: "__int128", Size: 16}, 8)}},
			fields:  "a@0+8 x@8+16",
			goAlign: 8, cAlign: 1,
		},
		{
			name:    "pointers are 64-bit",
			typ:     &btf.Struct{Name: "ptr", Size: 16, Members: []btf.Member{member("p", &btf.Pointer{Target: &btf.Fwd{Name: "opaque"}}, 0), member("n", u8, 8)}},
			fields:  "p@0+8 n@8+1 _@9+7",
			goAlign: 8, cAlign: 8,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewPlanner().Decl(tc.typ)
			if err != nil {
				t.Fatal(err)
			}
			c := d.Composite
			if got := fieldsOf(c); got != tc.fields {
				t.Errorf("fields:\n got  %s\n want %s", got, tc.fields)
			}
			if c.GoAlign != tc.goAlign || c.CAlign != tc.cAlign {
				t.Errorf("GoAlign %d, CAlign %d; want %d, %d", c.GoAlign, c.CAlign, tc.goAlign, tc.cAlign)
			}
			var zero []string
			for _, m := range c.Members {
				if m.Access == AccessZero {
					zero = append(zero, m.Name)
				}
			}
			if fmt.Sprint(zero) != fmt.Sprint(tc.zero) {
				t.Errorf("zero-size members %v, want %v", zero, tc.zero)
			}
			// Whatever the plan, fields cover the size exactly.
			var end uint32
			for _, f := range c.Fields {
				if f.Offset != end {
					t.Errorf("field at %d after end %d", f.Offset, end)
				}
				end = f.Offset + f.Size
			}
			if end != c.Size {
				t.Errorf("fields end at %d, size %d", end, c.Size)
			}
		})
	}
}

func TestTypedefNamesAnonymousStruct(t *testing.T) {
	anon := &btf.Struct{Size: 4, Members: []btf.Member{member("v", u32, 0)}}
	p := NewPlanner()
	g, err := p.GoType(&btf.Typedef{Name: "val_t", Type: &btf.Const{Type: anon}}, "outer", "field")
	if err != nil {
		t.Fatal(err)
	}
	if g.Kind != GoNamed || fmt.Sprint(g.Decl.Hint) != "[val_t]" {
		t.Errorf("typedef of an anonymous struct: kind %v, hint %v; want a declaration named by val_t", g.Kind, g.Decl.Hint)
	}
	// The same type through another path is the same declaration.
	if g2, _ := p.GoType(anon, "other"); g2.Decl != g.Decl || len(p.Decls()) != 1 {
		t.Errorf("anonymous struct declared twice")
	}
}

func TestGoTypes(t *testing.T) {
	for _, tc := range []struct {
		typ  btf.Type
		want string
	}{
		{u16, "uint16"},
		{&btf.Int{Name: "long", Size: 8, Encoding: btf.Signed}, "int64"},
		{&btf.Int{Name: "char", Size: 1, Encoding: btf.Signed}, "byte"},
		{&btf.Int{Name: "signed char", Size: 1, Encoding: btf.Signed}, "int8"},
		{&btf.Int{Name: "_Bool", Size: 1, Encoding: btf.Bool}, "templates.Bool"},
		{&btf.Int{Name: "__int128", Size: 16, Encoding: btf.Signed}, "templates.Int128"},
		{&btf.Int{Name: "unsigned __int128", Size: 16}, "templates.Uint128"},
		{&btf.Float{Name: "double", Size: 8}, "float64"},
		{&btf.Float{Name: "long double", Size: 16}, "[16]byte"},
		{&btf.Pointer{Target: &btf.Void{}}, "uint64"},
		{&btf.Array{Type: &btf.Array{Type: u32, Nelems: 4}, Nelems: 2}, "[2][4]uint32"},
		{&btf.Volatile{Type: &btf.Typedef{Name: "pid_t", Type: s32}}, "int32"},
	} {
		g, err := NewPlanner().GoType(tc.typ)
		if err != nil {
			t.Errorf("%s: %v", CType(tc.typ), err)
			continue
		}
		if got := g.String(); got != tc.want {
			t.Errorf("%s: Go %s, want %s", CType(tc.typ), got, tc.want)
		}
	}
}

func TestUnsupported(t *testing.T) {
	for _, tc := range []struct {
		typ  btf.Type
		want string
	}{
		{&btf.Struct{Name: "w", Size: 4, Members: []btf.Member{member("odd", &btf.Int{Name: "int24", Size: 3}, 0)}}, `struct w: member "odd": int "int24": unsupported type: integer of 3 bytes`},
		{&btf.Struct{Name: "f", Size: 8, Members: []btf.Member{member("x", &btf.Fwd{Name: "later"}, 0)}}, `struct f: member "x": struct "later" is only declared`},
		{&btf.Struct{Name: "b", Size: 4, Members: []btf.Member{bitfield("fl", &btf.Float{Name: "float", Size: 4}, 0, 3)}}, `struct b: member "fl": bitfield of float`},
		{&btf.Struct{Name: "o", Size: 4, Members: []btf.Member{member("big", u64, 0)}}, `struct o: member "big": bytes [0, 8) outside of 4-byte type`},
	} {
		_, err := NewPlanner().GoType(tc.typ)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", CType(tc.typ), err, tc.want)
		}
	}
	_, err := NewPlanner().GoType(&btf.Struct{Name: "w", Size: 4, Members: []btf.Member{member("odd", &btf.Int{Size: 3}, 0)}})
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("error %v does not wrap ErrUnsupported", err)
	}
}

func TestEnumValues(t *testing.T) {
	e, err := planEnum(&btf.Enum{Name: "e", Size: 1, Signed: true, Values: []btf.EnumValue{
		{Name: "NEG", Value: 0xff}, {Name: "POS", Value: 5}}})
	if err != nil {
		t.Fatal(err)
	}
	if e.Underlying.Name != "int8" || e.Values[0].Value != -1 || e.Values[1].Value != 5 {
		t.Errorf("signed 1-byte enum: %s, values %+v", e.Underlying.Name, e.Values)
	}
	e, err = planEnum(&btf.Enum{Name: "big", Size: 8, Values: []btf.EnumValue{{Name: "MAX", Value: ^uint64(0)}}})
	if err != nil {
		t.Fatal(err)
	}
	if e.Underlying.Name != "uint64" || e.Values[0].Unsigned != ^uint64(0) {
		t.Errorf("unsigned 8-byte enum: %s, values %+v", e.Underlying.Name, e.Values)
	}
}

// TestCharBitfieldTypes: a char bitfield is a small number of BTF's
// signedness whatever its width and place; only a char that is no
// bitfield is a byte. (A full-width char bitfield at a whole byte was a
// byte before the differential test found the difference.)
func TestCharBitfieldTypes(t *testing.T) {
	char := &btf.Int{Name: "char", Size: 1, Encoding: btf.Signed}
	uchar := &btf.Int{Name: "char", Size: 1} // a target with unsigned char
	st := &btf.Struct{Name: "cb", Size: 4, Members: []btf.Member{
		member("plain", char, 0),
		bitfield("full", char, 8, 8),    // whole byte: a plain field
		bitfield("part", char, 16, 3),   // accessors
		bitfield("across", char, 19, 8), // 8 bits not at a byte: accessors
		bitfield("ufull", uchar, 27, 5), // unsigned char
	}}
	d, err := NewPlanner().Decl(st)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		goType string
		access Access
	}{
		"plain":  {"byte", AccessField},
		"full":   {"int8", AccessField},
		"part":   {"int8", AccessBits},
		"across": {"int8", AccessBits},
		"ufull":  {"uint8", AccessBits},
	}
	for _, m := range d.Composite.Members {
		w := want[m.Name]
		if m.Go.String() != w.goType || m.Access != w.access {
			t.Errorf("member %s: %s, %v; want %s, %v", m.Name, m.Go, m.Access, w.goType, w.access)
		}
	}
}
