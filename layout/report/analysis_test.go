package report

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"
)

var (
	u8  = &btf.Int{Name: "__u8", Size: 1}
	u16 = &btf.Int{Name: "__u16", Size: 2}
	u32 = &btf.Int{Name: "__u32", Size: 4}
	u64 = &btf.Int{Name: "__u64", Size: 8}
)

// member is a BTF member at a byte offset (bits 0) or bit offset.
func member(name string, t btf.Type, bitOff, bits uint32) btf.Member {
	return btf.Member{Name: name, Type: t, Offset: btf.Bits(bitOff), BitfieldSize: btf.Bits(bits)}
}

func TestAnalysis(t *testing.T) {
	anonInner := &btf.Struct{Size: 8, Members: []btf.Member{member("a", u8, 0, 0), member("b", u32, 32, 0)}}
	for _, tc := range []struct {
		name      string
		typ       btf.Type
		cacheLine uint32
		want      Analysis
	}{{
		name: "hole after u8",
		typ:  &btf.Struct{Name: "s", Size: 8, Members: []btf.Member{member("a", u8, 0, 0), member("b", u32, 32, 0)}},
		want: Analysis{Holes: []Hole{{Offset: 1, Size: 3}}, MemberBytes: 5},
	}, {
		name: "tail padding",
		typ:  &btf.Struct{Name: "s", Size: 8, Members: []btf.Member{member("a", u32, 0, 0), member("b", u8, 32, 0)}},
		want: Analysis{Padding: 3, MemberBytes: 5},
	}, {
		name: "bit padding of a lone bitfield",
		typ:  &btf.Struct{Name: "s", Size: 4, Members: []btf.Member{member("x", u32, 0, 3)}},
		want: Analysis{BitPadding: 29, BitfieldBits: 3},
	}, {
		name: "bit hole, then a byte member and tail padding",
		typ:  &btf.Struct{Name: "s", Size: 8, Members: []btf.Member{member("x", u64, 0, 3), member("c", u8, 8, 0)}},
		want: Analysis{BitHoles: []Hole{{Offset: 3, Size: 5}}, Padding: 6, MemberBytes: 1, BitfieldBits: 3},
	}, {
		name: "rest of a storage unit is a bit hole",
		typ:  &btf.Struct{Name: "s", Size: 16, Members: []btf.Member{member("x", u64, 0, 33), member("y", u64, 64, 63)}},
		want: Analysis{BitHoles: []Hole{{Offset: 33, Size: 31}}, BitPadding: 1, BitfieldBits: 96},
	}, {
		name: "whole bytes after a byte member inside a unit are a byte hole",
		typ: &btf.Struct{Name: "s", Size: 8, Members: []btf.Member{
			member("x", u32, 0, 2), member("c", u8, 8, 0), member("d", u32, 32, 0)}},
		want: Analysis{BitHoles: []Hole{{Offset: 2, Size: 6}}, Holes: []Hole{{Offset: 2, Size: 2}}, MemberBytes: 5, BitfieldBits: 2},
	}, {
		name: "unnamed padding bitfield before the only member",
		typ:  &btf.Struct{Name: "s", Size: 4, Members: []btf.Member{member("invalid", u32, 31, 1)}},
		want: Analysis{BitHoles: []Hole{{Offset: 0, Size: 31}}, BitfieldBits: 1},
	}, {
		name: "flexible array: the bytes before it are a hole",
		typ: &btf.Struct{Name: "s", Size: 8, Members: []btf.Member{
			member("n", u8, 0, 0), member("items", &btf.Array{Type: u64, Nelems: 0}, 64, 0)}},
		want: Analysis{Holes: []Hole{{Offset: 1, Size: 7}}, MemberBytes: 1},
	}, {
		name: "zero-size marker splits a hole",
		typ: &btf.Struct{Name: "s", Size: 24, Members: []btf.Member{
			member("a", u32, 0, 0), member("mark", &btf.Array{Type: u8, Nelems: 0}, 64, 0), member("b", u64, 128, 0)}},
		want: Analysis{Holes: []Hole{{Offset: 4, Size: 4}, {Offset: 8, Size: 8}}, MemberBytes: 12},
	}, {
		name: "holes inside an anonymous struct belong to the type",
		typ: &btf.Struct{Name: "s", Size: 16, Members: []btf.Member{
			member("c", u8, 0, 0), member("", anonInner, 32, 0), member("d", u8, 96, 0)}},
		want: Analysis{Holes: []Hole{{Offset: 1, Size: 3}, {Offset: 5, Size: 3, In: "(anonymous struct at 4)"}}, Padding: 3, MemberBytes: 10},
	}, {
		name: "union: padding after the largest member",
		typ:  &btf.Union{Name: "u", Size: 8, Members: []btf.Member{member("a", u32, 0, 0), member("b", u16, 0, 0), member("c", u64, 0, 0)}},
		want: Analysis{MemberBytes: 14},
	}, {
		name:      "cache lines",
		typ:       &btf.Struct{Name: "s", Size: 130, Members: []btf.Member{member("a", &btf.Array{Type: u8, Nelems: 130}, 0, 0)}},
		cacheLine: 64,
		want:      Analysis{MemberBytes: 130, CacheLines: 3, LastLine: 2},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := New(tc.typ, Options{CacheLine: tc.cacheLine})
			if err != nil {
				t.Fatal(err)
			}
			got := l.Analysis
			want := tc.want
			want.CacheLineSize = max(tc.cacheLine, 64)
			if tc.cacheLine == 0 {
				want.CacheLines, want.LastLine = 1, l.Size
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("analysis:\n got  %+v\n want %+v", got, want)
			}
		})
	}
}

func TestNewRefusesBadMembers(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  btf.Type
	}{
		{"member beyond the end", &btf.Struct{Name: "s", Size: 4, Members: []btf.Member{member("a", u64, 0, 0)}}},
		{"bitfield wider than its type", &btf.Struct{Name: "s", Size: 4, Members: []btf.Member{member("a", u8, 0, 9)}}},
		{"member not at a whole byte", &btf.Struct{Name: "s", Size: 4, Members: []btf.Member{member("a", u8, 3, 0)}}},
		{"not a composite", u32},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if l, err := New(tc.typ, Options{}); err == nil {
				t.Errorf("New accepted it: %+v", l)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct {
		name   string
		typ    *btf.Struct
		better bool
		size   uint32
		order  []string
		c      string // in the C of the suggestion
	}{{
		name: "largest alignment first",
		typ: &btf.Struct{Name: "s", Size: 24, Members: []btf.Member{
			member("a", u8, 0, 0), member("b", u64, 64, 0), member("c", u8, 128, 0)}},
		better: true, size: 16, order: []string{"b", "a", "c"},
	}, {
		name: "bitfield run stays together",
		typ: &btf.Struct{Name: "s", Size: 16, Members: []btf.Member{
			member("x", u32, 0, 3), member("y", u32, 3, 5), member("b", u64, 64, 0)}},
		better: true, size: 16, order: []string{"b", "x", "y"},
	}, {
		name: "no holes: nothing to gain",
		typ: &btf.Struct{Name: "s", Size: 8, Members: []btf.Member{
			member("a", u32, 0, 0), member("b", u16, 32, 0), member("c", u16, 48, 0)}},
		better: false, size: 8, order: []string{"a", "b", "c"},
	}, {
		name: "packed struct keeps its attribute",
		typ: &btf.Struct{Name: "s", Size: 5, Members: []btf.Member{
			member("a", u8, 0, 0), member("b", u32, 8, 0)}},
		better: false, size: 5, order: []string{"a", "b"}, c: "__attribute__((packed))",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := New(tc.typ, Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := l.Suggestion
			if s.Better != tc.better || s.Layout.Size != tc.size {
				t.Fatalf("better %v size %d (%s), want better %v size %d", s.Better, s.Layout.Size, s.Reason, tc.better, tc.size)
			}
			var order []string
			for _, m := range s.Layout.Members {
				order = append(order, m.Name)
			}
			if !reflect.DeepEqual(order, tc.order) {
				t.Errorf("order %v, want %v", order, tc.order)
			}
			if c := s.C(); !strings.Contains(c, tc.c) {
				t.Errorf("C lacks %q:\n%s", tc.c, c)
			}
		})
	}
}
