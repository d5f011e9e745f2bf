package gen_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mapgen/mapgen/internal/gentest"
)

// staticcheck is the version the generated code is held to.
const staticcheck = "honnef.co/go/tools/cmd/staticcheck@v0.8.2"

// TestGoldenVetStaticcheck puts every golden file into a package of a
// temporary module, the bpfel and bpfeb files of one object side by side as
// users would have them, and runs go vet and staticcheck for a little- and
// a big-endian target.
func TestGoldenVetStaticcheck(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet and staticcheck")
	}
	goldens, err := filepath.Glob("../testdata/golden/*.go")
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	mod := gentest.Module(t)
	pkgs := make(map[string]map[string][]byte)
	for _, g := range goldens {
		name := filepath.Base(g)
		stem := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, ".go"), "_bpfel"), "_bpfeb")
		src, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		if pkgs[stem] == nil {
			pkgs[stem] = make(map[string][]byte)
		}
		pkgs[stem][name] = src
	}
	// The counter example embeds its objects.
	for _, o := range []string{"counter_bpfel.o", "counter_bpfeb.o"} {
		data, err := os.ReadFile(filepath.Join("..", "examples", "counter", o))
		if err != nil {
			t.Fatal(err)
		}
		pkgs["counter"][o] = data
	}
	for stem, files := range pkgs {
		gentest.AddPackage(t, mod, stem, files)
	}
	// go vet for both targets while staticcheck is built for the host,
	// then staticcheck for both targets.
	archs := []string{"amd64", "s390x"}
	envFor := func(arch string) []string { return []string{"GOARCH=" + arch, "GOOS=linux", "CGO_ENABLED=0"} }
	bin := t.TempDir()
	var installOut string
	var installErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		installOut, installErr = gentest.Go(t, mod, []string{"GOBIN=" + bin}, "install", staticcheck)
	})
	for _, arch := range archs {
		wg.Go(func() {
			if out, err := gentest.Go(t, mod, envFor(arch), "vet", "./..."); err != nil {
				t.Errorf("GOARCH=%s go vet: %v\n%s", arch, err, out)
			}
		})
	}
	wg.Wait()
	if installErr != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("cannot install %s here: %v\n%s", staticcheck, installErr, installOut)
		}
		t.Fatalf("installing %s: %v\n%s", staticcheck, installErr, installOut)
	}
	for _, arch := range archs {
		wg.Go(func() {
			cmd := exec.Command(filepath.Join(bin, "staticcheck"), "./...")
			cmd.Dir, cmd.Env = mod, append(os.Environ(), envFor(arch)...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("GOARCH=%s staticcheck: %v\n%s", arch, err, out)
			}
		})
	}
	wg.Wait()
}
