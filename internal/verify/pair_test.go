package verify

import (
	"errors"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"
)

// testIndex indexes synthetic BTF: struct flow_key, a typedef of it, two
// structs named console, union value, enum color, a typedef of an
// anonymous struct.
func testIndex(t *testing.T) (*cIndex, map[string]btf.Type) {
	t.Helper()
	u32 := &btf.Int{Name: "__u32", Size: 4}
	types := map[string]btf.Type{
		"flow_key":  &btf.Struct{Name: "flow_key", Size: 4, Members: []btf.Member{{Name: "a", Type: u32}}},
		"console1":  &btf.Struct{Name: "console", Size: 4, Members: []btf.Member{{Name: "a", Type: u32}}},
		"console2":  &btf.Struct{Name: "console", Size: 8, Members: []btf.Member{{Name: "a", Type: u32}, {Name: "b", Type: u32, Offset: 32}}},
		"value":     &btf.Union{Name: "value", Size: 4, Members: []btf.Member{{Name: "a", Type: u32}}},
		"color":     &btf.Enum{Name: "color", Size: 4},
		"ports_t":   &btf.Typedef{Name: "ports_t", Type: &btf.Struct{Size: 4, Members: []btf.Member{{Name: "a", Type: u32}}}},
		"event_key": &btf.Struct{Name: "event_key", Size: 4, Members: []btf.Member{{Name: "a", Type: u32}}},
		"key":       &btf.Struct{Name: "key", Size: 4, Members: []btf.Member{{Name: "a", Type: u32}}},
	}
	types["flow_key_t"] = &btf.Typedef{Name: "flow_key_t", Type: types["flow_key"]}
	// struct outer { struct { union { u32 a; } deep[2]; } in; struct { enum {...} hidden; }; };
	deep := &btf.Union{Size: 4, Members: []btf.Member{{Name: "a", Type: u32}}}
	in := &btf.Struct{Size: 8, Members: []btf.Member{{Name: "deep", Type: &btf.Array{Index: u32, Type: deep, Nelems: 2}}}}
	hidden := &btf.Enum{Size: 4}
	types["outer"] = &btf.Struct{Name: "outer", Size: 12, Members: []btf.Member{
		{Name: "in", Type: in},
		{Type: &btf.Struct{Size: 4, Members: []btf.Member{{Name: "hidden", Type: hidden}}}, Offset: 64},
	}}
	var list []btf.Type
	for _, name := range []string{"flow_key", "console1", "console2", "value", "color", "ports_t", "event_key", "key", "flow_key_t", "outer"} {
		list = append(list, types[name])
	}
	b, err := btf.NewBuilder(list, nil)
	if err != nil {
		t.Fatal(err)
	}
	blob, err := b.Marshal(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := btf.LoadSpecFromReader(strings.NewReader(string(blob)))
	if err != nil {
		t.Fatal(err)
	}
	// The spec holds copies: find them again by kind and name.
	x := newCIndex(spec)
	return x, types
}

func TestLookup(t *testing.T) {
	x, _ := testIndex(t)
	for _, tc := range []struct {
		spelling string
		want     string // CType of the result, or the error's start
		err      bool
	}{
		{"struct flow_key", "struct flow_key", false},
		{"  struct   flow_key ", "struct flow_key", false},
		{"union value", "union value", false},
		{"enum color", "enum color", false},
		{"flow_key_t", "flow_key_t", false},
		{"typedef ports_t", "ports_t", false},
		{"color", "enum color", false},
		{"struct console#2", "struct console", false},
		{"struct console", `ctype "struct console": names 2 C types (BTF type IDs 2, 3); add #ID`, true},
		{"struct console#9", `ctype "struct console#9": no such C type with BTF type ID 9`, true},
		{"struct nope", `ctype "struct nope": no such C type`, true},
		{"at outer.in", "struct ", false},
		{"at outer.in.deep", "union ", false},
		{"at outer.hidden", "enum ", false},
		{"at outer.nope", `outer.nope: no such C type: no member nope`, true},
		{"at nope.in", `ctype "nope": no such C type`, true},
		{"class foo", `ctype "class foo": want struct NAME`, true},
		{"struct console#x", `ctype "struct console#x": bad BTF type ID`, true},
	} {
		got, err := x.lookup(tc.spelling)
		switch {
		case tc.err && (err == nil || !strings.HasPrefix(err.Error(), tc.want)):
			t.Errorf("lookup(%q): error %v, want %q", tc.spelling, err, tc.want)
		case !tc.err && err != nil:
			t.Errorf("lookup(%q): %v", tc.spelling, err)
		case !tc.err && ctypeOf(got) != tc.want:
			t.Errorf("lookup(%q) = %s, want %s", tc.spelling, ctypeOf(got), tc.want)
		}
	}
	if got, err := x.lookup("struct console#2"); err == nil && got.(*btf.Struct).Size != 4 {
		t.Errorf("struct console#2 is the %d-byte one, want the first (4 bytes)", got.(*btf.Struct).Size)
	}
}

func ctypeOf(t btf.Type) string {
	if td, ok := t.(*btf.Typedef); ok {
		return td.Name
	}
	return cKindName(t) + " " + t.TypeName()
}

func TestByName(t *testing.T) {
	x, _ := testIndex(t)
	for _, tc := range []struct {
		goName string
		want   string // "" for none, "ambiguous"
	}{
		{"FlowKey", "struct flow_key"},
		{"Flow_Key", "struct flow_key"},
		{"FLOWKEY", "struct flow_key"},
		{"FlowKeyT", "flow_key_t"}, // compared through the typedef
		{"PortsT", "ports_t"},
		{"Color", "enum color"},
		{"Console", "ambiguous"},
		{"Flow", ""},
	} {
		got, ambiguous := x.byName(nameKey(tc.goName))
		switch {
		case tc.want == "ambiguous":
			if !ambiguous || got != nil {
				t.Errorf("byName(%s) = %v, %v; want ambiguous", tc.goName, got, ambiguous)
			}
		case tc.want == "":
			if got != nil {
				t.Errorf("byName(%s) = %v, want nothing", tc.goName, got)
			}
		case got == nil || ctypeOf(got) != tc.want:
			t.Errorf("byName(%s) = %v, want %s", tc.goName, got, tc.want)
		}
	}
}

func TestChoosePrefix(t *testing.T) {
	x, _ := testIndex(t)
	for _, tc := range []struct {
		names []string
		want  string
	}{
		// bpf2go's stem: counterFlowKey, counterEventKey; counterObjects
		// pairs nothing.
		{[]string{"counterFlowKey", "counterEventKey", "counterObjects"}, "counter"},
		// Exported stem.
		{[]string{"CounterFlowKey", "CounterValue"}, "Counter"},
		// "counterFlow" would pair counterFlowKey with struct key, but
		// only one type; "counter" pairs both.
		{[]string{"counterFlowKey", "counterColor"}, "counter"},
		// A tie: the shorter prefix wins (flow_key over key).
		{[]string{"xFlowKey"}, "x"},
		// A prefix ends at a word boundary: "Xe" + "ventKey" is none.
		{[]string{"Xeventkey"}, ""},
		{[]string{"Objects", "Maps"}, ""},
		{[]string{"my_value"}, "my"},
	} {
		if got := choosePrefix(x, tc.names); got != tc.want {
			t.Errorf("choosePrefix(%v) = %q, want %q", tc.names, got, tc.want)
		}
	}
}

func TestDocCType(t *testing.T) {
	for _, tc := range []struct {
		directive, doc, want string
	}{
		{"struct foo", "FooBar is the C struct flow_key: 4 bytes.", "struct foo"},
		{"", "FlowKey is the C struct flow_key: 16 bytes, C alignment 4.\n", "struct flow_key"},
		{"", "Value is the C union value: 8 bytes.\n", "union value"},
		{"", "Color is the C enum color: 4 bytes, unsigned.\n", "enum color"},
		{"", "StateT is the anonymous C enum named by typedef state_t: 4 bytes.\n", "state_t"},
		{"", "Console_2 is the C struct console: 8 bytes, C alignment 4.\n\nThe BTF holds 2 different structs named console. This one is BTF type ID 12,\n8 bytes, members index, width; the other is Console.\n", "struct console#12"},
		{"", "CfgRange is the anonymous C struct at cfg.range: 4 bytes.\n", "at cfg.range"},
		{"", "AcpiDevicePerfStateFlags is the anonymous C struct at\nacpi_device_perf_state.flags: 1 byte.\n", "at acpi_device_perf_state.flags"},
		{"", "TraceEventRawMmLRUInsertion is the C struct\ntrace_event_raw_mm_lru_insertion: 40 bytes.\n", "struct trace_event_raw_mm_lru_insertion"},
		{"", "Hand-written, mirrors the C struct flow_key.\n", ""},
	} {
		if got, _ := docCType(tc.directive, tc.doc); got != tc.want {
			t.Errorf("docCType(%q, %q) = %q, want %q", tc.directive, tc.doc, got, tc.want)
		}
	}
}

// TestPairTypesStrictness: a //mapgen:ctype naming no C type is bad input,
// mapgen's own doc comment naming none leaves the type unpaired, a C type
// a comment names pairs with no other type by name, and a type with a
// string pairs with nothing by name.
func TestPairTypesStrictness(t *testing.T) {
	x, _ := testIndex(t)
	obj := func(name string) *types.TypeName {
		return types.NewTypeName(token.NoPos, nil, name, types.Typ[types.Uint32])
	}
	got, err := pairTypes(x, []goType{
		{obj: obj("Other"), doc: "Other is the C struct nope: 4 bytes.\n"},
		{obj: obj("Key_2"), doc: "Key_2 is the C struct key: 4 bytes.\n"},
		{obj: obj("Key")},
		{obj: obj("FlowKey")},
		{obj: types.NewTypeName(token.NoPos, nil, "EventKey", types.NewStruct([]*types.Var{
			types.NewField(token.NoPos, nil, "Name", types.Typ[types.String], false)}, nil))},
	}, Options{}, map[string]bool{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for o, p := range got {
		names = append(names, o.Name()+"="+ctypeOf(p.c)+"/"+p.how)
	}
	slices.Sort(names)
	want := []string{"FlowKey=struct flow_key/name", "Key_2=struct key/comment"}
	if !slices.Equal(names, want) {
		t.Errorf("pairs %v, want %v", names, want)
	}
	_, err = pairTypes(x, []goType{{obj: obj("Other"), directive: "struct nope"}}, Options{}, map[string]bool{})
	if !errors.Is(err, ErrBadInput) || !errors.Is(err, errUnknownCType) {
		t.Errorf("directive naming no C type: %v, want bad input", err)
	}
}
