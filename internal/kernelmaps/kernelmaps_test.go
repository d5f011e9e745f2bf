// Package kernelmaps tests the generated typed map wrappers against the
// kernel (issue #3): the Go mapgen generates for testdata/obj/roundtrip_bpfel.o
// (with --embed and typed ring buffer / perf readers) is built in a
// temporary module together with hand-written tests (testdata/*.go.txt)
// that load the object, let a BPF program write known values into one map
// of every kind and compare them field by field through the wrappers, then
// write values from Go and let a BPF program check them.
//
// The kernel is little-endian, so roundtrip_bpfeb.o cannot run; its Go is
// checked on the C byte image of a .data global holding the same values,
// in a GOARCH=s390x test binary run under qemu-s390x.
package kernelmaps

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
	"github.com/mapgen/mapgen/internal/gentest"
	"github.com/mapgen/mapgen/internal/kerneltest"
)

// events binds the ring buffer and the perf event array of roundtrip.c to
// their record type (mapgen --event).
var events = map[string]string{"rt_rb": "rt_val", "rt_perf": "rt_val"}

// writePackage generates Go for roundtrip_bpfel.o and roundtrip_bpfeb.o
// (one file each, selected by build constraints, each embedding its
// object) into package rt of a temporary module, with the hand-written
// tests, and returns the package directory.
func writePackage(t *testing.T) string {
	t.Helper()
	root := gentest.RepoRoot(t)
	files := map[string][]byte{}
	for _, order := range []string{"bpfel", "bpfeb"} {
		base := "roundtrip_" + order + ".o"
		path := filepath.Join(root, "testdata", "obj", base)
		obj, err := btfread.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		src, err := gen.Generate(obj, gen.Options{Package: "rt", Embed: base, Events: events})
		if err != nil {
			t.Fatalf("generate %s: %v", base, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files["rt_"+order+".go"] = src
		files[base] = b
	}
	for _, name := range []string{"expect", "image", "kernel", "cilium"} {
		b, err := os.ReadFile(filepath.Join("testdata", name+"_test.go.txt"))
		if err != nil {
			t.Fatal(err)
		}
		files[name+"_test.go"] = b
	}
	return gentest.AddPackage(t, gentest.Module(t), "rt", files)
}

var skipLine = regexp.MustCompile(`(?m)^\s*--- SKIP: .*\n(?:\s+.*\n)?`)

// TestRoundTrip runs the generated package's kernel tests (TestRoundTrip,
// TestNewMapsMismatch) and its byte image test natively.
func TestRoundTrip(t *testing.T) {
	kerneltest.Require(t)
	dir := writePackage(t)
	// The child runs as this process does (root where bpf() is allowed);
	// MAPGEN_REQUIRE_KERNEL passes through the environment, and the
	// child's requireKernel fails instead of skipping when it is 1.
	out, err := gentest.Go(t, dir, []string{"CGO_ENABLED=0"}, "test", "-count=1", "-v", ".")
	t.Logf("go test in the generated package:\n%s", out)
	if err != nil {
		t.Fatalf("go test: %v", err)
	}
	if m := skipLine.FindString(out); m != "" {
		kerneltest.Skip(t, "generated package's test skipped: "+strings.TrimSpace(m))
	}
	for _, want := range []string{
		"--- PASS: TestRoundTrip ",
		"--- PASS: TestRoundTrip/KernelToGo ",
		"--- PASS: TestRoundTrip/GoToKernel ",
		"--- PASS: TestRoundTrip/CheckerDetects ",
		"--- PASS: TestRoundTrip/ProgArray ",
		"--- PASS: TestNewMapsMismatch ",
		"--- PASS: TestImage ",
		"image=roundtrip_bpfel.o",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// Every map kind must have been exercised.
	for _, kind := range []string{"hash", "lru_hash", "array", "percpu_hash", "percpu_array",
		"lru_percpu_hash", "lpm_trie", "queue", "stack", "bloom_filter", "array_of_maps",
		"hash_of_maps", "ringbuf", "perf_event_array"} {
		if want := "--- PASS: TestRoundTrip/KernelToGo/" + kind + " "; !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// TestBigEndianImage builds the generated package for GOARCH=s390x and
// runs its TestImage under qemu-s390x: roundtrip_bpfeb.o's rt_image decoded
// and re-encoded through the bpfeb Go.
func TestBigEndianImage(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skipf("runs a linux/s390x binary; this is %s", runtime.GOOS)
	}
	dir := writePackage(t)
	bin := filepath.Join(t.TempDir(), "rt.s390x.test")
	gentest.BuildTest(t, dir, "s390x", ".", bin)
	b, cmdline, err := gentest.Run(t, "s390x", dir, bin, "-test.v", "-test.count=1", "-test.run", "^TestImage$")
	t.Logf("%s:\n%s", cmdline, b)
	if err != nil {
		t.Fatalf("%s: %v", cmdline, err)
	}
	for _, want := range []string{
		"image=roundtrip_bpfeb.o",
		"--- PASS: TestImage/Decode ",
		"--- PASS: TestImage/Encode ",
		"--- PASS: TestImage/DefaultData ",
		"--- PASS: TestImage/Overwrite ",
		"--- PASS: TestImage ",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
