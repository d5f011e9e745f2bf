package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"
	"github.com/mapgen/mapgen/btfread"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/layout from the current output (read the diff before committing)")

// TestGolden compares the text and JSON reports of every named struct and
// union of each corpus object with testdata/golden/layout/OBJECT.txt and
// .json.
func TestGolden(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "golden", "layout")
	for _, path := range corpusObjects(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".o")
		obj, err := btfread.Open(path)
		if err != nil {
			// The bad objects of the corpus: btfread refuses them
			// (TestCorpusObjectsOpen says which).
			continue
		}
		t.Run(name, func(t *testing.T) {
			types, err := Named(obj.Spec)
			if err != nil {
				t.Fatal(err)
			}
			ls := layoutsOf(t, types)
			var text, js bytes.Buffer
			if err := WriteText(&text, ls); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&js, filepath.Base(path), 64, ls); err != nil {
				t.Fatal(err)
			}
			for ext, got := range map[string][]byte{".txt": text.Bytes(), ".json": js.Bytes()} {
				golden := filepath.Join(dir, name+ext)
				if *update {
					if err := os.MkdirAll(dir, 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./layout/report -run TestGolden -update)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("output differs from %s; run `go test ./layout/report -run TestGolden -update` and read the diff:\n%s",
						golden, firstDiff(string(want), string(got)))
				}
			}
		})
	}
}

// TestGoldenSVG keeps the picture README.md shows up to date:
// testdata/golden/layout/layout_bpfel.svg, the structs holes, bitfields and
// unions of layout_bpfel.o with 16-byte rows.
func TestGoldenSVG(t *testing.T) {
	obj, err := btfread.Open("../../testdata/obj/layout_bpfel.o")
	if err != nil {
		t.Fatal(err)
	}
	types, err := Lookup(obj.Spec, []string{"holes", "bitfields", "unions"})
	if err != nil {
		t.Fatal(err)
	}
	ls := layoutsOf(t, types)
	var got bytes.Buffer
	if err := WriteSVG(&got, ls, SVGOptions{Row: 16}); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("..", "..", "testdata", "golden", "layout", "layout_bpfel.svg")
	if *update {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./layout/report -run TestGolden -update)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("SVG differs from %s; run `go test ./layout/report -run TestGolden -update` and look at it", golden)
	}
}

// TestCorpusObjectsOpen pins which corpus objects have no layout report:
// those btfread refuses for their maps (the layout of their types would
// be fine, but mapgen reads an object whole).
func TestCorpusObjectsOpen(t *testing.T) {
	var refused []string
	for _, path := range corpusObjects(t) {
		if _, err := btfread.Open(path); err != nil {
			refused = append(refused, strings.TrimSuffix(filepath.Base(path), ".o"))
		}
	}
	want := "btfread_bad_bigvalue_bpfeb btfread_bad_bigvalue_bpfel btfread_bad_hashkey_bpfeb btfread_bad_hashkey_bpfel " +
		"btfread_bad_subprog_bpfeb btfread_bad_subprog_bpfel btfread_bad_symbol_bpfeb btfread_bad_symbol_bpfel"
	if got := strings.Join(refused, " "); got != want {
		t.Errorf("objects btfread refuses:\n got  %s\n want %s", got, want)
	}
}

// firstDiff shows the first differing line.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(uint32(i+1)) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(equal lines; line endings differ)"
}

// layoutsOf lays out types with the default options, failing the test on
// the first type New refuses.
func layoutsOf(t *testing.T, types []btf.Type) []*Layout {
	t.Helper()
	ls := make([]*Layout, 0, len(types))
	for _, typ := range types {
		l, err := New(typ, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
	}
	return ls
}
