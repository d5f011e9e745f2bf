package udiff

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestUnified(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want string // without the two header lines; "" for no diff
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"both empty", "", "", ""},
		{"from empty", "", "x\ny\n", "@@ -0,0 +1,2 @@\n+x\n+y\n"},
		{"to empty", "x\n", "", "@@ -1 +0,0 @@\n-x\n"},
		{"change one", "a\nb\nc\n", "a\nB\nc\n", "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{
			"context is three lines",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n",
			"1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
			"@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n",
		},
		{
			"gap of seven lines: two hunks",
			"a\n1\n2\n3\n4\n5\n6\n7\nb\n",
			"A\n1\n2\n3\n4\n5\n6\n7\nB\n",
			"@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-b\n+B\n",
		},
		{
			"gap of six lines: one hunk",
			"a\n1\n2\n3\n4\n5\n6\nb\n",
			"A\n1\n2\n3\n4\n5\n6\nB\n",
			"@@ -1,8 +1,8 @@\n-a\n+A\n 1\n 2\n 3\n 4\n 5\n 6\n-b\n+B\n",
		},
		{"insert in the middle", "a\nc\n", "a\nb\nc\n", "@@ -1,2 +1,3 @@\n a\n+b\n c\n"},
		{"delete at the end", "a\nb\nc\nd\ne\n", "a\nb\nc\nd\n", "@@ -2,4 +2,3 @@\n b\n c\n d\n-e\n"},
		{
			"missing final newline",
			"a\nb", "a\nb\n",
			"@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
		},
		{"lines without newline both", "x", "y", "@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Unified("a/f", "b/f", []byte(tt.a), []byte(tt.b)))
			want := ""
			if tt.want != "" {
				want = "--- a/f\n+++ b/f\n" + tt.want
			}
			if got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
			if got != "" {
				checkApplies(t, tt.a, tt.b, got)
			}
		})
	}
}

// apply applies a unified diff to a, checking every context and deleted
// line, so that a wrong diff cannot go unnoticed.
func apply(a, diff string) (string, error) {
	src := splitLines([]byte(a))
	lines := splitLines([]byte(diff))
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		return "", fmt.Errorf("no header")
	}
	lines = lines[2:]
	var out []string
	pos := 0 // next line of src to copy
	for len(lines) > 0 {
		var oldStart, oldLen, newStart, newLen int
		h := lines[0]
		if _, err := fmt.Sscanf(h, "@@ -%s +%s @@\n", new(string), new(string)); err != nil {
			return "", fmt.Errorf("bad hunk header %q", h)
		}
		f := strings.Fields(h)
		parse := func(r string) (int, int) {
			s, l, ok := strings.Cut(r[1:], ",")
			st, _ := strconv.Atoi(s)
			n := 1
			if ok {
				n, _ = strconv.Atoi(l)
			}
			return st, n
		}
		oldStart, oldLen = parse(f[1])
		newStart, newLen = parse(f[2])
		if oldLen > 0 {
			oldStart--
		}
		if newLen > 0 {
			newStart--
		}
		if oldStart < pos {
			return "", fmt.Errorf("hunk %q overlaps", h)
		}
		out = append(out, src[pos:oldStart]...)
		if newStart != len(out) {
			return "", fmt.Errorf("hunk %q: new start %d, have %d lines", h, newStart, len(out))
		}
		pos = oldStart
		lines = lines[1:]
		nOld, nNew := 0, 0
		for len(lines) > 0 && !strings.HasPrefix(lines[0], "@@") {
			l := lines[0]
			lines = lines[1:]
			text := l[1:]
			if len(lines) > 0 && lines[0] == "\\ No newline at end of file\n" {
				text = strings.TrimSuffix(text, "\n")
				lines = lines[1:]
			}
			switch l[0] {
			case ' ', '-':
				if pos >= len(src) || src[pos] != text {
					return "", fmt.Errorf("hunk %q: line %d is %q, diff says %q", h, pos+1, src[pos:min(pos+1, len(src))], text)
				}
				pos++
				nOld++
				if l[0] == ' ' {
					out = append(out, text)
					nNew++
				}
			case '+':
				out = append(out, text)
				nNew++
			default:
				return "", fmt.Errorf("bad line %q", l)
			}
		}
		if nOld != oldLen || nNew != newLen {
			return "", fmt.Errorf("hunk %q has %d old, %d new lines", h, nOld, nNew)
		}
	}
	out = append(out, src[pos:]...)
	return strings.Join(out, ""), nil
}

func checkApplies(t *testing.T, a, b, diff string) {
	t.Helper()
	got, err := apply(a, diff)
	if err != nil {
		t.Fatalf("diff does not apply: %v\n%s", err, diff)
	}
	if got != b {
		t.Fatalf("diff applied gives %q, want %q\n%s", got, b, diff)
	}
}

// changed counts the - and + lines of a diff.
func changed(diff string) int {
	n := 0
	for _, l := range splitLines([]byte(diff))[2:] {
		if l[0] == '-' || l[0] == '+' {
			n++
		}
	}
	return n
}

// lcs is the length of the longest common subsequence, by dynamic
// programming: the reference for minimality.
func lcs(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func randomText(r *rand.Rand, n, alphabet int) string {
	var sb strings.Builder
	for range n {
		fmt.Fprintf(&sb, "%c\n", 'a'+r.IntN(alphabet))
	}
	if r.IntN(4) == 0 {
		return strings.TrimSuffix(sb.String(), "\n")
	}
	return sb.String()
}

// TestRandomMinimal checks on random texts that the diff applies and is
// minimal (as many changed lines as the LCS allows).
func TestRandomMinimal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		a := randomText(r, r.IntN(30), 1+r.IntN(5))
		b := randomText(r, r.IntN(30), 1+r.IntN(5))
		diff := string(Unified("a", "b", []byte(a), []byte(b)))
		if a == b {
			if diff != "" {
				t.Fatalf("diff of equal texts: %s", diff)
			}
			continue
		}
		checkApplies(t, a, b, diff)
		al, bl := splitLines([]byte(a)), splitLines([]byte(b))
		if want := len(al) + len(bl) - 2*lcs(al, bl); changed(diff) != want {
			t.Fatalf("%d changed lines, minimal is %d:\n%q\n%q\n%s", changed(diff), want, a, b, diff)
		}
	}
}

// TestCutOff checks that the diff stays correct when the search is cut
// off (maxCost) or the work budget runs out.
func TestCutOff(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		a := randomText(r, r.IntN(60), 1+r.IntN(8))
		b := randomText(r, r.IntN(60), 1+r.IntN(8))
		for _, limits := range [][2]int{{1 << 30, 1}, {1 << 30, 2}, {0, 0}, {5, 0}, {40, 3}} {
			budget, maxCost := limits[0], limits[1]
			al, bl := splitLines([]byte(a)), splitLines([]byte(b))
			ai, bi := intern(al, bl)
			d := &differ{a: ai, b: bi, delA: make([]bool, len(ai)), insB: make([]bool, len(bi)), budget: budget, maxCost: maxCost}
			d.compare(0, len(ai), 0, len(bi))
			var out bytes.Buffer
			out.WriteString("--- a\n+++ b\n")
			writeHunks(&out, al, bl, d.delA, d.insB)
			if a != b {
				checkApplies(t, a, b, out.String())
			}
		}
	}
}

// generated is a stand-in for a large generated Go file: n lines, mostly
// unique, some repeated.
func generated(n int, salt string) []byte {
	var b bytes.Buffer
	for i := range n {
		if i%7 == 0 {
			b.WriteString("}\n")
			continue
		}
		fmt.Fprintf(&b, "\tField%d uint32 // %s\n", i, salt)
	}
	return b.Bytes()
}

// TestLarge runs on inputs of the size of a generated vmlinux file: few
// changes, and then every line changed, where the work budget must bound
// the time.
func TestLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	a := generated(400_000, "x")
	b := bytes.Clone(a)
	// Scattered changes.
	lines := bytes.SplitAfter(b, []byte("\n"))
	nChanged := 0
	for i := 1000; i < len(lines); i += 9973 {
		lines[i] = []byte("changed\n")
		nChanged++
	}
	b = bytes.Join(lines, nil)
	for _, tt := range []struct {
		name string
		b    []byte
		// minimal is the number of changed lines of a minimal diff, 0
		// where the budget may make it coarse.
		minimal int
	}{{"scattered", b, 2 * nChanged}, {"all different", generated(400_000, "y"), 0}} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			diff := Unified("a", "b", a, tt.b)
			if el := time.Since(start); el > 60*time.Second {
				t.Errorf("took %v", el)
			}
			checkApplies(t, string(a), string(tt.b), string(diff))
			if tt.minimal != 0 && changed(string(diff)) != tt.minimal {
				t.Errorf("%d changed lines, want %d", changed(string(diff)), tt.minimal)
			}
		})
	}
}
