package gen_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
)

// TestDeterministic: generating an object twice gives the same bytes, and
// the bpfel and bpfeb objects of one source declare the same types (their
// bitfield accessors differ, their layouts must not).
func TestDeterministic(t *testing.T) {
	objs := goldenObjects(t)
	for path, opts := range objs {
		if !strings.HasSuffix(path, "_bpfel.o") {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(path), "_bpfel.o")
		ebPath := strings.TrimSuffix(path, "_bpfel.o") + "_bpfeb.o"
		if _, ok := objs[ebPath]; !ok {
			t.Errorf("%s has no bpfeb twin", path)
			continue
		}
		t.Run(name, func(t *testing.T) {
			el := generateBytes(t, path, opts)
			if again := generateBytes(t, path, opts); !bytes.Equal(el, again) {
				t.Errorf("%s: two runs differ:\n%s", path, firstDiff(string(el), string(again)))
			}
			eb := generateBytes(t, ebPath, opts)
			elTypes, ebTypes := typeDecls(t, el), typeDecls(t, eb)
			if len(elTypes) != len(ebTypes) {
				t.Errorf("bpfel declares %d types, bpfeb %d", len(elTypes), len(ebTypes))
			}
			for i := range min(len(elTypes), len(ebTypes)) {
				if elTypes[i] != ebTypes[i] {
					t.Errorf("type declaration %d differs:\nbpfel: %s\nbpfeb: %s", i, elTypes[i], ebTypes[i])
				}
			}
		})
	}
}

func generateBytes(t *testing.T, path string, opts gen.Options) []byte {
	t.Helper()
	obj, err := btfread.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	src, err := gen.Generate(obj, opts)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// typeDecls returns the type declarations of src, printed without
// comments, in file order.
func typeDecls(t *testing.T, src []byte) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, 0) // no comments
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			var b bytes.Buffer
			if err := printer.Fprint(&b, fset, spec); err != nil {
				t.Fatal(err)
			}
			out = append(out, b.String())
		}
	}
	return out
}
