package benchdata

import (
	"bytes"
	"testing"

	"github.com/cilium/ebpf/btf"
)

// TestFraction: each fraction holds exactly its share of the types
// --all-types emits (every one of them keeps its name), and the whole is
// the committed BTF's set.
func TestFraction(t *testing.T) {
	raw, err := Vmlinux()
	if err != nil {
		t.Fatal(err)
	}
	all := countEmitted(t, raw)
	if all < 10000 {
		t.Fatalf("the committed BTF has %d types --all-types emits; want a kernel's (> 10000)", all)
	}
	for _, tc := range []struct{ num, den int }{{1, 4}, {1, 2}, {1, 1}} {
		part, n, err := Fraction(raw, tc.num, tc.den)
		if err != nil {
			t.Fatal(err)
		}
		if want := all * tc.num / tc.den; n != want {
			t.Errorf("%d/%d: selected %d types, want %d", tc.num, tc.den, n, want)
		}
		// Types referred to by the selected ones come along, so the
		// fraction holds at least its share and at most all.
		if got := countEmitted(t, part); got < n || got > all {
			t.Errorf("%d/%d: BTF holds %d emitted types, want %d..%d", tc.num, tc.den, got, n, all)
		}
	}
	if _, _, err := Fraction(raw, 0, 4); err == nil {
		t.Error("Fraction(0/4) succeeded")
	}
}

func countEmitted(t *testing.T, raw []byte) int {
	t.Helper()
	spec, err := btf.LoadSpecFromReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for typ, err := range spec.All() {
		if err != nil {
			t.Fatal(err)
		}
		if emitted(typ) {
			n++
		}
	}
	return n
}
