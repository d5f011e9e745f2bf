package verify

import (
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/internal/gentest"
	"github.com/mapgen/mapgen/layout"
)

var update = flag.Bool("update", false, "rewrite testdata/verify/bpf2go.golden from what verify finds")

// TestVerify builds one module holding the fixture packages of
// testdata/verify, mapgen's golden output for the corpus and bpf2go's
// output for the corpus, type-checks it once per GOARCH, and runs every
// check of this package on that one load.
func TestVerify(t *testing.T) {
	root := gentest.RepoRoot(t)
	mod := gentest.Module(t)
	fixtures := addFixtures(t, root, mod)
	corpus := addGoldenCorpus(t, root, mod)
	b2g := addBpf2go(t, root, mod)

	start := time.Now()
	loaded := loadAll(t, mod)
	t.Logf("type-checked the module for %d GOARCHes in %v", len(loaded), time.Since(start).Round(time.Millisecond))

	t.Run("fixtures", func(t *testing.T) { testFixtures(t, root, mod, loaded, fixtures) })
	t.Run("golden", func(t *testing.T) { testGoldenCorpus(t, mod, loaded, corpus) })
	t.Run("bpf2go", func(t *testing.T) { testBpf2go(t, root, mod, loaded, b2g) })
}

// loadAll loads every package of mod for every GOARCH.
func loadAll(t *testing.T, mod string) []*Loaded {
	t.Helper()
	var archs []string
	for _, a := range layout.Archs {
		archs = append(archs, a.GOARCH)
	}
	loaded, err := LoadAll(mod, []string{"./..."}, archs)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range loaded {
		for path, err := range l.Broken {
			if !strings.Contains(path, "/bpf2go/") && !strings.HasSuffix(path, "/fixtures/broken") {
				t.Fatalf("GOARCH=%s: %v", l.GOARCH, err)
			}
		}
	}
	return loaded
}

// archsOf returns the loads for the GOARCHes of one byte order.
func archsOf(loaded []*Loaded, order binary.ByteOrder) []*Loaded {
	var out []*Loaded
	for i, a := range layout.Archs {
		if a.ByteOrder == order {
			out = append(out, loaded[i])
		}
	}
	return out
}

// copyFile copies src to the directory dir.
func copyFile(t *testing.T, src, dir string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func openObject(t *testing.T, path string) *btfread.Object {
	t.Helper()
	obj, err := btfread.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

// lines formats a report's mismatches relative to dir.
func lines(r *Report, dir string) []string {
	var out []string
	for i := range r.Mismatches {
		out = append(out, r.Mismatches[i].Format(dir))
	}
	return out
}

func diffLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: got\n\t%s\nwant\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
