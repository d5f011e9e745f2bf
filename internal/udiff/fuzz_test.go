package udiff

import (
	"testing"
	"time"

	"github.com/mapgen/mapgen/internal/fuzzbound"
)

// FuzzUnified: mapgen --check diffs the file on disk, which can hold any
// bytes, with what it generates. For any two texts and any work budget
// (a small one forces the coarse diff of regions left uncompared), the
// diff is nil exactly when the texts are equal, and applying it to the
// old text, checking every context and deleted line, gives the new one.
// Time and memory are bounded: memory linear in the texts.
func FuzzUnified(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\nd\n", uint16(1000))
	f.Add("", "x", uint16(0))
	f.Add("no newline", "no newline\n", uint16(5))
	f.Add("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\n2\n3\nfour\n5\n6\n7\n8\n9\nten\n", uint16(3))
	f.Add(string(generated(200, "x")), string(generated(200, "y")), uint16(65535))
	f.Fuzz(func(t *testing.T, a, b string, budget uint16) {
		defer fuzzbound.Input(t, "FuzzUnified", 30*time.Second, 16<<20+64*uint64(len(a)+len(b)))()
		for _, diff := range [][]byte{
			Unified("a", "b", []byte(a), []byte(b)),
			unified("a", "b", []byte(a), []byte(b), int(budget)),
		} {
			if (diff == nil) != (a == b) {
				t.Fatalf("diff is nil: %v; texts equal: %v", diff == nil, a == b)
			}
			if diff == nil {
				continue
			}
			got, err := apply(a, string(diff))
			if err != nil {
				t.Fatalf("diff does not apply: %v\n%s", err, diff)
			}
			if got != b {
				t.Fatalf("diff applied gives %q, want %q\n%s", got, b, diff)
			}
		}
	})
}
