package gen

import (
	"go/token"
	"slices"
	"strconv"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/layout"
)

func TestGoName(t *testing.T) {
	for _, tc := range []struct{ c, want string }{
		{"pkt_info", "PktInfo"},
		{"src_ip", "SrcIP"},
		{"COLOR_RED", "ColorRed"},
		{"fooBar", "FooBar"},
		{"foo_bar", "FooBar"},
		{"__data", "Data"},
		{"_pad", "Pad"},
		{"type", "Type"},
		{"__u32", "U32"},
		{"ipv4", "Ipv4"},
		{"BIG64_2_32", "Big64_2_32"},
		{"x86_64", "X86_64"},
		{"TCP_hdr", "TCPHdr"},
		{"_1st", "X1st"},
		{"a", "A"},
		// Names that yield no Go name: the caller gives a positional one.
		{"_", ""},
		{"__", ""},
		{"$", ""},
		{"\xff\xfe", ""},
		// What is not part of a Go identifier separates words.
		{"a$b", "AB"},
		{"on_issue.____fmt", "OnIssueFmt"},
		{"tab\tname", "TabName"},
		{"nl\nname", "NlName"},
		{"bad\xffutf8", "BadUTF8"},
		// Letters beyond ASCII are kept; one without upper case gets an X.
		{"élan", "Élan"},
		{"名前", "X名前"},
		{"ǅx", "Ǆx"}, // title case becomes upper case
	} {
		got := goName(tc.c)
		if got != tc.want {
			t.Errorf("goName(%q) = %q, want %q", tc.c, got, tc.want)
		}
		if got != "" && (!token.IsIdentifier(got) || !token.IsExported(got)) {
			t.Errorf("goName(%q) = %q: not an exported Go identifier", tc.c, got)
		}
	}
}

// TestPlaceholdersLast: a C name that yields no Go name gets a
// placeholder only after every C name got its own, so that adding a `_`
// member never renames the real ones after it.
func TestPlaceholdersLast(t *testing.T) {
	cnames := []string{"_", "field0", "field1", "$"}
	got := make([]string, len(cnames))
	nameEach(newScope(), len(cnames), func(i int) string { return goName(cnames[i]) },
		func(i int) string { return "Field" + strconv.Itoa(i) },
		func(i int, name string) { got[i] = name })
	if want := []string{"Field0_2", "Field0", "Field1", "Field3"}; !slices.Equal(got, want) {
		t.Errorf("names of %q = %q, want %q", cnames, got, want)
	}
}

func TestScopeSuffixes(t *testing.T) {
	s := newScope("Reserved")
	for _, tc := range []struct{ want, got string }{
		{"FooBar", s.name("FooBar")},
		{"FooBar_2", s.name("FooBar")},
		{"FooBar_3", s.name("FooBar")},
		{"Reserved_2", s.name("Reserved")},
		{"Other", s.name("Other")},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestMemberNames: the accessors mapgen invents keep their names, members
// whose C names spell them give way, and a member without a Go name gets a
// positional one instead of another member's name.
func TestMemberNames(t *testing.T) {
	u32 := &btf.Int{Name: "__u32", Size: 4}
	char := &btf.Int{Name: "char", Size: 1, Encoding: btf.Signed}
	st := &btf.Struct{Name: "s", Size: 36, Members: []btf.Member{
		{Name: "count", Type: u32, Offset: 0, BitfieldSize: 4},
		{Name: "set_count", Type: u32, Offset: 32},
		{Name: "task", Type: &btf.Array{Type: char, Nelems: 16}, Offset: 64},
		{Name: "task_string", Type: u32, Offset: 192},
		{Name: "raw0", Type: u32, Offset: 224},
		{Name: "_", Type: u32, Offset: 256},
	}}
	d, err := layout.NewPlanner().Decl(st)
	if err != nil {
		t.Fatal(err)
	}
	names := nameMembers(d.Composite)
	got := make(map[string]memberNames)
	for m, n := range names.members {
		got[m.Name] = *n
	}
	want := map[string]memberNames{
		"count":       {name: "Count", set: "SetCount"},
		"set_count":   {name: "SetCount_2"},
		"task":        {name: "Task", str: "TaskString"},
		"task_string": {name: "TaskString_2"},
		"raw0":        {name: "Raw0_2"}, // Raw0 holds count
		"_":           {name: "Field5"},
	}
	for c, w := range want {
		if got[c] != w {
			t.Errorf("member %s: got %+v, want %+v", c, got[c], w)
		}
	}
}

func TestCommentText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a\nb", `a\nb`},
		{"nul\x00", `nul\x00`},
		{"bad\xff", `bad\xff`},
		{"é ok", "é ok"},
		{"\u2028", `\u2028`},
	} {
		if got := commentText(tc.in); got != tc.want {
			t.Errorf("commentText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
