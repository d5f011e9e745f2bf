package gen_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
)

// TestDuplicateNames: two different structs of one C name are told apart
// in their doc comments by BTF type ID, size and members
// (testdata/c/dupnames.c).
func TestDuplicateNames(t *testing.T) {
	obj, err := btfread.Open("../testdata/obj/dupnames_bpfel.o")
	if err != nil {
		t.Fatal(err)
	}
	out, err := gen.GenerateFile(obj, gen.Options{Package: "p", AllTypes: true})
	if err != nil {
		t.Fatal(err)
	}
	ids := make(map[string]btf.TypeID) // Go name -> BTF type ID
	for _, ti := range out.Types {
		if ti.C.TypeName() == "console" {
			id, err := obj.Spec.TypeID(ti.C)
			if err != nil {
				t.Fatal(err)
			}
			ids[ti.Name] = id
		}
	}
	if len(ids) != 2 {
		t.Fatalf("Go types of struct console: %v, want two", ids)
	}
	src := string(out.Source)
	for name, id := range ids {
		doc := docOf(t, src, name)
		want := fmt.Sprintf("This one is BTF type ID %d,", id)
		if !strings.Contains(doc, want) {
			t.Errorf("doc of %s lacks %q:\n%s", name, want, doc)
		}
		for other, oid := range ids {
			if other != name && !strings.Contains(doc, fmt.Sprintf("%s (BTF type ID %d,", other, oid)) {
				t.Errorf("doc of %s does not name %s (ID %d):\n%s", name, other, oid, doc)
			}
		}
	}
	if !strings.Contains(src, "type ConsoleT = Console\n") {
		t.Error("typedef console_t of struct console has no alias")
	}
}

// docOf returns the doc comment of the type declaration of name.
func docOf(t *testing.T, src, name string) string {
	t.Helper()
	m := regexp.MustCompile(`((?://.*\n)+)type ` + regexp.QuoteMeta(name) + ` struct`).FindStringSubmatch(src)
	if m == nil {
		t.Fatalf("no documented type %s", name)
	}
	return strings.ReplaceAll(strings.ReplaceAll(m[1], "\n// ", " "), "\n//", "")
}

// TestFoldedTypedefs: BTF deduplication (pahole, bpftool) folds identical
// anonymous structs into one, so several typedefs (the kernel's vfsuid_t
// and vfsgid_t) name one struct. Each gets a Go name: the first names the
// type, the others are aliases of it. clang alone never folds them, so the
// BTF is made here.
func TestFoldedTypedefs(t *testing.T) {
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	anon := &btf.Struct{Size: 4, Members: []btf.Member{{Name: "val", Type: u32}}}
	named := &btf.Struct{Name: "guid", Size: 4, Members: []btf.Member{{Name: "b", Type: u32}}}
	obj := openTypes(t,
		&btf.Typedef{Name: "vfsuid_t", Type: anon},
		&btf.Typedef{Name: "vfsgid_t", Type: anon},
		&btf.Typedef{Name: "guid_t", Type: named},
		&btf.Typedef{Name: "guid_ptr_t", Type: &btf.Pointer{Target: named}}, // not a struct: no name
	)
	src, err := gen.Generate(obj, gen.Options{Package: "p", AllTypes: true})
	if err != nil {
		t.Fatal(err)
	}
	got := declared(t, src)
	for _, want := range []string{"VfsuidT", "VfsgidT", "GUID", "GUIDT"} {
		if !got[want] {
			t.Errorf("%s is not declared", want)
		}
	}
	for _, want := range []string{"type VfsgidT = VfsuidT\n", "type GUIDT = GUID\n"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if got["GUIDPtrT"] {
		t.Error("a typedef of a pointer got a Go name")
	}
}
