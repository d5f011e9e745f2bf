package gen

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"
)

// Every comment the generator writes goes through doc, comment or
// commentLines, and so through commentText: C names come from BTF and can
// hold anything.

// doc writes a comment line at file level; every generated comment goes
// through commentText, so no C name can break out of it.
func (g *generator) doc(format string, args ...any) {
	g.f.Comment(commentText(fmt.Sprintf(format, args...)))
}

// docWrap writes a doc comment paragraph, wrapped at 76 columns.
func (g *generator) docWrap(format string, args ...any) {
	for _, line := range wrapText(fmt.Sprintf(format, args...), 76) {
		g.f.Comment(line)
	}
}

// bytesText is "1 byte" or "n bytes".
func bytesText[N ~uint32 | ~int | ~int64](n N) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// paragraphs continues a doc comment with paragraphs, wrapped.
func (g *generator) paragraphs(ps ...string) {
	for _, p := range ps {
		g.doc("")
		for _, line := range wrapText(p, 76) {
			g.doc("%s", line)
		}
	}
}

// comment is a comment line inside a declaration (a struct field's).
func comment(format string, args ...any) jen.Code {
	return jen.Comment(commentText(fmt.Sprintf(format, args...)))
}

// commentLines is text as comment lines of at most width columns, for the
// fields of a struct.
func commentLines(text string, width int) []jen.Code {
	var out []jen.Code
	for _, line := range wrapText(text, width) {
		out = append(out, jen.Comment(line))
	}
	return out
}

// wrapText breaks commentText(text) between words into lines of at most
// width columns (a longer word gets a line of its own).
func wrapText(text string, width int) []string {
	var out []string
	var line strings.Builder
	for _, w := range strings.Fields(commentText(text)) {
		if line.Len() > 0 && line.Len()+1+len(w) > width {
			out = append(out, line.String())
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(w)
	}
	if line.Len() > 0 {
		out = append(out, line.String())
	}
	return out
}

// commentText makes s safe as the text of a // comment: every character
// that is not printable (newlines included, which would end the comment and
// turn the rest into code), and every byte that is not UTF-8, becomes a Go
// escape. Every comment the generator writes passes through it.
func commentText(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unicode.IsPrint(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// bitsText is "bit" or "n bits", after "the low".
func bitsText[N ~uint8 | ~uint32 | ~int](n N) string {
	if n == 1 {
		return "bit"
	}
	return fmt.Sprintf("%d bits", n)
}
