package gen_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
	"github.com/mapgen/mapgen/internal/gentest"
)

// TestTwoObjectsOnePackage generates two objects that declare the same C
// types and maps (counter and roundtrip both have maps; counter and maps
// both have struct flow_key) into one Go package, each with its own prefix
// and its object embedded, for both byte orders, and builds and vets it.
func TestTwoObjectsOnePackage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated package")
	}
	files := make(map[string][]byte)
	for _, o := range []struct{ dir, stem, prefix string }{
		{"../examples/counter", "counter", "Counter"},
		{"../testdata/obj", "maps", "Maps"},
	} {
		for _, order := range []string{"bpfel", "bpfeb"} {
			name := o.stem + "_" + order + ".o"
			path := filepath.Join(o.dir, name)
			obj, err := btfread.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			src, err := gen.Generate(obj, gen.Options{Package: "both", Prefix: o.prefix, Embed: name})
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{
				"type " + o.prefix + "Maps struct", "func New" + o.prefix + "Maps(",
				"type " + o.prefix + "Objects struct", "func Load" + o.prefix + "(", "func Load" + o.prefix + "Spec(",
				"func Load" + o.prefix + "Objects(", "var " + strings.ToLower(o.prefix) + "ObjectBytes []byte",
			} {
				if !strings.Contains(string(src), want) {
					t.Errorf("%s with prefix %s: output lacks %q", name, o.prefix, want)
				}
			}
			files[o.stem+"_"+order+".go"] = src
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			files[name] = data
		}
	}
	mod := gentest.Module(t)
	gentest.AddPackage(t, mod, "both", files)
	for _, arch := range []string{"amd64", "s390x"} {
		env := []string{"GOOS=linux", "GOARCH=" + arch, "CGO_ENABLED=0"}
		if out, err := gentest.Go(t, mod, env, "vet", "./..."); err != nil {
			t.Errorf("GOARCH=%s go vet of two prefixed objects in one package: %v\n%s", arch, err, out)
		}
	}
}
