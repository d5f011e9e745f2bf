package report

import (
	"fmt"
)

// BTF keeps offsets, not the declaration that produced them: alignment
// attributes, packed and zero-width bitfields leave no trace but their
// effect. To print a member order as C that compiles to what it promises,
// the report infers them, and trusts the inference only when replaying the
// original declaration with the C placement rules (placer) reproduces every
// member offset and the size exactly.

// declComposite is a struct or union as C must declare it to reproduce its
// layout.
type declComposite struct {
	l      *Layout
	union  bool
	packed bool
	// alignAttr is __attribute__((aligned(N))) on the type, 0 if none.
	alignAttr uint32
	members   []*declMember
	// tailPadBytes is the number of unnamed `unsigned char :8` padding
	// bitfields after the last member (reserved space: `int :32;`).
	tailPadBytes uint32
}

// declMember is a member as C must declare it.
type declMember struct {
	m *Member
	// alignAttr is __attribute__((aligned(N))) on the member, 0 if none.
	alignAttr uint32
	// packedAttr is __attribute__((packed)) on the member.
	packedAttr bool
	// zeroBefore is the size of the type of an unnamed zero-width
	// bitfield (`unsigned int :0`) before the member, 0 if none.
	zeroBefore uint32
	// padBits is the width of an unnamed padding bitfield of the member's
	// type before it (`__u8 :2`), which BTF leaves out; 0 if none.
	padBits uint32
	// padBytes is the number of unnamed `unsigned char :8` padding
	// bitfields before a member that is not a bitfield (reserved bytes
	// such as `__u8 :8` between whole members), which BTF leaves out.
	padBytes uint32
	// nested declares an anonymous struct or union member.
	nested *declComposite
}

// align is the alignment the member imposes in a composite that is packed
// or not.
func (dm *declMember) align(packed bool) uint32 {
	a := dm.m.Align
	if dm.nested != nil {
		a = dm.nested.align()
	}
	if packed || dm.packedAttr {
		a = 1
	}
	return max(a, dm.alignAttr)
}

// align is the alignment of the declared composite.
func (dc *declComposite) align() uint32 {
	a := uint32(1)
	for _, dm := range dc.members {
		if dm.m.IsBitfield() {
			if !dc.packed {
				a = max(a, dm.m.Align)
			}
			continue
		}
		a = max(a, dm.align(dc.packed))
	}
	return max(a, dc.alignAttr)
}

// placer applies the C rules of the BPF target (the System V rules clang
// uses) to members added one by one.
type placer struct {
	union, packed bool
	// bit is the next free bit (of a struct), or the largest end (union).
	bit      uint32
	maxAlign uint32
}

// add places dm and returns its offset in bits.
func (p *placer) add(dm *declMember) uint32 {
	if p.maxAlign == 0 {
		p.maxAlign = 1
	}
	m := dm.m
	at := p.bit
	if p.union {
		at = 0
	}
	if dm.zeroBefore > 0 {
		at = alignUp(at, 8*dm.zeroBefore)
	}
	if m.IsBitfield() {
		if dm.padBits > 0 {
			at = p.bitfield(at, dm.padBits, m) + dm.padBits
		}
		at = p.bitfield(at, m.BitSize, m)
		p.bit = max(p.bit, at+m.BitSize)
		return at
	}
	if dm.padBytes > 0 && !p.union {
		at = p.padBytes(at, dm.padBytes)
	}
	a := dm.align(p.packed)
	at = alignUp(at, 8*a)
	p.maxAlign = max(p.maxAlign, a)
	p.bit = max(p.bit, at+8*m.Size)
	return at
}

// padBytes places n unnamed `unsigned char :8` bitfields from bit at and
// returns the bit after them: each starts a byte of its own unless the
// struct is packed.
func (p *placer) padBytes(at, n uint32) uint32 {
	if !p.packed {
		at = alignUp(at, 8)
	}
	return at + 8*n
}

// bitfield places a bitfield of width bits and m's type at bit at or
// later, and returns where.
func (p *placer) bitfield(at, bits uint32, m *Member) uint32 {
	if p.packed {
		return at
	}
	// A bitfield that would cross the end of an aligned unit of its type
	// starts the next one.
	a := max(m.Align, 1)
	if at%(8*a)+bits > 8*m.Size {
		at = alignUp(at, 8*a)
	}
	p.maxAlign = max(p.maxAlign, a)
	return at
}

// size is the size in bytes of the composite with what was added, given
// an aligned attribute on it (0 for none).
func (p *placer) size(alignAttr uint32) uint32 {
	return alignUp((p.bit+7)/8, max(p.maxAlign, alignAttr, 1))
}

func alignUp(n, a uint32) uint32 {
	if a <= 1 {
		return n
	}
	return (n + a - 1) / a * a
}

// maxAlignAttr bounds the aligned attributes inference tries.
const maxAlignAttr = 4096

// infer finds a declaration of l that reproduces its layout.
func infer(l *Layout, depth int) (*declComposite, error) {
	if depth > maxNesting {
		return nil, fmt.Errorf("nested too deeply")
	}
	var first error
	for _, packed := range []bool{false, true} {
		dc, err := inferAs(l, packed, depth)
		if err == nil {
			return dc, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}

func inferAs(l *Layout, packed bool, depth int) (*declComposite, error) {
	dc := &declComposite{l: l, union: l.Kind == "union", packed: packed}
	p := &placer{union: dc.union, packed: packed}
	base := 8 * l.Base
	for _, m := range l.Members {
		dm := &declMember{m: m}
		if m.Nested != nil {
			nested, err := infer(m.Nested, depth+1)
			if err != nil {
				return nil, fmt.Errorf("anonymous member at byte %d: %w", m.Offset(), err)
			}
			dm.nested = nested
		}
		want := m.BitOffset - base
		if !m.IsBitfield() && !packed && want/8%max(dm.align(false), 1) != 0 {
			dm.packedAttr = true
		}
		try := *p
		got := try.add(dm)
		if got < want && !dc.union {
			if m.IsBitfield() && !packed {
				for _, k := range []uint32{1, 2, 4, 8} {
					dm.zeroBefore = k
					try = *p
					if got = try.add(dm); got == want {
						break
					}
				}
				if got != want {
					dm.zeroBefore = 0
					dm.padBits = want - p.bit
					try = *p
					got = try.add(dm)
				}
				if got != want {
					dm.padBits = 0
				}
			} else if !m.IsBitfield() {
				for f := max(dm.align(packed), 1) * 2; f <= maxAlignAttr && got != want; f *= 2 {
					dm.alignAttr = f
					try = *p
					got = try.add(dm)
				}
				if got != want {
					dm.alignAttr = 0
					if (want-p.bit)%8 == 0 {
						dm.padBytes = (want - p.bit) / 8
					}
					try = *p
					got = try.add(dm)
				}
				if got != want {
					dm.padBytes = 0
				}
			}
		}
		if got != want {
			return nil, fmt.Errorf("member %s: at bit %d, where C would place it at bit %d", memberName(m), want, got)
		}
		*p = try
		dc.members = append(dc.members, dm)
	}
	if got := p.size(0); got != l.Size {
		for f := p.maxAlign * 2; f <= maxAlignAttr && got < l.Size; f *= 2 {
			if p.size(f) == l.Size {
				dc.alignAttr, got = f, l.Size
			}
		}
		if got < l.Size && !dc.union && p.bit%8 == 0 {
			try := *p
			try.bit = try.padBytes(try.bit, l.Size-p.bit/8)
			if try.size(0) == l.Size {
				dc.tailPadBytes, got = l.Size-p.bit/8, l.Size
			}
		}
		if got != l.Size {
			return nil, fmt.Errorf("size %d, where C would make it %d", l.Size, got)
		}
	}
	return dc, nil
}

func memberName(m *Member) string {
	if m.Name == "" {
		return "(anonymous)"
	}
	return m.Name
}
