package report

import (
	"path/filepath"
	"testing"

	"github.com/mapgen/mapgen/btfread"
)

// TestUnionArmHoles: a byte inside a union is unused only if no arm uses
// it, and is counted once however many arms leave it unused
// (testdata/unions.c, compiled for both byte orders).
func TestUnionArmHoles(t *testing.T) {
	clang := needClang(t)
	type totals struct{ holes, holeBytes, bitHoles, bitHoleBits, padding, bitPadding int }
	want := map[string]totals{
		"two_arms": {holes: 1, holeBytes: 3},
		"covered":  {},
		// bytes 2-3 (byte 1 is the second arm's c), bytes 9-11 (the
		// arms' tails), bits 3-7 of byte 8 (after f and g).
		"partial": {holes: 2, holeBytes: 5, bitHoles: 1, bitHoleBits: 5},
	}
	for _, target := range []string{"bpfel", "bpfeb"} {
		spec := compileBTF(t, clang, target, "testdata/unions.c")
		for name, w := range want {
			types, err := Lookup(spec, []string{name})
			if err != nil {
				t.Fatal(err)
			}
			l, err := New(types[0], Options{})
			if err != nil {
				t.Fatal(err)
			}
			a := &l.Analysis
			got := totals{len(a.Holes), int(a.HoleBytes()), len(a.BitHoles), int(a.BitHoleBits()), int(a.Padding), int(a.BitPadding)}
			if got != w {
				t.Errorf("%s/%s: got %+v, want %+v (holes %+v, bit holes %+v)", target, name, got, w, a.Holes, a.BitHoles)
			}
			checkPartition(t, target+"/"+name, l)
		}
	}
}

// TestUnusedBitsPartition: for every struct and union of the corpus and of
// the running kernel, the bits the members use (as a set: union arms
// overlap), the holes, the bit holes, the padding and the bit padding are
// disjoint and together are exactly the type.
func TestUnusedBitsPartition(t *testing.T) {
	objects := corpusObjects(t)
	const vmlinux = "/sys/kernel/btf/vmlinux"
	if _, err := btfread.Open(vmlinux); err == nil {
		objects = append(objects, vmlinux)
	}
	checked := 0
	for _, path := range objects {
		obj, err := btfread.Open(path)
		if err != nil {
			continue
		}
		types, err := Named(obj.Spec)
		if err != nil {
			t.Fatal(err)
		}
		for _, typ := range types {
			l, err := New(typ, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkPartition(t, filepath.Base(path)+"/"+tag(l), l)
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("checked only %d types", checked)
	}
	t.Logf("%d types: used bits, holes and padding partition each", checked)
}

// checkPartition fails the test unless the used bits of l's members, its
// holes and its padding are disjoint and cover l exactly.
func checkPartition(t *testing.T, label string, l *Layout) {
	t.Helper()
	var parts []interval
	for _, m := range l.Members {
		parts = append(parts, m.usedBits()...)
	}
	parts = merge(parts)
	a := &l.Analysis
	for _, h := range a.Holes {
		parts = append(parts, interval{8 * h.Offset, 8 * (h.Offset + h.Size)})
	}
	for _, h := range a.BitHoles {
		parts = append(parts, interval{h.Offset, h.Offset + h.Size})
	}
	tail := 8 * (l.Size - a.Padding)
	parts = append(parts, interval{tail, 8 * l.Size}, interval{tail - a.BitPadding, tail})
	var sum uint32
	for _, p := range parts {
		sum += p.end - p.start
	}
	covered := merge(parts)
	if sum != 8*l.Size || len(covered) > 1 || (len(covered) == 1 && covered[0] != (interval{0, 8 * l.Size})) {
		t.Errorf("%s: used bits, holes and padding sum to %d bits and cover %v, want %d bits covering [0, %d) once (holes %+v, bit holes %+v, padding %d, bit padding %d)",
			label, sum, covered, 8*l.Size, 8*l.Size, a.Holes, a.BitHoles, a.Padding, a.BitPadding)
	}
}
