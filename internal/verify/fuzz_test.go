package verify

import (
	"strings"
	"testing"
	"time"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/internal/fuzzbound"
)

// FuzzCTypeSpelling fuzzes what mapgen verify parses of its input besides
// Go: the ctype of --pair GoType=ctype and of a //mapgen:ctype line
// ("struct foo", "foo#12", "at foo.bar.baz"), and the doc comments mapgen
// writes, from which verify reads the C type of a generated Go type. Over
// the types of testdata/c/layout.c (anonymous members, nesting, arrays):
// no panic, no hang, bounded memory, and every failure an error of one
// line; a success names a C type.
func FuzzCTypeSpelling(f *testing.F) {
	obj, err := btfread.Open("../../testdata/obj/layout_bpfel.o")
	if err != nil {
		f.Fatal(err)
	}
	x := newCIndex(obj.Spec)
	for _, s := range []struct{ spelling, doc string }{
		{"struct holes", ""},
		{"holes", ""},
		{"struct holes#3", ""},
		{"union u#x", ""},
		{"struct nesting", ""},
		{"at nesting.level3", ""},
		{"at nesting.a.b", ""},
		{"final_pid_t", ""},
		{"rect#999", ""},
		{"enum nope", ""},
		{"typedef  holes_t", ""},
		{"", "Holes is the C struct holes. This one is BTF type ID 7."},
		{"", "Level3 is the anonymous C struct at nesting.level3, 8 bytes."},
		{"", "HolesT is the C struct holes, named by typedef holes_t."},
	} {
		f.Add(s.spelling, s.doc)
	}
	f.Fuzz(func(t *testing.T, spelling, doc string) {
		defer fuzzbound.Input(t, "FuzzCTypeSpelling", 30*time.Second, 16<<20+256*uint64(len(spelling)+len(doc)))()
		if s, _ := docCType("", doc); s != "" {
			lookupChecked(t, x, s)
		}
		lookupChecked(t, x, spelling)
	})
}

func lookupChecked(t *testing.T, x *cIndex, spelling string) {
	t.Helper()
	typ, err := x.lookup(spelling)
	switch {
	case err != nil && strings.Contains(err.Error(), "\n"):
		t.Errorf("lookup(%q): error of more than one line: %q", spelling, err)
	case err == nil && typ == nil:
		t.Errorf("lookup(%q): no type and no error", spelling)
	}
}
