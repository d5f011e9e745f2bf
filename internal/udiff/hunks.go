package udiff

import (
	"bytes"
	"fmt"
)

// writeHunks writes the hunks of the edit script given by delA and insB,
// each with up to Context unchanged lines around its changes; hunks whose
// context would touch are merged.
func writeHunks(out *bytes.Buffer, a, b []string, delA, insB []bool) {
	// Walk both texts in step: i in a, j in b. Unchanged lines advance
	// both; the script guarantees that they are equal.
	type change struct{ i, j, iEnd, jEnd int } // a[i:iEnd] -> b[j:jEnd]
	var changes []change
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if (i < len(a) && delA[i]) || (j < len(b) && insB[j]) {
			c := change{i: i, j: j}
			for i < len(a) && delA[i] {
				i++
			}
			for j < len(b) && insB[j] {
				j++
			}
			c.iEnd, c.jEnd = i, j
			changes = append(changes, c)
			continue
		}
		i, j = i+1, j+1
	}
	for len(changes) > 0 {
		// Take the changes whose context overlaps into one hunk.
		n := 1
		for n < len(changes) && changes[n].i-changes[n-1].iEnd <= 2*Context {
			n++
		}
		first, last := changes[0], changes[n-1]
		i0 := max(first.i-Context, 0)
		j0 := first.j - (first.i - i0)
		i1 := min(last.iEnd+Context, len(a))
		j1 := last.jEnd + (i1 - last.iEnd)
		fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(i0, i1-i0), hunkRange(j0, j1-j0))
		i, j := i0, j0
		for _, c := range changes[:n] {
			for ; i < c.i; i, j = i+1, j+1 {
				writeLine(out, ' ', a[i])
			}
			for ; i < c.iEnd; i++ {
				writeLine(out, '-', a[i])
			}
			for ; j < c.jEnd; j++ {
				writeLine(out, '+', b[j])
			}
		}
		for ; i < i1; i++ {
			writeLine(out, ' ', a[i])
		}
		changes = changes[n:]
	}
}

// hunkRange formats a range of a hunk header as diff -u does: 1-based
// start and length, the length left out when it is 1, and the line before
// the range as start when the range is empty.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func writeLine(out *bytes.Buffer, op byte, line string) {
	out.WriteByte(op)
	out.WriteString(line)
	if len(line) == 0 || line[len(line)-1] != '\n' {
		out.WriteString("\n\\ No newline at end of file\n")
	}
}
