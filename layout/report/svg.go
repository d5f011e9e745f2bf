package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// SVGOptions tune the picture.
type SVGOptions struct {
	// Row is the number of bytes per row: 8 or 16 (16 if 0).
	Row uint32
}

// MaxSVGSize is the largest type WriteSVG draws, in bytes: 4,096 rows of
// 16 bytes. vmlinux's largest structs are a few times larger; their text
// report is the way to read them.
const MaxSVGSize = 1 << 16

// Geometry of the picture, in pixels.
const (
	svgLeft     = 64  // offset labels left of the bytes
	svgBytesW   = 768 // width of a row of bytes
	svgRight    = 150 // cache-line labels right of the bytes
	svgRowH     = 40
	svgTitleH   = 40
	svgLegendH  = 26
	svgFooterH  = 30
	svgTypeGap  = 24
	svgFontSize = 12
	// svgCharW is the width of a character of the monospace font at
	// svgFontSize, to decide whether a label fits its box.
	svgCharW = 7.3
)

// Colours: members alternate between light hues so that neighbours stand
// apart; waste is warm (holes red, bit holes orange) or grey (padding).
var memberFills = []string{"#9ecae1", "#a1d99b", "#c6b6e3", "#99d8c9"}

// Bitfields alternate between two yellows for the same reason.
var bitfieldFills = []string{"#fff3b0", "#ffe08a"}

const (
	fillHole       = "#e4572e"
	fillBitHole    = "#f29e4c"
	fillPadding    = "#b8b8b8"
	colourText     = "#1b263b"
	colourCache    = "#1f6fd1"
	colourGrid     = "#ffffff"
	colourRowFrame = "#6c757d"
)

// segment is a run of bits drawn in one colour.
type segment struct {
	start, end uint32 // bits from the start of the type
	fill       string
	label      string
	title      string
	lane       int
	// light is white text, on a dark fill.
	light bool
}

// WriteSVG draws the bytes of each layout, one below the other: a row per
// Row bytes, members, holes and padding in distinct colours, labelled with
// names and offsets, with cache-line markers and a legend. Every name is
// written through encoding/xml, which escapes it.
func WriteSVG(w io.Writer, ls []*Layout, opts SVGOptions) error {
	var buf bytes.Buffer
	if err := svgDocument(&buf, ls, opts, ""); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// SVGString is the picture of one layout, for embedding in HTML.
func SVGString(l *Layout, opts SVGOptions) (string, error) {
	return svgEmbedded(l, opts, "")
}

// svgEmbedded is SVGString with idSuffix appended to the ids the picture
// defines: a page embedding several pictures needs them unique.
func svgEmbedded(l *Layout, opts SVGOptions, idSuffix string) (string, error) {
	var buf bytes.Buffer
	err := svgDocument(&buf, []*Layout{l}, opts, idSuffix)
	return buf.String(), err
}

func svgDocument(out *bytes.Buffer, ls []*Layout, opts SVGOptions, idSuffix string) error {
	row := opts.Row
	if row == 0 {
		row = 16
	}
	if row != 8 && row != 16 {
		return fmt.Errorf("row of %d bytes: want 8 or 16", row)
	}
	for _, l := range ls {
		if l.Size > MaxSVGSize {
			return fmt.Errorf("%s: %d bytes are too many to draw (at most %d)", tag(l), l.Size, MaxSVGSize)
		}
	}
	width := svgLeft + svgBytesW + svgRight
	height := svgLegendH + 10
	for _, l := range ls {
		height += typeHeight(l, row) + svgTypeGap
	}
	s := &svgWriter{enc: xml.NewEncoder(out), idSuffix: idSuffix}
	s.start("svg", "xmlns", "http://www.w3.org/2000/svg", "width", itoa(uint32(width)), "height", itoa(uint32(height)),
		"viewBox", fmt.Sprintf("0 0 %d %d", width, height), "font-family", "DejaVu Sans Mono, Menlo, Consolas, monospace",
		"font-size", itoa(svgFontSize))
	s.defs()
	s.leaf("rect", "", "width", "100%", "height", "100%", "fill", "#ffffff")
	s.legend()
	y := svgLegendH + 10
	for _, l := range ls {
		s.start("g", "transform", fmt.Sprintf("translate(0,%d)", y))
		s.layout(l, row)
		s.end("g")
		y += typeHeight(l, row) + svgTypeGap
	}
	s.end("svg")
	if s.err != nil {
		return s.err
	}
	return s.enc.Flush()
}

func rows(l *Layout, row uint32) uint32 { return max((l.Size+row-1)/row, 1) }

func typeHeight(l *Layout, row uint32) int {
	return svgTitleH + int(rows(l, row))*svgRowH + svgFooterH
}

// svgWriter writes elements through an xml.Encoder, keeping the first
// error.
type svgWriter struct {
	enc *xml.Encoder
	err error
	// idSuffix is appended to every id the picture defines.
	idSuffix string
}

func attrs(kv []string) []xml.Attr {
	var as []xml.Attr
	for i := 0; i+1 < len(kv); i += 2 {
		as = append(as, xml.Attr{Name: xml.Name{Local: kv[i]}, Value: kv[i+1]})
	}
	return as
}

func (s *svgWriter) start(name string, kv ...string) {
	if s.err == nil {
		s.err = s.enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs(kv)})
	}
}

func (s *svgWriter) end(name string) {
	if s.err == nil {
		s.err = s.enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: name}})
	}
}

func (s *svgWriter) text(t string) {
	if s.err == nil && t != "" {
		s.err = s.enc.EncodeToken(xml.CharData(t))
	}
}

// leaf writes an element holding text only.
func (s *svgWriter) leaf(name, text string, kv ...string) {
	s.start(name, kv...)
	s.text(text)
	s.end(name)
}

// The ids of the hatch patterns holes and padding are filled with.
const (
	patternHole    = "hatch-hole"
	patternPadding = "hatch-padding"
)

func patternURL(id string) string { return "url(#" + id + ")" }

// paint is the fill attribute for fill: a pattern reference gets the
// writer's id suffix.
func (s *svgWriter) paint(fill string) string {
	if s.idSuffix != "" && strings.HasPrefix(fill, "url(#") && strings.HasSuffix(fill, ")") {
		return strings.TrimSuffix(fill, ")") + s.idSuffix + ")"
	}
	return fill
}

func (s *svgWriter) defs() {
	s.start("defs")
	for _, p := range []struct{ id, fill string }{{patternHole, fillHole}, {patternPadding, fillPadding}} {
		s.start("pattern", "id", p.id+s.idSuffix, "width", "8", "height", "8", "patternUnits", "userSpaceOnUse", "patternTransform", "rotate(45)")
		s.leaf("rect", "", "width", "8", "height", "8", "fill", p.fill)
		s.leaf("line", "", "x1", "0", "y1", "0", "x2", "0", "y2", "8", "stroke", "#ffffff", "stroke-width", "3", "stroke-opacity", "0.45")
		s.end("pattern")
	}
	s.end("defs")
}

func (s *svgWriter) legend() {
	x := svgLeft
	for _, e := range []struct{ fill, label string }{
		{memberFills[0], "member"}, {bitfieldFills[0], "bitfield"}, {patternURL(patternHole), "hole"},
		{fillBitHole, "bit hole"}, {patternURL(patternPadding), "padding"}, {"", "cache line"},
	} {
		if e.fill == "" {
			s.leaf("line", "", "x1", itoa(uint32(x)), "y1", "13", "x2", itoa(uint32(x+14)), "y2", "13", "stroke", colourCache, "stroke-width", "3", "stroke-dasharray", "4 2")
		} else {
			s.leaf("rect", "", "x", itoa(uint32(x)), "y", "6", "width", "14", "height", "14", "fill", s.paint(e.fill), "stroke", colourRowFrame, "stroke-width", "0.5")
		}
		s.leaf("text", e.label, "x", itoa(uint32(x+20)), "y", "17", "fill", colourText)
		x += 20 + int(float64(len(e.label))*svgCharW) + 22
	}
}

// segments lists what to draw for l: its members (the members of
// anonymous structs in place of those), holes, bit holes and padding.
func segments(l *Layout) []segment {
	var segs []segment
	n, nb := 0, 0
	var add func(l *Layout, lane int)
	add = func(l *Layout, lane int) {
		for i, m := range l.Members {
			ln := lane
			if l.Kind == "union" && l.Base == 0 && lane == 0 {
				ln = i
			}
			if m.Nested != nil && m.Nested.Kind == "struct" && m.Name == "" {
				add(m.Nested, ln)
				continue
			}
			seg := segment{start: m.BitOffset, end: m.bitEnd(), lane: ln, label: memberName(m),
				title: fmt.Sprintf("%s: offset %s, size %s", m.Decl, offsetText(m), sizeText(m))}
			if m.Nested != nil {
				seg.label = m.Nested.Kind + " {…} " + m.Name
				seg.title = fmt.Sprintf("%s {…} %s: offset %d, size %d", m.Nested.Kind, m.Name, m.Offset(), m.Size)
			}
			if m.IsBitfield() {
				seg.fill = bitfieldFills[nb%len(bitfieldFills)]
				nb++
			} else {
				seg.fill = memberFills[n%len(memberFills)]
				n++
			}
			segs = append(segs, seg)
		}
	}
	add(l, 0)
	a := &l.Analysis
	for _, h := range a.Holes {
		segs = append(segs, segment{start: 8 * h.Offset, end: 8 * (h.Offset + h.Size), fill: patternURL(patternHole), light: true,
			label: fmt.Sprintf("hole %d", h.Size), title: fmt.Sprintf("hole: %d byte%s at %d", h.Size, plural(h.Size), h.Offset)})
	}
	for _, h := range a.BitHoles {
		segs = append(segs, segment{start: h.Offset, end: h.Offset + h.Size, fill: fillBitHole,
			label: fmt.Sprintf("%db", h.Size), title: fmt.Sprintf("bit hole: %d bit%s at %d:%d", h.Size, plural(h.Size), h.Offset/8, h.Offset%8)})
	}
	end := 8 * l.Size
	if a.Padding > 0 {
		segs = append(segs, segment{start: end - 8*a.Padding, end: end, fill: patternURL(patternPadding),
			label: fmt.Sprintf("padding %d", a.Padding), title: fmt.Sprintf("tail padding: %d byte%s", a.Padding, plural(a.Padding))})
	}
	if a.BitPadding > 0 {
		s := end - 8*a.Padding - a.BitPadding
		segs = append(segs, segment{start: s, end: s + a.BitPadding, fill: fillPadding,
			label: fmt.Sprintf("%db", a.BitPadding), title: fmt.Sprintf("bit padding: %d bit%s", a.BitPadding, plural(a.BitPadding))})
	}
	return segs
}

func offsetText(m *Member) string {
	if m.IsBitfield() {
		return fmt.Sprintf("%d:%d", m.Offset(), m.BitOffset%8)
	}
	return itoa(m.Offset())
}

func sizeText(m *Member) string {
	if m.IsBitfield() {
		return fmt.Sprintf("%d bit%s", m.BitSize, plural(m.BitSize))
	}
	return fmt.Sprintf("%d byte%s", m.Size, plural(m.Size))
}

func (s *svgWriter) layout(l *Layout, row uint32) {
	a := &l.Analysis
	s.leaf("text", fmt.Sprintf("%s — %d bytes, %d member%s", tag(l), l.Size, len(l.Members), plural(uint32(len(l.Members)))),
		"x", itoa(svgLeft), "y", "18", "font-weight", "bold", "font-size", "14", "fill", colourText)
	top := svgTitleH
	nrows := rows(l, row)
	cell := float64(svgBytesW) / float64(row)
	lanes := 1
	if l.Kind == "union" {
		lanes = max(len(l.Members), 1)
	}
	// Byte numbers within a row, above the first.
	for b := uint32(0); b < row; b++ {
		s.leaf("text", "+"+itoa(b), "x", ftoa(float64(svgLeft)+(float64(b)+0.5)*cell), "y", itoa(uint32(top-4)),
			"text-anchor", "middle", "fill", colourRowFrame, "font-size", "9")
	}
	// Row frames and offsets.
	for r := uint32(0); r < nrows; r++ {
		y := top + int(r)*svgRowH
		s.leaf("text", itoa(r*row), "x", itoa(svgLeft-8), "y", itoa(uint32(y+svgRowH/2+4)), "text-anchor", "end", "fill", colourRowFrame)
		rowBytes := min(row, l.Size-min(l.Size, r*row))
		s.leaf("rect", "", "x", itoa(svgLeft), "y", itoa(uint32(y)), "width", ftoa(cell*float64(rowBytes)), "height", itoa(svgRowH),
			"fill", "#f4f4f4", "stroke", colourRowFrame, "stroke-width", "0.5")
	}
	for _, seg := range segments(l) {
		for bit := seg.start; bit < seg.end; {
			r := bit / (8 * row)
			rowEnd := (r + 1) * 8 * row
			end := min(seg.end, rowEnd)
			x := float64(svgLeft) + float64(bit-r*8*row)/8*cell
			w := float64(end-bit) / 8 * cell
			laneH := float64(svgRowH) / float64(lanes)
			y := float64(top) + float64(r)*svgRowH + float64(seg.lane%lanes)*laneH
			s.start("g")
			s.leaf("title", seg.title)
			s.leaf("rect", "", "x", ftoa(x), "y", ftoa(y), "width", ftoa(w), "height", ftoa(laneH),
				"fill", s.paint(seg.fill), "stroke", colourGrid, "stroke-width", "1")
			if label := fit(seg.label, w); label != "" && laneH >= 14 {
				ty := y + laneH/2 + 4
				if laneH >= 32 {
					ty = y + laneH/2 - 2
				}
				text, sub := colourText, colourRowFrame
				if seg.light {
					text, sub = "#ffffff", "#ffffff"
				}
				s.leaf("text", label, "x", ftoa(x+w/2), "y", ftoa(ty), "text-anchor", "middle", "fill", text, "font-weight", "bold")
				if laneH >= 32 && bit == seg.start {
					if off := fit(offsetLabel(seg), w); off != "" {
						s.leaf("text", off, "x", ftoa(x+w/2), "y", ftoa(ty+13), "text-anchor", "middle", "fill", sub, "font-size", "10")
					}
				}
			}
			s.end("g")
			bit = end
		}
	}
	// A tick per byte at the bottom of each row.
	for r := uint32(0); r < nrows; r++ {
		y := top + int(r+1)*svgRowH
		for b := uint32(1); b < row && r*row+b < l.Size; b++ {
			x := float64(svgLeft) + float64(b)*cell
			s.leaf("line", "", "x1", ftoa(x), "y1", itoa(uint32(y-5)), "x2", ftoa(x), "y2", itoa(uint32(y)), "stroke", colourRowFrame, "stroke-width", "1")
		}
	}
	// Cache-line boundaries.
	if line := a.CacheLineSize; line > 0 {
		for k := line; k < l.Size; k += line {
			r := k / row
			y := top + int(r)*svgRowH
			x := float64(svgLeft) + float64(k%row)*cell
			if k%row == 0 {
				s.leaf("line", "", "x1", itoa(svgLeft-30), "y1", itoa(uint32(y)), "x2", itoa(svgLeft+svgBytesW+8), "y2", itoa(uint32(y)),
					"stroke", colourCache, "stroke-width", "3", "stroke-dasharray", "6 3")
			} else {
				s.leaf("line", "", "x1", ftoa(x), "y1", itoa(uint32(y-4)), "x2", ftoa(x), "y2", itoa(uint32(y+svgRowH+4)),
					"stroke", colourCache, "stroke-width", "3", "stroke-dasharray", "6 3")
			}
			s.leaf("text", fmt.Sprintf("cacheline %d (%d)", k/line, k), "x", itoa(svgLeft+svgBytesW+12), "y", itoa(uint32(y+4)), "fill", colourCache)
		}
	}
	footer := fmt.Sprintf("holes: %d (%d bytes)  bit holes: %d (%d bits)  padding: %d bytes  cachelines: %d",
		len(a.Holes), a.HoleBytes(), len(a.BitHoles), a.BitHoleBits(), a.Padding, a.CacheLines)
	if sg := l.Suggestion; sg != nil && sg.Better {
		footer += fmt.Sprintf("  —  reordered: %d bytes", sg.Layout.Size)
	}
	s.leaf("text", footer, "x", itoa(svgLeft), "y", itoa(uint32(top+int(nrows)*svgRowH+20)), "fill", colourText)
}

func offsetLabel(seg segment) string {
	if seg.start%8 != 0 {
		return fmt.Sprintf("@%d:%d", seg.start/8, seg.start%8)
	}
	return "@" + itoa(seg.start/8)
}

// fit returns label, shortened with "…" to fit width pixels, or "".
func fit(label string, width float64) string {
	room := int((width - 4) / svgCharW)
	r := []rune(label)
	switch {
	case len(r) <= room:
		return label
	case room >= 3:
		return string(r[:room-1]) + "…"
	}
	return ""
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
