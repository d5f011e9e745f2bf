package report

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mapgen/mapgen/btfread"
)

// paholeTotals are the totals pahole prints at the end of a struct.
type paholeTotals struct {
	size, holes, holeBytes, bitHoles, bitHoleBits, padding, bitPadding int
}

var (
	paholeStart   = regexp.MustCompile(`^(struct|union) (\S+) \{`)
	paholeSize    = regexp.MustCompile(`^\t/\* size: (\d+),`)
	paholeHoles   = regexp.MustCompile(`^\t/\* sum members: \d+, holes: (\d+), sum holes: (\d+) \*/`)
	paholeBits    = regexp.MustCompile(`^\t/\* sum bitfield members: \d+ bits, bit holes: (\d+), sum bit holes: (\d+) bits \*/`)
	paholePadding = regexp.MustCompile(`^\t/\* padding: (\d+) \*/`)
	paholeBitPad  = regexp.MustCompile(`^\t/\* bit_padding: (\d+) bits \*/`)
)

// runPahole returns pahole's totals per "struct NAME" of obj, in the order
// pahole prints them (BTF order; a name may repeat).
func runPahole(t *testing.T, obj string) map[string][]paholeTotals {
	t.Helper()
	out, err := exec.Command("pahole", "-F", "btf", obj).Output()
	if err != nil {
		t.Fatalf("pahole -F btf %s: %v", obj, err)
	}
	return parsePahole(string(out))
}

func parsePahole(out string) map[string][]paholeTotals {
	got := make(map[string][]paholeTotals)
	var cur string
	var tot paholeTotals
	sc := bufio.NewScanner(strings.NewReader(out))
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	for sc.Scan() {
		line := sc.Text()
		if m := paholeStart.FindStringSubmatch(line); m != nil {
			cur, tot = m[1]+" "+m[2], paholeTotals{}
			continue
		}
		if cur == "" {
			continue
		}
		if m := paholeSize.FindStringSubmatch(line); m != nil {
			tot.size = atoi(m[1])
		} else if m := paholeHoles.FindStringSubmatch(line); m != nil {
			tot.holes, tot.holeBytes = atoi(m[1]), atoi(m[2])
		} else if m := paholeBits.FindStringSubmatch(line); m != nil {
			tot.bitHoles, tot.bitHoleBits = atoi(m[1]), atoi(m[2])
		} else if m := paholePadding.FindStringSubmatch(line); m != nil {
			tot.padding = atoi(m[1])
		} else if m := paholeBitPad.FindStringSubmatch(line); m != nil {
			tot.bitPadding = atoi(m[1])
		} else if strings.HasPrefix(line, "}") {
			got[cur] = append(got[cur], tot)
			cur = ""
		}
	}
	return got
}

// needPahole skips a test without pahole, or fails it under CI=true,
// where `make deps` installs it (Debian package dwarves).
func needPahole(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pahole"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pahole not found (CI=true requires it; `make deps` installs dwarves)")
		}
		t.Skip("pahole not found (apt-get install dwarves)")
	}
}

// ownTotals are the totals of l the way pahole counts them: only the holes
// between l's direct members (pahole shows holes inside anonymous members
// but leaves them out of its sums; see README, "mapgen layout and pahole").
func ownTotals(l *Layout) paholeTotals {
	a := &l.Analysis
	p := paholeTotals{size: int(l.Size), padding: int(a.Padding), bitPadding: int(a.BitPadding)}
	for _, h := range a.Holes {
		if h.In == "" {
			p.holes++
			p.holeBytes += int(h.Size)
		}
	}
	for _, h := range a.BitHoles {
		if h.In == "" {
			p.bitHoles++
			p.bitHoleBits += int(h.Size)
		}
	}
	return p
}

// TestPaholeAgrees compares the size, holes, bit holes, tail padding and
// bit padding of every struct of the corpus with what pahole -F btf finds
// (pahole prints no totals for unions).
func TestPaholeAgrees(t *testing.T) {
	needPahole(t)
	structs, nestedHoles := 0, 0
	for _, path := range corpusObjects(t) {
		obj, err := btfread.Open(path)
		if err != nil {
			continue // corpusObjects' caller tests which objects open
		}
		ph := runPahole(t, path)
		types, err := Named(obj.Spec)
		if err != nil {
			t.Fatal(err)
		}
		index := make(map[string]int)
		for _, typ := range types {
			l, err := New(typ, Options{})
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			name := tag(l)
			i := index[name]
			index[name]++
			if i >= len(ph[name]) {
				t.Errorf("%s: %s: not in pahole's output", filepath.Base(path), name)
				continue
			}
			if l.Kind == "union" {
				continue // pahole prints no totals for unions
			}
			structs++
			want, got := ph[name][i], ownTotals(l)
			if got != want {
				t.Errorf("%s: %s:\n  mapgen %+v\n  pahole %+v", filepath.Base(path), name, got, want)
			}
			if len(l.Analysis.Holes) > got.holes {
				nestedHoles++
			}
		}
	}
	if structs < 50 || nestedHoles == 0 {
		t.Errorf("compared %d structs, %d with holes in anonymous members: the corpus should give many, and some", structs, nestedHoles)
	}
	t.Logf("%d structs agree with pahole; %d have holes inside anonymous members, which pahole leaves out of its sums", structs, nestedHoles)
}

// corpusObjects are the compiled objects of testdata/obj and the counter
// example.
func corpusObjects(t testing.TB) []string {
	t.Helper()
	objs, err := filepath.Glob("../../testdata/obj/*.o")
	if err != nil || len(objs) == 0 {
		t.Fatalf("no objects in testdata/obj: %v", err)
	}
	return append(objs, "../../examples/counter/counter_bpfel.o", "../../examples/counter/counter_bpfeb.o")
}

// TestPaholeAgreesVmlinux compares every struct of the running kernel's
// BTF with pahole: thousands of real layouts (packed, aligned, bitfield
// runs, cache-line groups with zero-size markers).
func TestPaholeAgreesVmlinux(t *testing.T) {
	needPahole(t)
	const vmlinux = "/sys/kernel/btf/vmlinux"
	obj, err := btfread.Open(vmlinux)
	if err != nil {
		t.Skipf("no kernel BTF: %v", err)
	}
	// pahole 1.24 warns about BTF kinds it does not know (decl tags) on
	// stderr and reports the types it knows.
	out, err := exec.Command("pahole", "-F", "btf", vmlinux).Output()
	if err != nil {
		t.Fatalf("pahole -F btf %s: %v", vmlinux, err)
	}
	ph := parsePahole(string(out))
	types, err := Named(obj.Spec)
	if err != nil {
		t.Fatal(err)
	}
	index := make(map[string]int)
	compared, differ := 0, 0
	for _, typ := range types {
		l, err := New(typ, Options{})
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		name := tag(l)
		i := index[name]
		index[name]++
		if l.Kind == "union" || i >= len(ph[name]) {
			continue
		}
		compared++
		if got, want := ownTotals(l), ph[name][i]; got != want {
			differ++
			if differ <= 10 {
				t.Errorf("%s:\n  mapgen %+v\n  pahole %+v", name, got, want)
			}
		}
	}
	if compared < 1000 {
		t.Errorf("compared only %d structs", compared)
	}
	t.Logf("%d vmlinux structs compared, %d differ", compared, differ)
}
