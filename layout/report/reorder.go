package report

import (
	"cmp"
	"fmt"
	"slices"
)

// Suggestion is a member order for a struct that removes avoidable holes.
type Suggestion struct {
	// Better is true when Layout is smaller than the original or has
	// fewer hole bytes; Reason then says nothing.
	Better bool
	// Reason says why there is no better order (Better false): the
	// members fill the type already, no order found is better, or the
	// declaration cannot be inferred from BTF.
	Reason string
	// Layout is the struct with its members in the suggested order,
	// analysed; nil when the declaration cannot be inferred.
	Layout *Layout
	decl   *declComposite
	order  []*declMember
}

// A block is members that move together: one member, or a run of
// consecutive bitfields (reordering bitfields apart would change which
// bits share storage, and what code relying on that expects).
type block struct {
	members []*declMember
	align   uint32
	bits    uint32
}

// suggest finds a better member order for the struct l.
func suggest(l *Layout, cacheLine uint32) *Suggestion {
	dc, err := infer(l, 0)
	if err != nil {
		return &Suggestion{Reason: "cannot infer the declaration from BTF: " + err.Error()}
	}
	blocks, tail := blocksOf(dc)
	candidates := [][]*block{
		blocks,
		sortedBlocks(blocks, func(a, b *block) int { return cmp.Compare(b.align, a.align) }),
		sortedBlocks(blocks, func(a, b *block) int {
			return cmp.Or(cmp.Compare(b.align, a.align), cmp.Compare(b.bits, a.bits))
		}),
		bestFit(dc, blocks),
	}
	var best *Suggestion
	for _, c := range candidates {
		order := flatten(c, tail)
		s := &Suggestion{decl: dc, order: order, Layout: reordered(dc, order, cacheLine)}
		if best == nil || s.Layout.lessWasteful(best.Layout) {
			best = s
		}
	}
	orig := l.Analysis
	got := best.Layout
	best.Better = got.Size < l.Size || got.Analysis.HoleBytes() < orig.HoleBytes()
	if !best.Better {
		best.Reason = "no member order found with fewer holes or a smaller size"
		if orig.HoleBytes() == 0 && orig.BitHoleBits() == 0 {
			// The members touch: any order has their sum as its
			// content, rounded up to the same alignment.
			best.Reason = "no improvement possible: no holes"
			switch {
			case dc.tailPadBytes > 0:
				best.Reason += fmt.Sprintf(", and unnamed bitfields reserve %d bytes at the end", dc.tailPadBytes)
			case orig.Padding > 0:
				best.Reason += fmt.Sprintf(", and the %d bytes of tail padding round the size up to the alignment (%d)", orig.Padding, dc.align())
			}
		}
	}
	return best
}

// lessWasteful orders candidate layouts: smaller size, then fewer hole
// bytes, then fewer bit-hole bits.
func (l *Layout) lessWasteful(o *Layout) bool {
	return cmp.Or(
		cmp.Compare(l.Size, o.Size),
		cmp.Compare(l.Analysis.HoleBytes(), o.Analysis.HoleBytes()),
		cmp.Compare(l.Analysis.BitHoleBits(), o.Analysis.BitHoleBits()),
	) < 0
}

// blocksOf splits the members of dc into blocks in declaration order, and
// returns the zero-size members apart: they stay at the end, where a
// flexible array member must be.
func blocksOf(dc *declComposite) (blocks []*block, tail []*declMember) {
	for _, dm := range dc.members {
		if !dm.m.IsBitfield() && dm.m.Size == 0 {
			tail = append(tail, dm)
			continue
		}
		n := len(blocks)
		if dm.m.IsBitfield() && n > 0 && blocks[n-1].members[0].m.IsBitfield() {
			b := blocks[n-1]
			b.members = append(b.members, dm)
			b.bits += dm.m.BitSize
			if !dc.packed {
				b.align = max(b.align, dm.m.Align)
			}
			continue
		}
		b := &block{members: []*declMember{dm}}
		if dm.m.IsBitfield() {
			b.bits, b.align = dm.m.BitSize, 1
			if !dc.packed {
				b.align = dm.m.Align
			}
		} else {
			b.bits, b.align = 8*dm.m.Size, dm.align(dc.packed)
		}
		blocks = append(blocks, b)
	}
	return blocks, tail
}

func sortedBlocks(blocks []*block, cmp func(a, b *block) int) []*block {
	out := slices.Clone(blocks)
	slices.SortStableFunc(out, cmp)
	return out
}

// bestFit places at each step the block that needs the least padding
// where the previous one ended, the most aligned and largest first among
// equals.
func bestFit(dc *declComposite, blocks []*block) []*block {
	left := slices.Clone(blocks)
	var out []*block
	p := placer{packed: dc.packed}
	for len(left) > 0 {
		bestI, bestWaste := -1, uint32(0)
		for i, b := range left {
			try := p
			start := try.add(b.members[0])
			waste := start - p.bit
			better := bestI < 0 || waste < bestWaste ||
				waste == bestWaste && cmp.Or(cmp.Compare(b.align, left[bestI].align), cmp.Compare(b.bits, left[bestI].bits)) > 0
			if better {
				bestI, bestWaste = i, waste
			}
		}
		b := left[bestI]
		for _, dm := range b.members {
			p.add(dm)
		}
		out = append(out, b)
		left = slices.Delete(left, bestI, bestI+1)
	}
	return out
}

func flatten(blocks []*block, tail []*declMember) []*declMember {
	var out []*declMember
	for _, b := range blocks {
		out = append(out, b.members...)
	}
	return append(out, tail...)
}

// reordered is the analysed layout of dc's struct with its members in
// order, placed by the C rules.
func reordered(dc *declComposite, order []*declMember, cacheLine uint32) *Layout {
	orig := dc.l
	l := &Layout{Kind: orig.Kind, Name: orig.Name, Type: orig.Type, Align: orig.Align}
	p := placer{packed: dc.packed}
	for _, dm := range order {
		at := p.add(dm)
		m := *dm.m
		delta := int64(at) - int64(dm.m.BitOffset-8*orig.Base)
		m.BitOffset = at
		if m.Nested != nil {
			m.Nested = shifted(m.Nested, delta/8)
		}
		l.Members = append(l.Members, &m)
	}
	if dc.tailPadBytes > 0 {
		p.bit = p.padBytes(p.bit, dc.tailPadBytes)
	}
	l.Size = p.size(dc.alignAttr)
	l.analyse(cacheLine)
	return l
}

// shifted copies an anonymous member's layout moved by delta bytes.
func shifted(l *Layout, delta int64) *Layout {
	c := *l
	c.Base = uint32(int64(l.Base) + delta)
	c.Members = nil
	for _, m := range l.Members {
		mc := *m
		mc.BitOffset = uint32(int64(m.BitOffset) + 8*delta)
		if mc.Nested != nil {
			mc.Nested = shifted(mc.Nested, delta)
		}
		c.Members = append(c.Members, &mc)
	}
	return &c
}
