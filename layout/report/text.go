package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// commentColumn is where the offset/size comments of the text report start.
const commentColumn = 56

// WriteText writes the text reports of ls, separated by blank lines.
func WriteText(w io.Writer, ls []*Layout) error {
	var b strings.Builder
	for i, l := range ls {
		if i > 0 {
			b.WriteString("\n")
		}
		writeText(&b, l)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeText writes the report of l in the spirit of pahole: the
// declaration with an /* offset size */ comment per member, holes and
// cache-line boundaries between members, totals, and the suggested order.
//
// Offsets are in bytes from the start of the type; a bitfield's is
// BYTE:BIT, the byte holding its first bit and the bit in that byte
// (0-7, in BTF's bit numbering), and its size is in bits.
func writeText(b *strings.Builder, l *Layout) {
	t := &textWriter{b: b, line: l.Analysis.CacheLineSize, next: l.Analysis.CacheLineSize}
	fmt.Fprintf(b, "%s {%s/* offset  size */\n", opening(l), pad(len(opening(l))+2, commentColumn))
	t.members(l, 1)
	a := &l.Analysis
	in := "\t"
	fmt.Fprintf(b, "\n%s/* size: %d, cachelines: %d, members: %d */\n", in, l.Size, a.CacheLines, len(l.Members))
	fmt.Fprintf(b, "%s/* sum members: %d bytes, sum bitfield members: %d bits */\n", in, a.MemberBytes, a.BitfieldBits)
	fmt.Fprintf(b, "%s/* holes: %d, sum holes: %d bytes */\n", in, len(a.Holes), a.HoleBytes())
	fmt.Fprintf(b, "%s/* bit holes: %d, sum bit holes: %d bits */\n", in, len(a.BitHoles), a.BitHoleBits())
	fmt.Fprintf(b, "%s/* padding: %d bytes, bit padding: %d bits */\n", in, a.Padding, a.BitPadding)
	fmt.Fprintf(b, "%s/* last cacheline: %d bytes */\n", in, a.LastLine)
	b.WriteString(closing(l))
	if s := l.Suggestion; s != nil {
		b.WriteString("\n")
		if !s.Better {
			fmt.Fprintf(b, "/* %s: keep the order: %s */\n", tag(l), s.Reason)
		} else {
			sa := &s.Layout.Analysis
			fmt.Fprintf(b, "/* %s: suggested order: size %d (was %d), holes: %d, sum holes: %d bytes, bit holes: %d, sum bit holes: %d bits, padding: %d bytes */\n",
				tag(l), s.Layout.Size, l.Size, len(sa.Holes), sa.HoleBytes(), len(sa.BitHoles), sa.BitHoleBits(), sa.Padding)
			b.WriteString(s.C())
		}
	}
}

// tag names l the way C code refers to it: "struct flow_key", or the
// typedef naming an anonymous struct or union.
func tag(l *Layout) string {
	switch {
	case l.Name != "":
		return l.Kind + " " + l.Name
	case l.Typedef != "":
		return l.Typedef
	}
	return l.Kind
}

// opening is the first line of l's declaration, before " {".
func opening(l *Layout) string {
	if l.Name == "" && l.Typedef != "" {
		return "typedef " + l.Kind
	}
	return tag(l)
}

// closing ends l's declaration.
func closing(l *Layout) string {
	if l.Name == "" && l.Typedef != "" {
		return "} " + l.Typedef + ";\n"
	}
	return "};\n"
}

type textWriter struct {
	b *strings.Builder
	// line is the cache-line size, next the next boundary to mark.
	line, next uint32
}

// pad returns the spaces from column used to column want (at least one).
func pad(used, want int) string {
	return strings.Repeat(" ", max(want-used, 1))
}

// item is a member or a hole of the text report, by bit position.
type item struct {
	bit    uint32
	member *Member
	hole   string
}

func (t *textWriter) members(l *Layout, depth int) {
	var items []item
	for _, m := range l.Members {
		items = append(items, item{bit: m.BitOffset, member: m})
	}
	for _, h := range l.Analysis.Holes {
		if h.In == "" {
			items = append(items, item{bit: 8 * h.Offset, hole: fmt.Sprintf("XXX %d byte%s hole", h.Size, plural(h.Size))})
		}
	}
	for _, h := range l.Analysis.BitHoles {
		if h.In == "" {
			items = append(items, item{bit: h.Offset, hole: fmt.Sprintf("XXX %d bit%s hole", h.Size, plural(h.Size))})
		}
	}
	slices.SortStableFunc(items, func(a, b item) int { return int(a.bit) - int(b.bit) })
	in := strings.Repeat("\t", depth)
	for i, it := range items {
		if it.hole != "" {
			if i == 0 || items[i-1].hole == "" {
				t.b.WriteString("\n")
			}
			fmt.Fprintf(t.b, "%s/* %s */\n\n", in, it.hole)
			continue
		}
		m := it.member
		t.boundary(m.Offset(), in)
		var decl string
		if m.Nested != nil {
			fmt.Fprintf(t.b, "%s%s {\n", in, m.Nested.Kind)
			t.members(m.Nested, depth+1)
			decl = "}" + m.Name + ";"
			if m.Name != "" {
				decl = "} " + m.Name + ";"
			}
		} else {
			decl = m.Decl
			if m.IsBitfield() {
				decl += fmt.Sprintf(":%d", m.BitSize)
			}
			decl += ";"
		}
		fmt.Fprintf(t.b, "%s%s%s/* %s */\n", in, decl, pad(8*depth+len(decl), commentColumn), offsetSize(m))
	}
}

// boundary marks the cache-line boundaries up to a member at off.
func (t *textWriter) boundary(off uint32, in string) {
	if t.line == 0 {
		return
	}
	for off >= t.next {
		if off == t.next {
			fmt.Fprintf(t.b, "%s/* --- cacheline %d boundary (%d bytes) --- */\n", in, t.next/t.line, t.next)
		} else if off < t.next+t.line {
			fmt.Fprintf(t.b, "%s/* --- cacheline %d boundary (%d bytes) was %d bytes ago --- */\n", in, t.next/t.line, t.next, off-t.next)
		} else {
			fmt.Fprintf(t.b, "%s/* --- cacheline %d boundary (%d bytes) --- */\n", in, t.next/t.line, t.next)
		}
		t.next += t.line
	}
}

// offsetSize is the comment of a member: "OFFSET SIZE" in bytes, or
// "BYTE:BIT BITS" for a bitfield.
func offsetSize(m *Member) string {
	if m.IsBitfield() {
		return fmt.Sprintf("%6s %5s", fmt.Sprintf("%d:%d", m.Offset(), m.BitOffset%8), fmt.Sprintf("%db", m.BitSize))
	}
	return fmt.Sprintf("%6d %5d", m.Offset(), m.Size)
}

func plural(n uint32) string {
	if n == 1 {
		return ""
	}
	return "s"
}
