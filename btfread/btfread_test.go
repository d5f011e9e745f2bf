package btfread

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

const objDir = "../testdata/obj"

func obj(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(objDir, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("test object %s missing (run make -C testdata): %v", p, err)
	}
	return p
}

func mustOpen(t *testing.T, path string) *Object {
	t.Helper()
	o, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return o
}

func typeString(typ btf.Type) string {
	if typ == nil {
		return "<nil>"
	}
	size, _ := btf.Sizeof(typ)
	return fmt.Sprintf("%v/%d", typ, size)
}

// mapSummary is a Map without BTF type identity, for comparisons.
type mapSummary struct {
	Name                           string
	Type                           ebpf.MapType
	KeySize, ValueSize, MaxEntries uint32
	Flags                          uint32
	Pinning                        ebpf.PinType
	MapExtra                       uint64
	NumaNode                       uint32
	Key, Value                     string
	Legacy                         bool
	Values                         string
	Inner                          *mapSummary
}

func summarize(m *Map) *mapSummary {
	if m == nil {
		return nil
	}
	return &mapSummary{
		Name: m.Name, Type: m.Type, KeySize: m.KeySize, ValueSize: m.ValueSize,
		MaxEntries: m.MaxEntries, Flags: m.Flags, Pinning: m.Pinning,
		MapExtra: m.MapExtra, NumaNode: m.NumaNode,
		Key: typeString(m.Key), Value: typeString(m.Value), Legacy: m.Legacy,
		Values: fmt.Sprint(m.Values), Inner: summarize(m.Inner),
	}
}

func TestOpenMaps(t *testing.T) {
	type want struct {
		name       string
		typ        ebpf.MapType
		key, value uint32
		max        uint32
		flags      uint32
		pin        ebpf.PinType
		extra      uint64
		keyType    string // "" = nil
		valueType  string // "" = nil
		values     []Slot
		inner      string // "name type key value max" of the inner template
	}
	maps := []want{
		{"inner_a", ebpf.Array, 4, 2, 4, 0, 0, 0, "__u32", "__u16", nil, ""},
		{"inner_b", ebpf.Array, 4, 2, 4, 0, 0, 0, "__u32", "__u16", nil, ""},
		{"outer_arr", ebpf.ArrayOfMaps, 4, 4, 5, 0, 0, 0, "__u32", "", []Slot{{0, "inner_a"}, {3, "inner_b"}}, "outer_arr_inner Array 4 2 4"},
		{"outer_hash", ebpf.HashOfMaps, 4, 4, 3, 0, 0, 0, "__u32", "", []Slot{{2, "inner_b"}}, "outer_hash_inner Array 4 2 4"},
		{"jmp", ebpf.ProgramArray, 4, 4, 4, 0, 0, 0, "", "", []Slot{{1, "tail_a"}}, ""},
		{"hash_map", ebpf.Hash, 4, 16, 128, 1, 0, 0, "__u32", "pair", nil, ""},
		{"sized_array", ebpf.Array, 4, 24, 8, 0, ebpf.PinByName, 0, "", "", nil, ""},
		{"bloom", ebpf.BloomFilter, 0, 8, 1000, 0, 0, 3, "", "__u64", nil, ""},
		{"events", ebpf.RingBuf, 0, 0, 4096, 0, 0, 0, "", "", nil, ""},
	}
	for _, order := range []string{"bpfel", "bpfeb"} {
		for _, fallback := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/fallback=%v", order, fallback), func(t *testing.T) {
				path := obj(t, "btfread_maps_"+order+".o")
				var o *Object
				if fallback {
					o = openFallback(t, path)
				} else {
					o = mustOpen(t, path)
				}
				wantBO := binary.ByteOrder(binary.LittleEndian)
				if order == "bpfeb" {
					wantBO = binary.BigEndian
				}
				if o.ByteOrder != wantBO || o.Raw || o.Path != path {
					t.Errorf("ByteOrder %v Raw %v Path %q", o.ByteOrder, o.Raw, o.Path)
				}
				if got := strings.Join(o.Programs, ","); got != "entry,tail_a" {
					t.Errorf("Programs = %s, want entry,tail_a", got)
				}
				if len(o.Maps) != len(maps) {
					var names []string
					for _, m := range o.Maps {
						names = append(names, m.Name)
					}
					t.Fatalf("got maps %v, want %d", names, len(maps))
				}
				for i, w := range maps {
					m := o.Maps[i]
					if m.Name != w.name || m.Type != w.typ || m.KeySize != w.key || m.ValueSize != w.value ||
						m.MaxEntries != w.max || m.Flags != w.flags || m.Pinning != w.pin || m.MapExtra != w.extra || m.Legacy {
						t.Errorf("map %d = %+v, want %+v", i, *m, w)
					}
					if got := btfName(m.Key); got != w.keyType {
						t.Errorf("map %s: key type %q, want %q", m.Name, got, w.keyType)
					}
					if got := btfName(m.Value); got != w.valueType {
						t.Errorf("map %s: value type %q, want %q", m.Name, got, w.valueType)
					}
					if !reflect.DeepEqual(m.Values, w.values) {
						t.Errorf("map %s: values %v, want %v", m.Name, m.Values, w.values)
					}
					got := ""
					if in := m.Inner; in != nil {
						got = fmt.Sprintf("%s %v %d %d %d", in.Name, in.Type, in.KeySize, in.ValueSize, in.MaxEntries)
					}
					if got != w.inner {
						t.Errorf("map %s: inner %q, want %q", m.Name, got, w.inner)
					}
				}
				if len(o.Warnings) != 0 && !fallback {
					t.Errorf("warnings: %q", o.Warnings)
				}
			})
		}
	}
}

func btfName(typ btf.Type) string {
	if typ == nil {
		return ""
	}
	return typ.TypeName()
}

// openFallback runs only the fallback path (BTF and ELF, no cilium/ebpf
// collection loader) on path.
func openFallback(t *testing.T, path string) *Object {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	eo, err := openELF(path, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	o, err := fromBTF(eo)
	if err != nil {
		t.Fatalf("fallback: %v", err)
	}
	return o
}

func TestOpenData(t *testing.T) {
	type v struct {
		name         string
		offset, size uint32
		static       bool
	}
	type sec struct {
		name     string
		size     uint32
		ro       bool
		vars     []v
		contents map[string][]byte // by byte order
	}
	want := []sec{
		{".bss", 32, false, []v{{"b_zero", 0, 4, false}, {"b_arr", 8, 24, false}}, map[string][]byte{
			"bpfel": make([]byte, 32), "bpfeb": make([]byte, 32)}},
		{".data", 16, false, []v{{"d_counter", 0, 8, false}, {"d_small", 8, 2, false}, {"s_data", 12, 4, true}}, map[string][]byte{
			"bpfel": {5, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0xff, 0, 0, 9, 0, 0, 0},
			"bpfeb": {0, 0, 0, 0, 0, 0, 0, 5, 0xff, 0xfe, 0, 0, 0, 0, 0, 9}}},
		{".data.named", 4, false, []v{{"named_a", 0, 4, false}}, map[string][]byte{
			"bpfel": {0xef, 0xbe, 0xad, 0xde}, "bpfeb": {0xde, 0xad, 0xbe, 0xef}}},
		{".rodata", 12, true, []v{{"rc_u32", 0, 4, false}, {"rc_cfg", 4, 8, false}}, map[string][]byte{
			"bpfel": {0x44, 0x33, 0x22, 0x11, 7, 0, 0, 0, 0xe8, 3, 0, 0},
			"bpfeb": {0x11, 0x22, 0x33, 0x44, 7, 0, 0, 0, 0, 0, 3, 0xe8}}},
		{".rodata.named", 2, true, []v{{"named_ro", 0, 2, false}}, map[string][]byte{
			"bpfel": {0x34, 0x12}, "bpfeb": {0x12, 0x34}}},
	}
	for _, order := range []string{"bpfel", "bpfeb"} {
		for _, fallback := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/fallback=%v", order, fallback), func(t *testing.T) {
				path := obj(t, "btfread_data_"+order+".o")
				o := mustOpen(t, path)
				if fallback {
					o = openFallback(t, path)
				}
				if len(o.Maps) != 0 {
					t.Errorf("maps: %v", o.Maps)
				}
				if len(o.DataSections) != len(want) {
					t.Fatalf("got %d sections, want %d", len(o.DataSections), len(want))
				}
				for i, w := range want {
					ds := o.DataSections[i]
					if ds.Name != w.name || ds.Size != w.size || ds.ReadOnly != w.ro {
						t.Errorf("section %d: %s size %d ro %v, want %+v", i, ds.Name, ds.Size, ds.ReadOnly, w)
					}
					if !bytes.Equal(ds.Contents, w.contents[order]) {
						t.Errorf("section %s: contents % x, want % x", ds.Name, ds.Contents, w.contents[order])
					}
					var got []v
					for _, gv := range ds.Variables {
						got = append(got, v{gv.Name, gv.Offset, gv.Size, gv.Static})
						if gv.Type == nil {
							t.Errorf("%s: nil type", gv.Name)
						}
					}
					if !reflect.DeepEqual(got, w.vars) {
						t.Errorf("section %s: variables %v, want %v", ds.Name, got, w.vars)
					}
				}
			})
		}
	}
}

func TestOpenLegacy(t *testing.T) {
	o := mustOpen(t, obj(t, "btfread_legacy_bpfeb.o"))
	var got []string
	for _, m := range o.Maps {
		got = append(got, fmt.Sprintf("%s %v %d/%d/%d/%d legacy=%v key=%v", m.Name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries, m.Flags, m.Legacy, m.Key))
	}
	want := []string{
		"new_map Array 4/4/1/0 legacy=false key=Typedef:\"__u32\"[Int:\"unsigned int\"]",
		"old_hash Hash 4/8/64/1 legacy=true key=<nil>",
		"old_array Array 4/16/2/0 legacy=true key=<nil>",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("maps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Objects cilium/ebpf's collection loader rejects, read through the
// fallback.
func TestOpenFallbackObjects(t *testing.T) {
	tests := []struct {
		file     string
		maps     []string // "name type key/value/max"
		vars     []string // "section name offset size static"
		progs    string
		ciliumIs string // part of cilium/ebpf's error, in the warning
	}{
		{"btfread_weak_bpfel.o", []string{"weak_map Hash 4/8/16", "strong_map Array 4/4/2"},
			[]string{".data w_global 0 4 false"}, "prog", "STB_WEAK"},
		{"btfread_weak_bpfeb.o", []string{"weak_map Hash 4/8/16", "strong_map Array 4/4/2"},
			[]string{".data w_global 0 4 false"}, "prog", "STB_WEAK"},
		{"btfread_ksyms_bpfel.o", []string{"cpu_vals PerCPUArray 4/8/1"},
			[]string{".data k_static 0 8 true", ".rodata k_ro 0 4 false"}, "prog", "expected runqueues to be *Void"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := obj(t, tt.file)
			if _, err := ebpf.LoadCollectionSpec(path); err == nil {
				t.Fatalf("cilium/ebpf accepts %s; this test expects it to reject it", path)
			}
			o := mustOpen(t, path)
			var maps, vars []string
			for _, m := range o.Maps {
				maps = append(maps, fmt.Sprintf("%s %v %d/%d/%d", m.Name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries))
			}
			for _, ds := range o.DataSections {
				for _, v := range ds.Variables {
					vars = append(vars, fmt.Sprintf("%s %s %d %d %v", ds.Name, v.Name, v.Offset, v.Size, v.Static))
				}
			}
			if !reflect.DeepEqual(maps, tt.maps) {
				t.Errorf("maps %q, want %q", maps, tt.maps)
			}
			if !reflect.DeepEqual(vars, tt.vars) {
				t.Errorf("variables %q, want %q", vars, tt.vars)
			}
			if got := strings.Join(o.Programs, ","); got != tt.progs {
				t.Errorf("programs %s, want %s", got, tt.progs)
			}
			if len(o.Warnings) != 1 || !strings.Contains(o.Warnings[0], tt.ciliumIs) {
				t.Errorf("warnings %q, want one containing %q", o.Warnings, tt.ciliumIs)
			}
			// Spec must be fully iterable even with typed ksyms.
			for _, err := range o.Spec.All() {
				if err != nil {
					t.Fatalf("Spec.All: %v", err)
				}
			}
		})
	}
}

func TestBadValues(t *testing.T) {
	tests := []struct{ file, want string }{
		{"btfread_bad_symbol", `map "outer": values slot 1: "not_a_map" (neither a map nor a program) is not a map`},
		{"btfread_bad_hashkey", `map "outer": hash of maps with static values has key size 8: libbpf requires 4`},
		{"btfread_bad_subprog", `map "outer": values slot 1: "subprog" (a subprogram in .text, not an entry program) is not an entry program`},
		{"btfread_bad_bigvalue", `map "big_map": value type int[1073741825] is 4294967300 bytes, more than 32 bits`},
	}
	for _, tt := range tests {
		for _, order := range []string{"bpfel", "bpfeb"} {
			t.Run(tt.file+"_"+order, func(t *testing.T) {
				path := obj(t, tt.file+"_"+order+".o")
				_, err := Open(path)
				if err == nil {
					t.Fatal("no error")
				}
				if want := path + ": " + tt.want; err.Error() != want {
					t.Errorf("error\n%s\nwant\n%s", err, want)
				}
				// The fallback path finds the same problem.
				data, _ := os.ReadFile(path)
				eo, err := openELF(path, bytes.NewReader(data))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := fromBTF(eo); err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("fallback error %v, want %q", err, tt.want)
				}
			})
		}
	}
}

func TestEnumWarnings(t *testing.T) {
	old := mustOpen(t, obj(t, "enums_clang14_bpfel.o"))
	if len(old.Warnings) == 0 {
		t.Fatal("no warnings for an object built by clang 14")
	}
	joined := strings.Join(old.Warnings, "\n")
	for _, want := range []string{"enum big64: built by clang 14", "truncates 64-bit enum values", "writes negative enum values as unsigned"} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings lack %q:\n%s", want, joined)
		}
	}
	for i := 1; i < len(old.Warnings); i++ {
		if old.Warnings[i-1] > old.Warnings[i] {
			t.Errorf("warnings not sorted: %q", old.Warnings)
		}
	}
	again := mustOpen(t, obj(t, "enums_clang14_bpfel.o"))
	if !reflect.DeepEqual(again.Warnings, old.Warnings) {
		t.Errorf("warnings not deterministic")
	}
	for _, f := range []string{"enums_bpfel.o", "btfread_enums_bpfel.o"} {
		o := mustOpen(t, obj(t, f))
		if len(o.Warnings) != 0 {
			t.Errorf("%s (clang 19): warnings %q", f, o.Warnings)
		}
	}
}

func TestClangMajor(t *testing.T) {
	for _, tt := range []struct {
		comment string
		major   int
	}{
		{"\x00Debian clang version 14.0.6\x00", 14},
		{"Ubuntu clang version 19.1.7 (++20250114)\x00", 19},
		{"GCC: (Debian 12.2.0-14) 12.2.0\x00", 0},
		{"", 0},
	} {
		if got, _ := clangMajor(tt.comment); got != tt.major {
			t.Errorf("clangMajor(%q) = %d, want %d", tt.comment, got, tt.major)
		}
	}
}

// TestFallbackMatchesPrimary checks, for every test object cilium/ebpf
// accepts, that the fallback parser (mapdef.go) yields the same model as
// the primary path, and that the data sections agree with cilium/ebpf's
// VariableSpecs.
func TestFallbackMatchesPrimary(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(objDir, "*.o"))
	if len(files) == 0 {
		t.Skip("no test objects")
	}
	compared := 0
	for _, path := range files {
		cs, err := ebpf.LoadCollectionSpec(path)
		if err != nil {
			continue
		}
		primary, err := Open(path)
		if err != nil {
			continue // objects this package rejects on purpose
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			compared++
			fb := openFallback(t, path)
			if len(primary.Maps) != len(fb.Maps) {
				t.Fatalf("primary has %d maps, fallback %d", len(primary.Maps), len(fb.Maps))
			}
			for i := range primary.Maps {
				p, f := summarize(primary.Maps[i]), summarize(fb.Maps[i])
				if !reflect.DeepEqual(p, f) {
					t.Errorf("map %d:\nprimary  %+v\nfallback %+v", i, p, f)
				}
			}
			if !reflect.DeepEqual(primary.Programs, fb.Programs) {
				t.Errorf("programs: primary %v, fallback %v", primary.Programs, fb.Programs)
			}
			if !reflect.DeepEqual(sectionsSummary(primary), sectionsSummary(fb)) {
				t.Errorf("data sections:\nprimary  %v\nfallback %v", sectionsSummary(primary), sectionsSummary(fb))
			}
			if !reflect.DeepEqual(primary.Warnings, fb.Warnings) {
				t.Errorf("warnings: primary %q, fallback %q", primary.Warnings, fb.Warnings)
			}
			// Every cilium VariableSpec is a non-static variable of ours with
			// the same section, offset, size and bytes.
			for name, vs := range cs.Variables {
				found := false
				for _, ds := range primary.DataSections {
					for _, v := range ds.Variables {
						if v.Name != name || ds.Name != vs.SectionName {
							continue
						}
						found = true
						if v.Offset != vs.Offset || v.Size != vs.Size() || v.Static {
							t.Errorf("variable %s: ours %d/%d static=%v, cilium %d/%d", name, v.Offset, v.Size, v.Static, vs.Offset, vs.Size())
						}
						if got := ds.Contents[v.Offset : v.Offset+v.Size]; !bytes.Equal(got, vs.Value) {
							t.Errorf("variable %s: bytes % x, cilium % x", name, got, vs.Value)
						}
					}
				}
				if !found && vs.Type != nil {
					t.Errorf("cilium variable %s in %s not in the model", name, vs.SectionName)
				}
			}
		})
	}
	t.Logf("compared %d objects", compared)
}

func sectionsSummary(o *Object) []string {
	var out []string
	for _, ds := range o.DataSections {
		out = append(out, fmt.Sprintf("%s %d %v % x", ds.Name, ds.Size, ds.ReadOnly, ds.Contents))
		for _, v := range ds.Variables {
			out = append(out, fmt.Sprintf("  %s %d %d %v %s", v.Name, v.Offset, v.Size, v.Static, typeString(v.Type)))
		}
	}
	return out
}

func TestRawBTF(t *testing.T) {
	// A raw blob cut out of an object, in both byte orders.
	for _, order := range []string{"bpfel", "bpfeb"} {
		path := obj(t, "btfread_maps_"+order+".o")
		f, err := elf.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := f.Section(".BTF").Data()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		blob := filepath.Join(t.TempDir(), "blob.btf")
		if err := os.WriteFile(blob, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		o := mustOpen(t, blob)
		if !o.Raw || o.Maps != nil || o.DataSections != nil || o.Spec == nil {
			t.Errorf("%s: raw object %+v", order, o)
		}
		if o.ByteOrder != f.ByteOrder {
			t.Errorf("%s: byte order %v", order, o.ByteOrder)
		}
		var pair *btf.Struct
		if err := o.Spec.TypeByName("pair", &pair); err != nil || pair.Size != 16 {
			t.Errorf("%s: struct pair: %v", order, err)
		}
	}
	const vmlinux = "/sys/kernel/btf/vmlinux"
	if _, err := os.Stat(vmlinux); err != nil {
		t.Logf("skipping %s: %v", vmlinux, err)
		return
	}
	o := mustOpen(t, vmlinux)
	var ts *btf.Struct
	if !o.Raw || o.Spec.TypeByName("task_struct", &ts) != nil {
		t.Errorf("vmlinux: raw %v, task_struct not found", o.Raw)
	}
}

func TestBadInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, err := os.ReadFile(obj(t, "btfread_maps_bpfel.o"))
	if err != nil {
		t.Fatal(err)
	}

	type tc struct {
		name, path, want string
	}
	cases := []tc{
		{"missing", filepath.Join(dir, "nope.o"), "no such file"},
		{"directory", dir, "is a directory"},
		{"empty", write("empty.o", nil), "empty file"},
		{"not ELF", write("text.o", []byte("hello, world\n")), "not an eBPF ELF object or raw BTF blob"},
		{"one byte", write("one.o", []byte{0x7f}), "not an eBPF ELF object"},
		{"ELF magic only", write("magic.o", []byte("\x7fELF")), "not a valid ELF file"},
		{"BTF magic only", write("magic.btf", []byte{0x9f, 0xeb, 1, 0}), "raw BTF"},
	}
	for _, n := range []int{16, 63, 64, 200, len(good) / 2, len(good) - 100, len(good) - 1} {
		cases = append(cases, tc{fmt.Sprintf("truncated at %d", n), write(fmt.Sprintf("trunc%d.o", n), good[:n]), ""})
	}

	// Corrupt the .BTF section: its header, its type section, its strings.
	f, err := elf.NewFile(bytes.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	btfSec := f.Section(".BTF")
	for _, c := range []struct {
		name string
		at   uint64
		b    []byte
	}{
		{"BTF magic", 0, []byte{0, 0}},
		{"BTF header length", 4, []byte{0xff, 0xff, 0xff, 0x7f}},
		{"BTF type length", 16, []byte{0xff, 0xff, 0xff, 0x7f}},
		{"BTF first type", 24, bytes.Repeat([]byte{0xff}, 16)},
		{"BTF string offset", 20, []byte{0xff, 0xff, 0, 0}},
	} {
		bad := bytes.Clone(good)
		copy(bad[btfSec.Offset+c.at:], c.b)
		cases = append(cases, tc{"corrupt " + c.name, write("corrupt"+strings.ReplaceAll(c.name, " ", "_")+".o", bad), ""})
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Open(c.path)
			checkErr(t, c.path, err, c.want)
		})
	}

	t.Run("no BTF", func(t *testing.T) {
		path := "../testdata/obj/bad/nobtf.o"
		_, err := Open(path)
		checkErr(t, path, err, "no BTF")
	})
	t.Run("x86-64 object", func(t *testing.T) {
		path := "../testdata/obj/bad/x86_64.o"
		_, err := Open(path)
		checkErr(t, path, err, "ELF object for machine EM_X86_64 (e_machine 62), not an eBPF object")
	})
}

func checkErr(t *testing.T, path string, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Open(%s): no error", path)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, path+": ") {
		t.Errorf("error does not start with the file name: %s", msg)
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error has more than one line: %q", msg)
	}
	if !strings.Contains(msg, want) {
		t.Errorf("error %q lacks %q", msg, want)
	}
	if errors.Is(err, os.ErrNotExist) != strings.Contains(want, "no such file") {
		t.Errorf("errors.Is(ErrNotExist) = %v for %q", errors.Is(err, os.ErrNotExist), msg)
	}
}

// quirks.c (shared corpus): clang splits an optimised static struct into a
// Datasec entry smaller than its BTF type.
func TestQuirksSplitStatic(t *testing.T) {
	for _, order := range []string{"bpfel", "bpfeb"} {
		o := mustOpen(t, obj(t, "quirks_"+order+".o"))
		got := sectionsSummary(o)
		if len(got) < 1 || len(o.DataSections) != 1 {
			t.Fatalf("%s: sections %q", order, got)
		}
		var vars []string
		for _, v := range o.DataSections[0].Variables {
			vars = append(vars, fmt.Sprintf("%s %d %d %v", v.Name, v.Offset, v.Size, v.Static))
		}
		want := []string{"global_after 0 4 false", "plain_static 8 8 true"}
		if !reflect.DeepEqual(vars, want) {
			t.Errorf("%s: variables %q, want %q", order, vars, want)
		}
		if len(o.Warnings) != 1 || !strings.Contains(o.Warnings[0], "section .data: variable split_lim.0 (offset 4) occupies 4 bytes but its BTF type struct limits is 8 bytes") {
			t.Errorf("%s: warnings %q", order, o.Warnings)
		}
	}
}

// TestMutatedObjects feeds deterministic random mutations of the test
// objects to OpenBytes (a cheap complement to FuzzOpen, whose minimization
// of 10 KiB inputs is slow): no panic, no hang, every error names the file,
// and no input reaches the panic guards.
func TestMutatedObjects(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(objDir, "*.o"))
	if len(files) == 0 {
		t.Skip("no test objects")
	}
	var seeds [][]byte
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, d)
	}
	n := 3000
	if testing.Short() {
		n = 300
	}
	if s := os.Getenv("BTFREAD_MUTATIONS"); s != "" {
		fmt.Sscan(s, &n)
	}
	r := rand.New(rand.NewSource(1))
	interesting := []uint32{0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff}
	for i := 0; i < n; i++ {
		d := bytes.Clone(seeds[r.Intn(len(seeds))])
		for k := 0; k < 1+r.Intn(8); k++ {
			at := r.Intn(len(d) - 4)
			switch r.Intn(4) {
			case 0:
				d[at] = byte(r.Intn(256))
			case 1:
				d[at] ^= 1 << uint(r.Intn(8))
			case 2:
				binary.LittleEndian.PutUint32(d[at:], interesting[r.Intn(len(interesting))])
			case 3:
				binary.BigEndian.PutUint32(d[at:], interesting[r.Intn(len(interesting))])
			}
		}
		if r.Intn(10) == 0 {
			d = d[:r.Intn(len(d))]
		}
		_, err := OpenBytes("mut.o", d)
		if err == nil {
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "mut.o: ") || strings.Contains(msg, "\n") {
			t.Fatalf("input %d: bad error %q", i, msg)
		}
		if strings.Contains(msg, "internal error in cilium/ebpf") || strings.Contains(msg, "malformed ELF") {
			t.Errorf("input %d reached a panic guard: %s", i, msg)
		}
	}
}
