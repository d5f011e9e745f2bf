// Package kerneldata tests the generated static-value initializers against
// the kernel: .values slots of map-in-map and program array maps, and
// global data sections set before load and read and written after it.
package kerneldata

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
	"github.com/mapgen/mapgen/internal/gentest"
	"github.com/mapgen/mapgen/internal/kerneltest"
)

// packages are generated from testdata objects (package name = key), each
// with a hand-written test (testdata/NAME_test.go.txt) that loads the
// embedded object.
var packages = []string{"values", "data"}

func TestKernel(t *testing.T) {
	kerneltest.Require(t)
	root := gentest.RepoRoot(t)
	mod := gentest.Module(t)
	for _, name := range packages {
		base := name + "_bpfel.o"
		objPath := filepath.Join(root, "testdata", "obj", base)
		obj, err := btfread.Open(objPath)
		if err != nil {
			t.Fatal(err)
		}
		src, err := gen.Generate(obj, gen.Options{Package: name, Embed: base})
		if err != nil {
			t.Fatal(err)
		}
		objBytes, err := os.ReadFile(objPath)
		if err != nil {
			t.Fatal(err)
		}
		test, err := os.ReadFile(filepath.Join("testdata", name+"_test.go.txt"))
		if err != nil {
			t.Fatal(err)
		}
		gentest.AddPackage(t, mod, name, map[string][]byte{
			name + ".go":      src,
			base:              objBytes,
			name + "_test.go": test,
		})
	}
	// The go test child runs as this process does (root where bpf() is
	// allowed); MAPGEN_REQUIRE_KERNEL passes through the environment.
	out, err := gentest.Go(t, mod, nil, "test", "-count=1", "-v", "./...")
	t.Logf("go test ./... in the generated module:\n%s", out)
	if err != nil {
		t.Fatalf("go test: %v", err)
	}
}
