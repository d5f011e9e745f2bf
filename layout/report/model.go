// Package report describes the C layout of BTF structs and unions the way a
// person reviews it: members with byte and bit offsets and sizes, holes,
// bit holes, tail padding and cache lines, and a member order that removes
// avoidable holes. It renders that report as text, JSON, SVG and HTML.
//
// Offsets and sizes come from BTF, never from a host C compiler: they are
// what the BPF target compiled. Everything BTF leaves out (alignment
// attributes, packed, zero-width bitfields) is inferred, and an inference is
// used only when replaying the declaration with the inferred attributes
// reproduces every offset of the original exactly (see infer.go).
package report

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/layout"
)

// Layout is the report of one struct or union, or of an anonymous struct
// or union member nested in one.
type Layout struct {
	// Kind is "struct" or "union".
	Kind string
	// Name is the C tag; empty for anonymous types.
	Name string
	// Typedef is the typedef that named an anonymous struct or union
	// asked for by it (typedef struct { ... } version_t), "" otherwise.
	Typedef string
	// Type is the BTF type (*btf.Struct or *btf.Union).
	Type btf.Type
	// Base is the byte offset of this type inside the outermost type
	// reported (0 for the outermost one); Members' offsets include it.
	Base uint32
	Size uint32
	// Align is the alignment of the type as BTF shows it: the largest
	// member alignment, 1 for a packed type.
	Align uint32
	// Members in declaration order.
	Members []*Member
	// Analysis is where this type wastes space.
	Analysis Analysis
	// Suggestion is a better member order; nil for unions and anonymous
	// members, whose order belongs to the type around them.
	Suggestion *Suggestion
}

// Member is one direct member of a struct or union.
type Member struct {
	// Name is the C member name; empty for an anonymous struct or union
	// (Nested is then set) and for an unnamed padding bitfield.
	Name string
	Type btf.Type
	// CType spells Type as C (layout.CType).
	CType string
	// Decl declares the member as C, "__u8 bytes[8]"; without the body
	// of an anonymous type, which Nested shows.
	Decl string
	// BitOffset is the offset in bits from the start of the outermost
	// type reported.
	BitOffset uint32
	// BitSize is the width of a bitfield, 0 for other members.
	BitSize uint32
	// Size is the size of Type in bytes: for a bitfield, the size of its
	// storage unit.
	Size uint32
	// Align is the alignment of Type on the BPF target.
	Align uint32
	// Nested is the report of an anonymous struct or union member.
	Nested *Layout
}

// Offset is the byte offset of the member (of the byte holding its first
// bit, for bitfields), from the start of the outermost type.
func (m *Member) Offset() uint32 { return m.BitOffset / 8 }

// IsBitfield reports whether the member is a bitfield.
func (m *Member) IsBitfield() bool { return m.BitSize > 0 }

// bitEnd is the bit after the member's last bit.
func (m *Member) bitEnd() uint32 {
	if m.IsBitfield() {
		return m.BitOffset + m.BitSize
	}
	return m.BitOffset + 8*m.Size
}

// byteEnd is the byte after the member's last byte.
func (m *Member) byteEnd() uint32 { return (m.bitEnd() + 7) / 8 }

// Options tune a report.
type Options struct {
	// CacheLine is the cache-line size in bytes (64 if 0).
	CacheLine uint32
}

func (o Options) cacheLine() uint32 {
	if o.CacheLine == 0 {
		return 64
	}
	return o.CacheLine
}

// ErrNotComposite is returned by New for a type that is not a struct or
// union (or a typedef of one).
var ErrNotComposite = errors.New("not a struct or union")

// New reports on t, a struct or union or a typedef naming one.
func New(t btf.Type, opts Options) (*Layout, error) {
	m := newModeler()
	l, err := m.composite(layout.Underlying(t), 0, 0)
	if err != nil {
		return nil, err
	}
	if td, ok := unqualified(t).(*btf.Typedef); ok && l.Name == "" {
		l.Typedef = td.Name
	}
	l.analyse(opts.cacheLine())
	if l.Kind == "struct" {
		l.Suggestion = suggest(l, opts.cacheLine())
	}
	return l, nil
}

// maxNesting bounds how deeply anonymous members nest and alignment is
// computed; BTF is input, so it must not set the depth of the Go stack.
const maxNesting = 256

// modeler builds layouts, memoizing alignments of the types it meets.
type modeler struct {
	aligns *layout.Alignments
}

func newModeler() *modeler { return &modeler{aligns: layout.NewAlignments()} }

// composite models the struct or union t placed at byte base of the
// outermost type.
func (md *modeler) composite(t btf.Type, base uint32, depth int) (*Layout, error) {
	if depth > maxNesting {
		return nil, fmt.Errorf("%s: anonymous members nested more than %d levels deep", layout.CType(t), maxNesting)
	}
	var (
		l       = &Layout{Type: t, Base: base}
		members []btf.Member
	)
	switch t := t.(type) {
	case *btf.Struct:
		l.Kind, l.Name, l.Size, members = "struct", t.Name, t.Size, t.Members
	case *btf.Union:
		l.Kind, l.Name, l.Size, members = "union", t.Name, t.Size, t.Members
	default:
		return nil, fmt.Errorf("%s: %w", layout.CType(t), ErrNotComposite)
	}
	if l.Size > layout.MaxSize {
		return nil, fmt.Errorf("%s: %d bytes exceed the limit of %d bytes", layout.CType(t), l.Size, layout.MaxSize)
	}
	l.Align = md.align(t)
	for _, bm := range members {
		name := bm.Name
		if name == "" {
			name = "(anonymous)"
		}
		rel := uint64(bm.Offset)
		if rel+uint64(bm.BitfieldSize) > 8*uint64(l.Size) {
			return nil, fmt.Errorf("%s: member %s: bit offset %d outside of %d-byte type", layout.CType(t), name, rel, l.Size)
		}
		size, err := btf.Sizeof(bm.Type)
		if err != nil {
			return nil, fmt.Errorf("%s: member %s: %w", layout.CType(t), name, err)
		}
		m := &Member{
			Name:      bm.Name,
			Type:      bm.Type,
			CType:     layout.CType(bm.Type),
			Decl:      memberDecl(bm.Type, bm.Name),
			BitOffset: 8*base + uint32(rel),
			BitSize:   uint32(bm.BitfieldSize),
			Size:      uint32(size),
			Align:     md.align(bm.Type),
		}
		if m.BitSize > 0 && m.BitSize == 8*m.Size && rel%8 == 0 {
			// clang marks a full-width member of a struct with
			// bitfields as one; it is an ordinary member.
			m.BitSize = 0
		}
		if m.BitSize > 8*m.Size {
			return nil, fmt.Errorf("%s: member %s: %d-bit bitfield of a %d-byte type", layout.CType(t), name, m.BitSize, m.Size)
		}
		if m.BitSize == 0 && (rel%8 != 0 || rel/8+uint64(m.Size) > uint64(l.Size)) {
			return nil, fmt.Errorf("%s: member %s: bytes [%d, %d) outside of %d-byte type or not at a whole byte", layout.CType(t), name, rel/8, rel/8+uint64(m.Size), l.Size)
		}
		if inner := nestable(bm); inner != nil {
			{
				if m.Nested, err = md.composite(inner, base+uint32(rel/8), depth+1); err != nil {
					return nil, fmt.Errorf("%s: %w", layout.CType(t), err)
				}
			}
		}
		l.Members = append(l.Members, m)
	}
	return l, nil
}

// align is the alignment of t on the BPF target, by layout's rule (BTF
// does not record it; see layout.Alignof).
func (md *modeler) align(t btf.Type) uint32 { return md.aligns.Of(t) }

// nestable returns the anonymous struct or union a member's report shows
// nested: that of an anonymous member (struct { ... };), or the type of a
// member declared with an anonymous struct or union (struct { ... } bits;).
func nestable(bm btf.Member) btf.Type {
	t := bm.Type
	if bm.Name == "" {
		t = layout.Underlying(t)
	}
	switch t := t.(type) {
	case *btf.Struct, *btf.Union:
		if t.TypeName() == "" {
			return t
		}
	}
	return nil
}

// unqualified strips const, volatile, restrict and type tags.
func unqualified(t btf.Type) btf.Type {
	for range maxNesting {
		switch q := t.(type) {
		case *btf.Const:
			t = q.Type
		case *btf.Volatile:
			t = q.Type
		case *btf.Restrict:
			t = q.Type
		case *btf.TypeTag:
			t = q.Type
		default:
			return t
		}
	}
	return t
}
