// Package kerneldata tests generated code against the kernel: the static
// .values slots of map-in-map and program array maps, global data sections
// set before load and read and changed after it, and typed records of ring
// buffers, plain, declared with a record type, and inside an array of maps.
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

// packages are generated from testdata objects (package name = key, with
// the options of its Events), each with a hand-written test
// (testdata/NAME_test.go.txt) that loads the embedded object.
var packages = map[string]map[string]string{
	"values": nil,
	"data":   nil,
	"events": {"rbs": "event", "plain_rb": "other_event"},
}

func TestKernel(t *testing.T) {
	kerneltest.Require(t)
	root := gentest.RepoRoot(t)
	mod := gentest.Module(t)
	for name, events := range packages {
		base := name + "_bpfel.o"
		objPath := filepath.Join(root, "testdata", "obj", base)
		obj, err := btfread.Open(objPath)
		if err != nil {
			t.Fatal(err)
		}
		src, err := gen.Generate(obj, gen.Options{Package: name, Embed: base, Events: events})
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
