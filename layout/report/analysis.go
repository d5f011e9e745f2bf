package report

import (
	"slices"
)

// Analysis is where a struct or union wastes space.
//
// Every bit of the type that no member uses is exactly one of: a byte hole
// (whole unused bytes before the last used byte), a bit hole (unused bits
// in a byte a member partly uses, or inside the storage unit of a bitfield,
// as pahole counts them), tail padding (whole unused bytes after the last
// used byte) or bit padding (unused bits after the last used bit, inside
// its byte or bitfield storage unit). Holes inside anonymous struct and
// union members belong to the type around them and are included, marked
// with the member they are in, where no other member uses the bits: a bit
// inside a union is unused only if no arm uses it, and is counted once, in
// the first arm leaving it unused. A named struct member is opaque (its own
// report shows its holes).
type Analysis struct {
	// Holes are the byte holes, by offset.
	Holes []Hole
	// BitHoles are the bit holes, by offset.
	BitHoles []Hole
	// Padding is the tail padding in bytes; BitPadding the unused bits
	// before it (see Analysis).
	Padding    uint32
	BitPadding uint32
	// MemberBytes is the sum of the sizes of the members that are not
	// bitfields; BitfieldBits the sum of the widths of the bitfields
	// (direct members only, as pahole's "sum members").
	MemberBytes  uint32
	BitfieldBits uint32
	// CacheLineSize is the cache-line size the report uses; CacheLines
	// how many lines the type touches from an aligned start, LastLine
	// how many bytes of the last one it uses.
	CacheLineSize uint32
	CacheLines    uint32
	LastLine      uint32
}

// Hole is a run of unused bytes or bits.
type Hole struct {
	// Offset is in bytes for a byte hole, in bits for a bit hole, from
	// the start of the outermost type.
	Offset uint32
	// Size is in bytes for a byte hole, in bits for a bit hole.
	Size uint32
	// In is the path of anonymous members the hole is in ("" for the
	// type itself): "(anonymous struct at 16)".
	In string
}

// HoleBytes is the sum of the byte holes.
func (a *Analysis) HoleBytes() uint32 { return sumHoles(a.Holes) }

// BitHoleBits is the sum of the bit holes.
func (a *Analysis) BitHoleBits() uint32 { return sumHoles(a.BitHoles) }

func sumHoles(hs []Hole) uint32 {
	var n uint32
	for _, h := range hs {
		n += h.Size
	}
	return n
}

// interval is [start, end) in bits.
type interval struct{ start, end uint32 }

// analyse fills in l.Analysis, and that of the anonymous members in it.
func (l *Layout) analyse(cacheLine uint32) {
	a := &l.Analysis
	*a = Analysis{CacheLineSize: cacheLine}
	if l.Size > 0 {
		a.CacheLines = (l.Size + cacheLine - 1) / cacheLine
		a.LastLine = l.Size - (a.CacheLines-1)*cacheLine
	}
	lo, hi := 8*l.Base, 8*(l.Base+l.Size)
	var used []interval
	// last is the end of the last used bit; a zero-size member (a
	// flexible array) marks its offset as used, so that the bytes before
	// it are a hole, as pahole counts them, not tail padding.
	last := lo
	// endsAt is the index of the last member (in declaration order)
	// ending at a bit.
	endsAt := make(map[uint32]int)
	// startsAt is the index of the first member starting at a bit; a
	// zero-size member there splits a hole in two, as pahole shows it.
	startsAt := make(map[uint32]int)
	var splits []uint32
	for i, m := range l.Members {
		if _, ok := startsAt[m.BitOffset]; !ok {
			startsAt[m.BitOffset] = i
		}
		if m.bitEnd() == m.BitOffset {
			splits = append(splits, m.BitOffset)
		}
		used = append(used, interval{m.BitOffset, m.bitEnd()})
		if m.IsBitfield() {
			a.BitfieldBits += m.BitSize
		} else {
			a.MemberBytes += m.Size
		}
		last = max(last, m.bitEnd())
		if m.bitEnd() > m.BitOffset {
			endsAt[m.bitEnd()] = i
		}
	}
	used = merge(used)
	gapStart := lo
	for _, u := range append(used, interval{hi, hi}) {
		if u.start > gapStart {
			// A gap is classified by the member it follows, as pahole
			// does: the rest of the storage units of a run of
			// bitfields is a bit hole (a later bitfield could use it),
			// whole bytes after anything else a byte hole.
			// The units of the run of bitfields that follows count
			// too: BTF leaves out unnamed padding bitfields (u32 :31)
			// before a bitfield.
			var units []interval
			if i, ok := endsAt[gapStart]; ok {
				units = runUnits(l.Members, i, lo, hi)
			}
			if i, ok := startsAt[u.start]; ok && u.start < hi {
				units = merge(append(units, runUnits(l.Members, i, lo, hi)...))
			}
			for _, gap := range split(interval{gapStart, u.start}, splits) {
				if gap.start < last {
					a.classify(interval{gap.start, min(gap.end, last)}, units, false)
				}
				if gap.end > last {
					a.classify(interval{max(gap.start, last), gap.end}, units, true)
				}
			}
		}
		gapStart = max(gapStart, u.end)
	}
	// The holes of anonymous members are holes of the type around them
	// only where no other member uses the bits: in a union, a byte one arm
	// leaves unused may be used by another arm, and a byte two arms leave
	// unused is one unused byte, reported once, in the first arm.
	leaves := make([][]interval, len(l.Members))
	for i, m := range l.Members {
		leaves[i] = m.usedBits()
	}
	var reported []interval
	for i, m := range l.Members {
		if m.Nested == nil {
			continue
		}
		m.Nested.analyse(cacheLine)
		covered := slices.Clone(reported)
		for j := range l.Members {
			if j != i {
				covered = append(covered, leaves[j]...)
			}
		}
		covered = merge(covered)
		in := nestedName(m)
		add := func(h interval, path string, bits bool) {
			for _, piece := range subtract(h, covered) {
				a.addNested(piece, path, bits)
				reported = append(reported, piece)
			}
		}
		na := &m.Nested.Analysis
		for _, h := range na.Holes {
			add(interval{8 * h.Offset, 8 * (h.Offset + h.Size)}, joinPath(in, h.In), false)
		}
		for _, h := range na.BitHoles {
			add(interval{h.Offset, h.Offset + h.Size}, joinPath(in, h.In), true)
		}
		// The tail of an anonymous member is a hole of the type around
		// it: the bytes are inside it, before its end.
		padEnd := 8 * (m.Offset() + m.Nested.Size)
		if p := na.Padding; p > 0 {
			add(interval{padEnd - 8*p, padEnd}, in, false)
		}
		if p := na.BitPadding; p > 0 {
			add(interval{padEnd - 8*na.Padding - p, padEnd - 8*na.Padding}, in, true)
		}
	}
	byOffset := func(x, y Hole) int { return int(x.Offset) - int(y.Offset) }
	slices.SortStableFunc(a.Holes, byOffset)
	slices.SortStableFunc(a.BitHoles, byOffset)
}

// addNested adds an unused run of bits found inside an anonymous member:
// a bit hole if it was one (bits), else a byte hole for its whole bytes and
// bit holes for the bits before and after them.
func (a *Analysis) addNested(iv interval, in string, bits bool) {
	if bits {
		a.BitHoles = append(a.BitHoles, Hole{iv.start, iv.end - iv.start, in})
		return
	}
	start, end := (iv.start+7)/8*8, iv.end/8*8
	if start >= end {
		a.BitHoles = append(a.BitHoles, Hole{iv.start, iv.end - iv.start, in})
		return
	}
	if start > iv.start {
		a.BitHoles = append(a.BitHoles, Hole{iv.start, start - iv.start, in})
	}
	a.Holes = append(a.Holes, Hole{start / 8, (end - start) / 8, in})
	if iv.end > end {
		a.BitHoles = append(a.BitHoles, Hole{end, iv.end - end, in})
	}
}

// usedBits is the bits the member uses: all of them for a member that is
// not an anonymous struct or union, those its members use for one.
func (m *Member) usedBits() []interval {
	if m.Nested == nil {
		return []interval{{m.BitOffset, m.bitEnd()}}
	}
	var used []interval
	for _, n := range m.Nested.Members {
		used = append(used, n.usedBits()...)
	}
	return merge(used)
}

// subtract returns the parts of iv that are in none of the sorted, disjoint
// intervals of cut.
func subtract(iv interval, cut []interval) []interval {
	var out []interval
	for _, c := range cut {
		if c.end <= iv.start || c.start >= iv.end {
			continue
		}
		if c.start > iv.start {
			out = append(out, interval{iv.start, c.start})
		}
		iv.start = max(iv.start, c.end)
	}
	if iv.end > iv.start {
		out = append(out, iv)
	}
	return out
}

func nestedName(m *Member) string {
	if m.Name != "" {
		return m.Name
	}
	return "(anonymous " + m.Nested.Kind + " at " + itoa(m.Offset()) + ")"
}

func joinPath(a, b string) string {
	if b == "" {
		return a
	}
	return a + "." + b
}

// split cuts iv at the byte-aligned points inside it.
func split(iv interval, points []uint32) []interval {
	var out []interval
	for _, p := range points {
		if p > iv.start && p < iv.end && p%8 == 0 {
			out = append(out, interval{iv.start, p})
			iv.start = p
		}
	}
	return append(out, iv)
}

// runUnits returns the storage units of the run of consecutive bitfields
// that members[i] belongs to, none if it is not a bitfield.
func runUnits(members []*Member, i int, lo, hi uint32) []interval {
	var units []interval
	for j := i; j >= 0 && members[j].IsBitfield(); j-- {
		units = append(units, storageUnit(members[j], lo, hi))
	}
	for j := i + 1; j < len(members) && members[j].IsBitfield() && len(units) > 0; j++ {
		units = append(units, storageUnit(members[j], lo, hi))
	}
	return merge(units)
}

// storageUnit is the bits of the storage unit a bitfield is allocated in:
// its type's size, aligned to its type's alignment, extended to cover the
// bitfield itself (a packed bitfield can cross it), within [lo, hi).
func storageUnit(m *Member, lo, hi uint32) interval {
	a := max(m.Align, 1)
	start := m.Offset() / a * a
	u := interval{8 * start, 8 * (start + m.Size)}
	u.start = max(min(u.start, m.BitOffset/8*8), lo)
	u.end = min(max(u.end, m.byteEnd()*8), hi)
	return u
}

// merge sorts intervals and joins those that overlap or touch.
func merge(in []interval) []interval {
	slices.SortFunc(in, func(x, y interval) int { return int(x.start) - int(y.start) })
	var out []interval
	for _, iv := range in {
		if iv.end <= iv.start {
			continue
		}
		if n := len(out); n > 0 && iv.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, iv.end)
			continue
		}
		out = append(out, iv)
	}
	return out
}

// classify splits an unused run of bits into bit holes and byte holes, or
// (tail) bit padding and tail padding.
func (a *Analysis) classify(gap interval, units []interval, tail bool) {
	nBytes, nBits := len(a.Holes), len(a.BitHoles)
	for pos := gap.start; pos < gap.end; {
		end, bits := gap.end, true
		if u, in := unitAt(units, pos); in {
			end = min(end, u.end)
		} else {
			next := nextUnit(units, pos)
			switch {
			case pos%8 != 0:
				end = min(end, (pos+7)/8*8, next)
			case min(gap.end/8*8, next) > pos:
				end, bits = min(gap.end/8*8, next), false
			}
		}
		switch {
		case tail && bits:
			a.BitPadding += end - pos
		case tail:
			a.Padding += (end - pos) / 8
		case bits:
			a.BitHoles = appendHole(a.BitHoles, nBits, pos, end-pos)
		default:
			a.Holes = appendHole(a.Holes, nBytes, pos/8, (end-pos)/8)
		}
		pos = end
	}
}

// appendHole adds a hole, joining it to the previous one if they touch and
// that one is at index from or later (added for the same gap).
func appendHole(hs []Hole, from int, off, size uint32) []Hole {
	if n := len(hs); n > from && hs[n-1].Offset+hs[n-1].Size == off {
		hs[n-1].Size += size
		return hs
	}
	return append(hs, Hole{Offset: off, Size: size})
}

func unitAt(units []interval, pos uint32) (interval, bool) {
	for _, u := range units {
		if u.start <= pos && pos < u.end {
			return u, true
		}
	}
	return interval{}, false
}

// nextUnit is the start of the first unit after pos, or the maximum.
func nextUnit(units []interval, pos uint32) uint32 {
	for _, u := range units {
		if u.start > pos {
			return u.start
		}
	}
	return ^uint32(0)
}
