package verify

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mapgen/mapgen/internal/gentest"
)

// goldenPkg is mapgen's golden output for one corpus program: the bpfel
// and bpfeb files in one package, as mapgen writes them.
type goldenPkg struct {
	name   string
	objs   [2]string // bpfel, bpfeb
	ctypes int       // types whose doc comment names their C type
}

// cDoc matches the doc comments mapgen writes on the types it declares
// for C structs, unions and enums: named ones, and anonymous ones named by
// a typedef or by where they are.
var cDoc = regexp.MustCompile(`(?m)^// \S+ is the (C (struct|union|enum) \S+|anonymous C \S+ (named by typedef|at))`)

// addGoldenCorpus copies testdata/golden (which TestGolden proves is what
// mapgen writes now) into mod/golden, a package per program with its
// objects beside it (some files embed them).
func addGoldenCorpus(t *testing.T, root, mod string) []goldenPkg {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, "testdata", "golden", "*_bpfel.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenPkg
	for _, el := range files {
		name := strings.TrimSuffix(filepath.Base(el), "_bpfel.go")
		dir := filepath.Join(mod, "golden", name)
		eb := strings.TrimSuffix(el, "_bpfel.go") + "_bpfeb.go"
		copyFile(t, el, dir)
		copyFile(t, eb, dir)
		objDir := filepath.Join(root, "testdata", "obj")
		if name == "counter" {
			objDir = filepath.Join(root, "examples", "counter")
		}
		p := goldenPkg{name: name}
		for i, order := range []string{"bpfel", "bpfeb"} {
			p.objs[i] = filepath.Join(objDir, name+"_"+order+".o")
			copyFile(t, p.objs[i], dir)
		}
		src, err := os.ReadFile(el)
		if err != nil {
			t.Fatal(err)
		}
		p.ctypes = len(cDoc.FindAll(src, -1))
		out = append(out, p)
	}
	if len(out) < 20 {
		t.Fatalf("only %d golden programs", len(out))
	}
	return out
}

// testGoldenCorpus runs verify on mapgen's own output: nothing may be
// wrong, on any GOARCH, and every type whose doc comment names a C type
// must be paired (so the test cannot pass by pairing nothing).
func testGoldenCorpus(t *testing.T, mod string, loaded []*Loaded, pkgs []goldenPkg) {
	total := 0
	for _, p := range pkgs {
		t.Run(p.name, func(t *testing.T) {
			paired := make(map[string]bool)
			for i, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
				obj := openObject(t, p.objs[i])
				r, err := Verify(obj, archsOf(loaded, order), Options{Packages: []string{gentest.ModulePath + "/golden/" + p.name}})
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range lines(r, mod) {
					t.Errorf("%s: %s", filepath.Base(p.objs[i]), l)
				}
				for _, pr := range r.Pairs {
					paired[pr.GoType] = true
				}
			}
			if len(paired) < p.ctypes {
				t.Errorf("%d Go types paired, but %d doc comments name a C type", len(paired), p.ctypes)
			}
			total += len(paired)
		})
	}
	t.Logf("%d golden types of %d programs verified on every GOARCH", total, len(pkgs))
}
