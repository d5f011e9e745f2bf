package layout

import (
	"fmt"
	"slices"

	"github.com/cilium/ebpf/btf"
)

// Access says how Go code reaches a C member.
type Access int

const (
	// AccessField: the member is a plain Go field.
	AccessField Access = iota
	// AccessBits: a bitfield, read and written by accessors that extract
	// its bits from storage in the object's byte order.
	AccessBits
	// AccessCopy: whole bytes in storage shared with other members
	// (unions) or at an offset Go cannot align (packed): accessors copy
	// the member's bytes out of and into storage.
	AccessCopy
	// AccessZero: a zero-size member (flexible array, [0]T, empty struct)
	// that has no bytes of its own; an accessor addresses the memory at
	// its offset.
	AccessZero
)

func (a Access) String() string {
	return [...]string{"field", "bits", "copy", "zero"}[a]
}

// Composite is the plan of a C struct or union.
type Composite struct {
	// Size is the C size in bytes; the Go type has the same size.
	Size uint32
	// CAlign is the C alignment, inferred from BTF as libbpf does: the
	// largest member alignment, or 1 if any member or the size shows the
	// type is packed.
	CAlign uint32
	// GoAlign is the Go alignment on 64-bit targets: the largest
	// alignment of the plain Go fields, at most CAlign.
	GoAlign uint32
	Union   bool
	// Fields are the Go fields in offset order. They cover [0, Size)
	// without gaps or overlap.
	Fields []*Field
	// Members are the C members in declaration order, members of
	// anonymous structs and unions in place of those.
	Members []*Member
}

// FieldKind says what a Go field holds.
type FieldKind int

const (
	// FieldMember holds one C member as a plain Go field.
	FieldMember FieldKind = iota
	// FieldStorage holds bytes of members reached through accessors.
	FieldStorage
	// FieldPad is a hole or tail padding: `_ [N]byte`.
	FieldPad
)

// Field is one Go field of a composite.
type Field struct {
	Kind   FieldKind
	Offset uint32
	Size   uint32
	// Member is the C member a FieldMember holds.
	Member *Member
	// Members are the C members stored in a FieldStorage.
	Members []*Member
}

// Member is a named C member, found directly in the composite or inside
// its anonymous struct and union members.
type Member struct {
	// Name is the C member name, never empty.
	Name string
	// Type is the BTF type as declared (typedefs kept).
	Type btf.Type
	// Go is the Go representation of Type.
	Go *GoType
	// BitOffset is the offset from the start of the composite in bits.
	BitOffset uint32
	// BitSize is the width of a bitfield, 0 otherwise.
	BitSize uint32
	// Anonymous counts the anonymous structs and unions around the member
	// inside the composite.
	Anonymous int
	Access    Access
	// Field is the Go field holding the member; nil for AccessZero.
	Field *Field
}

// Offset is the byte offset of the member (of the byte holding its first
// bit, for bitfields).
func (m *Member) Offset() uint32 { return m.BitOffset / 8 }

// ByteRange returns the bytes [start, end) the member covers.
func (m *Member) ByteRange() (start, end uint32) {
	if m.BitSize > 0 {
		return m.BitOffset / 8, (m.BitOffset + m.BitSize + 7) / 8
	}
	return m.BitOffset / 8, m.BitOffset/8 + m.Go.Size
}

// composite plans a struct (union false) or union of the given size.
func (p *Planner) composite(size uint32, members []btf.Member, union bool, d *Decl) (*Composite, error) {
	if size > MaxSize {
		return nil, sizeError(uint64(size))
	}
	c := &Composite{Size: size, Union: union}
	f := flattener{p: p, c: c, seen: make(map[btf.Type]bool)}
	if err := f.flatten(members, 0, []btf.Type{d.Type}, declName(d)); err != nil {
		return nil, err
	}
	c.CAlign = p.aligns.composite(size, members, 0)
	for _, m := range c.Members {
		if start, end := m.ByteRange(); end > size || end < start {
			return nil, fmt.Errorf("member %q: bytes [%d, %d) outside of %d-byte type", m.Name, start, end, size)
		}
	}
	c.place()
	return c, nil
}

// flattener collects the named members of one composite.
type flattener struct {
	p *Planner
	c *Composite
	// seen are the anonymous structs and unions flattened so far. One
	// appearing twice would declare its member names twice, which C
	// forbids; refusing it also keeps BTF that shares anonymous types
	// from multiplying members exponentially with nesting.
	seen map[btf.Type]bool
}

// flatten appends the named members of members, whose composite starts at
// bit base, descending into anonymous structs and unions. open are the
// composite and the anonymous members around members, outermost first.
func (f *flattener) flatten(members []btf.Member, base uint64, open []btf.Type, hint []string) error {
	c := f.c
	for _, bm := range members {
		// In 64 bits: base and offset are each below 2^32, their sum may
		// not be. Within 8*MaxSize, a bit offset fits in uint32.
		off := base + uint64(bm.Offset)
		if off > 8*uint64(c.Size) {
			return fmt.Errorf("member %q: bit offset %d outside of %d-byte type", bm.Name, off, c.Size)
		}
		if bm.Name == "" {
			inner, err := resolve(bm.Type, true)
			if err != nil {
				return fmt.Errorf("anonymous member at byte %d: %w", off/8, err)
			}
			var innerMembers []btf.Member
			switch inner := inner.(type) {
			case *btf.Struct:
				innerMembers = inner.Members
			case *btf.Union:
				innerMembers = inner.Members
			default:
				// Anything else unnamed is a padding bitfield (int :3).
				continue
			}
			switch {
			case slices.Contains(open, inner):
				return fmt.Errorf("anonymous member at byte %d: %s contains itself", off/8, CType(inner))
			case f.seen[inner]:
				return fmt.Errorf("anonymous member at byte %d: %s appears twice, declaring its members twice", off/8, CType(inner))
			case f.p.depth >= maxDepth:
				return fmt.Errorf("anonymous member at byte %d: %w", off/8, &depthError{CType(inner)})
			}
			f.seen[inner] = true
			f.p.depth++
			err = f.flatten(innerMembers, off, append(open, inner), hint)
			f.p.depth--
			if err != nil {
				return err
			}
			continue
		}
		g, err := f.p.goType(bm.Type, append(slices.Clip(hint), bm.Name))
		if err != nil {
			if !f.p.addContext(err) {
				return err
			}
			return fmt.Errorf("member %q: %w", bm.Name, err)
		}
		m := &Member{Name: bm.Name, Type: bm.Type, Go: g, BitOffset: uint32(off), Anonymous: len(open) - 1}
		if bm.BitfieldSize > 0 && g.Char {
			// A char bitfield holds a small number, not text: int8 or
			// uint8, as BTF says char is, whatever its width and place
			// (a full-width one at a whole byte is a plain field of
			// that type, not a byte).
			i, _ := Underlying(bm.Type).(*btf.Int)
			m.Go = basic("uint8", 1, false)
			if i != nil && i.Encoding&btf.Signed != 0 {
				m.Go = basic("int8", 1, true)
			}
		}
		if bits := uint32(bm.BitfieldSize); bits > 0 && !(bits == g.Size*8 && off%8 == 0) {
			if !isBitfieldType(g) {
				return fmt.Errorf("member %q: bitfield of %s: %w", bm.Name, CType(bm.Type), ErrUnsupported)
			}
			if bits > g.Size*8 {
				return fmt.Errorf("member %q: %d-bit bitfield of a %d-byte type", bm.Name, bits, g.Size)
			}
			m.BitSize = bits
		} else if off%8 != 0 {
			return fmt.Errorf("member %q: bit offset %d is not a whole byte", bm.Name, off)
		}
		c.Members = append(c.Members, m)
	}
	return nil
}

// isBitfieldType reports whether BTF can declare a bitfield of g: every
// integer (char of any signedness and __int128 included), _Bool and enums
// of any size.
func isBitfieldType(g *GoType) bool {
	switch g.Kind {
	case GoBasic:
		return g.Name != "float32" && g.Name != "float64"
	case GoBool, GoInt128:
		return true
	case GoNamed:
		return g.Decl.Enum != nil
	}
	return false
}

// place decides the Go field of each member and fills holes with padding.
func (c *Composite) place() {
	// Members sharing bytes form groups; a group of one well-aligned
	// member becomes a plain field, any other group opaque storage.
	var sized []*Member
	for _, m := range c.Members {
		if start, end := m.ByteRange(); end == start {
			m.Access = AccessZero
			continue
		}
		sized = append(sized, m)
	}
	slices.SortStableFunc(sized, func(a, b *Member) int {
		as, _ := a.ByteRange()
		bs, _ := b.ByteRange()
		return int(as) - int(bs)
	})

	var cursor uint32
	c.GoAlign = 1
	for i := 0; i < len(sized); {
		start, end := sized[i].ByteRange()
		j := i + 1
		for ; j < len(sized); j++ {
			s, e := sized[j].ByteRange()
			if s >= end {
				break
			}
			end = max(end, e)
		}
		group := sized[i:j]
		i = j

		if start > cursor {
			c.Fields = append(c.Fields, &Field{Kind: FieldPad, Offset: cursor, Size: start - cursor})
		}
		cursor = end
		f := &Field{Offset: start, Size: end - start}
		c.Fields = append(c.Fields, f)
		if m := group[0]; len(group) == 1 && m.BitSize == 0 && c.fits(m) {
			f.Kind, f.Member = FieldMember, m
			m.Access, m.Field = AccessField, f
			c.GoAlign = max(c.GoAlign, m.Go.Align)
			continue
		}
		f.Kind = FieldStorage
		for _, m := range group {
			m.Access, m.Field = AccessCopy, f
			if m.BitSize > 0 {
				m.Access = AccessBits
			}
			f.Members = append(f.Members, m)
		}
	}
	if c.Size > cursor {
		c.Fields = append(c.Fields, &Field{Kind: FieldPad, Offset: cursor, Size: c.Size - cursor})
	}
}

// fits reports whether m can be a plain Go field: Go places it at its C
// offset on every target, and its alignment does not make Go round the
// composite's size up.
func (c *Composite) fits(m *Member) bool {
	a := m.Go.Align
	return m.Offset()%a == 0 && c.Size%a == 0
}

// aligner computes C alignments, memoizing them: a type reached many
// times (a DAG of shared types) is walked once.
type aligner map[btf.Type]uint32

// of is the C alignment of t, found depth levels below the type asked for.
func (a aligner) of(t btf.Type, depth int) uint32 {
	t = Underlying(t)
	if v, ok := a[t]; ok {
		return v
	}
	if depth > maxDepth {
		// Only a type that contains itself nests this deep; the
		// planner refuses it.
		return 1
	}
	// A type that contains itself finds this entry when it reaches
	// itself, instead of recursing forever.
	a[t] = 1
	var v uint32
	switch t := t.(type) {
	case *btf.Int:
		// __int128 has alignment 16 on the BPF target (clang's data
		// layout; _Alignof says so too), where libbpf's btf__align_of
		// caps every integer at the pointer size.
		v = min(max(t.Size, 1), 16)
	case *btf.Enum:
		v = min(max(t.Size, 1), 8)
	case *btf.Float:
		v = min(max(t.Size, 1), 8)
	case *btf.Pointer:
		v = 8
	case *btf.Array:
		v = a.of(t.Type, depth+1)
	case *btf.Struct:
		v = a.composite(t.Size, t.Members, depth+1)
	case *btf.Union:
		v = a.composite(t.Size, t.Members, depth+1)
	default:
		v = 1
	}
	a[t] = v
	return v
}

// composite infers the C alignment of a composite from BTF the way libbpf
// does: BTF does not record alignment, but a packed type shows itself by a
// member or a size that its natural alignment would not allow.
func (a aligner) composite(size uint32, members []btf.Member, depth int) uint32 {
	maxAlign := uint32(1)
	for _, m := range members {
		al := a.of(m.Type, depth)
		maxAlign = max(maxAlign, al)
		if m.BitfieldSize == 0 && uint64(m.Offset)%(8*uint64(al)) != 0 {
			return 1
		}
	}
	if size%maxAlign != 0 {
		return 1
	}
	return maxAlign
}

// Alignof returns the C alignment of t on the BPF target as BTF shows it
// (see aligner.composite for structs and unions). A type that contains
// itself, which no C type does, gets alignment 1; Planner.GoType refuses it.
func Alignof(t btf.Type) uint32 {
	return make(aligner).of(t, 0)
}

// Alignments is Alignof for many types, remembering what it found: a type
// reached many times (a DAG of shared types) is walked once. Other
// packages that need C alignments (layout/report) use it, so the rule is
// stated once, here.
type Alignments struct{ a aligner }

// NewAlignments returns an empty Alignments.
func NewAlignments() *Alignments { return &Alignments{a: make(aligner)} }

// Of returns the C alignment of t on the BPF target, as Alignof does.
func (al *Alignments) Of(t btf.Type) uint32 { return al.a.of(t, 0) }
