// Package udiff writes line diffs in the unified format of diff -u and
// git diff, for mapgen --check and for tests that compare generated files.
//
// The edit script is Myers' O(ND) difference algorithm in its linear-space
// form (divide and conquer on the middle snake), over lines interned as
// integers. Memory is linear in the number of lines. Time is O((N+M)·D)
// for D differing lines, so it is bounded by a work budget: once the budget
// is spent, each region still to be compared is shown as a whole
// replacement. The diff is then still correct (applying it to the old text
// gives the new one), only not minimal. For mapgen's outputs (a 15 MB
// vmlinux file) the budget is reached only when most lines differ.
package udiff

import (
	"bytes"
	"fmt"
)

// Context is the number of unchanged lines shown around each change.
const Context = 3

// defaultBudget bounds the diagonal steps of the search: about a second of
// work; past it, the rest of the diff is coarse.
const defaultBudget = 200_000_000

// Unified returns the unified diff turning a into b, with headers
// "--- aName" and "+++ bName", or nil if a and b are equal.
func Unified(aName, bName string, a, b []byte) []byte {
	return unified(aName, bName, a, b, defaultBudget)
}

func unified(aName, bName string, a, b []byte, budget int) []byte {
	if bytes.Equal(a, b) {
		return nil
	}
	al, bl := splitLines(a), splitLines(b)
	ai, bi := intern(al, bl)
	d := &differ{a: ai, b: bi, delA: make([]bool, len(ai)), insB: make([]bool, len(bi)), budget: budget}
	d.compare(0, len(ai), 0, len(bi))
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", aName, bName)
	writeHunks(&out, al, bl, d.delA, d.insB)
	return out.Bytes()
}

// splitLines splits s after each newline; the last line may lack one.
func splitLines(s []byte) []string {
	str := string(s) // one copy; the lines share it
	var lines []string
	for len(str) > 0 {
		i := bytes.IndexByte(s[len(s)-len(str):], '\n')
		if i < 0 {
			lines = append(lines, str)
			break
		}
		lines = append(lines, str[:i+1])
		str = str[i+1:]
	}
	return lines
}

// intern maps equal lines to equal integers, so that comparing lines
// costs one integer comparison.
func intern(a, b []string) ([]int32, []int32) {
	ids := make(map[string]int32)
	conv := func(lines []string) []int32 {
		out := make([]int32, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = int32(len(ids))
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	return conv(a), conv(b)
}
