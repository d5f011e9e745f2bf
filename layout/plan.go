// Package layout computes the C layout of BTF types and a plan for Go types
// that reproduce it byte for byte on every Go target.
//
// The rules, stated once here and tested per target:
//
//   - Offsets and sizes come from BTF, never from a host C compiler.
//   - Every hole and the tail become explicit padding, so no Go target
//     inserts padding of its own.
//   - A member becomes a plain Go field only if its offset and the
//     enclosing composite's size are multiples of its Go alignment on every
//     target (the 64-bit alignment, the largest) and no other member
//     shares its bytes. Otherwise (packed or unaligned members, bitfields,
//     union members) its bytes become opaque storage reached through
//     accessors.
//   - Zero-size members (flexible arrays, [0]T, empty structs) never become
//     fields: Go pads a struct that ends in one. They get accessors.
//
// BTF is input, so planning it is bounded whatever it holds (limits.go):
// typedef and qualifier chains, nesting depth and sizes (MaxSize) are
// limited, and a type that contains itself is an error naming it, never a
// loop or a stack overflow.
//
// Package layout does no I/O and writes no Go source; package gen turns a
// plan into code.
package layout

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf/btf"
)

// DeclKind says what a generated declaration is.
type DeclKind int

const (
	DeclStruct DeclKind = iota
	DeclUnion
	DeclEnum
)

// Decl is a Go type declaration the generated file needs: one per BTF
// struct, union or enum reached.
type Decl struct {
	Kind DeclKind
	// Type is the *btf.Struct, *btf.Union or *btf.Enum declared.
	Type btf.Type
	// CName is the C tag name; empty for anonymous types.
	CName string
	// Hint names an anonymous type by where it was found: a typedef name,
	// or the names of the enclosing type and member.
	Hint []string
	// Composite is the plan of a struct or union.
	Composite *Composite
	// Enum is the plan of an enum.
	Enum *Enum
}

func (k DeclKind) String() string {
	return [...]string{"struct", "union", "enum"}[k]
}

// Key describes the declaration in C terms, for messages and tests.
func (d *Decl) Key() string {
	if d.CName != "" {
		return d.Kind.String() + " " + d.CName
	}
	return fmt.Sprintf("%s (anonymous, %v)", d.Kind, d.Hint)
}

// Planner plans Go types for BTF types. It shares one Decl per BTF type
// and records declarations in the order they are first reached, which is
// deterministic for a deterministic walk.
type Planner struct {
	decls map[btf.Type]*Decl
	order []*Decl
	// depth is how deep planning has descended into the type asked for
	// (goType calls and anonymous members under way), at most maxDepth.
	depth int
	// aligns memoizes C alignments.
	aligns aligner
}

// NewPlanner returns an empty planner.
func NewPlanner() *Planner {
	return &Planner{decls: make(map[btf.Type]*Decl), aligns: make(aligner)}
}

// Decls returns every declaration planned so far, in the order reached.
func (p *Planner) Decls() []*Decl { return p.order }

// GoType returns the Go representation of t, planning the declarations it
// needs. hint names t if it is an anonymous struct, union or enum.
func (p *Planner) GoType(t btf.Type, hint ...string) (*GoType, error) {
	return p.goType(t, hint)
}

// Decl plans and returns the declaration of a struct, union or enum, or
// of the anonymous one a typedef names.
func (p *Planner) Decl(t btf.Type, hint ...string) (*Decl, error) {
	g, err := p.goType(t, hint)
	if err != nil {
		return nil, err
	}
	if g.Kind != GoNamed {
		return nil, fmt.Errorf("%s is not a struct, union or enum", CType(t))
	}
	return g.Decl, nil
}

// ErrUnsupported is wrapped by errors about C types mapgen cannot represent.
var ErrUnsupported = errors.New("unsupported type")

func (p *Planner) goType(t btf.Type, hint []string) (*GoType, error) {
	if p.depth >= maxDepth {
		return nil, &depthError{CType(t)}
	}
	p.depth++
	defer func() { p.depth-- }()

	t, err := resolve(t, false)
	if err != nil {
		return nil, err
	}
	switch t := t.(type) {
	case *btf.Typedef:
		target, err := resolve(t, true)
		if err != nil {
			return nil, err
		}
		if isAnonymous(target) {
			// typedef struct { ... } name_t: the typedef names the type.
			return p.goType(target, []string{t.Name})
		}
		return p.goType(t.Type, hint)
	case *btf.Int:
		if t.Encoding&btf.Bool != 0 && t.Size == 1 {
			return &GoType{Kind: GoBool, Size: 1, Align: 1}, nil
		}
		if isChar(t) {
			g := basic("byte", 1, false)
			g.Char = true
			return g, nil
		}
		g, err := intType(t.Size, t.Encoding&btf.Signed != 0)
		if err != nil {
			return nil, fmt.Errorf("int %q: %w: %w", t.Name, ErrUnsupported, err)
		}
		return g, nil
	case *btf.Float:
		switch t.Size {
		case 4:
			return basic("float32", 4, true), nil
		case 8:
			return basic("float64", 8, true), nil
		}
		if t.Size > MaxSize {
			return nil, fmt.Errorf("float %q: %w", t.Name, sizeError(uint64(t.Size)))
		}
		return &GoType{Kind: GoBytes, Size: t.Size, Align: 1}, nil
	case *btf.Pointer:
		return &GoType{Kind: GoPointer, Size: 8, Align: 8}, nil
	case *btf.Array:
		elem, err := p.goType(t.Type, hint)
		if err != nil {
			return nil, err
		}
		// In 64 bits: clang writes element counts whose product wraps.
		size := uint64(t.Nelems) * uint64(elem.Size)
		if size > MaxSize {
			return nil, fmt.Errorf("%s: %w", CType(t), sizeError(size))
		}
		return &GoType{Kind: GoArray, Len: t.Nelems, Elem: elem,
			Size: uint32(size), Align: elem.Align, Char: elem.Char}, nil
	case *btf.Struct, *btf.Union, *btf.Enum:
		d, err := p.declare(t, hint)
		if err != nil {
			return nil, err
		}
		g := &GoType{Kind: GoNamed, Decl: d}
		switch {
		case d.Composite != nil:
			g.Size, g.Align = d.Composite.Size, d.Composite.GoAlign
		case d.Enum != nil:
			g.Size, g.Align, g.Signed = d.Enum.Size, d.Enum.Size, d.Enum.Signed
		}
		return g, nil
	case *btf.Fwd:
		return nil, fmt.Errorf("%s %q is only declared, not defined: %w", t.Kind, t.Name, ErrUnsupported)
	}
	return nil, fmt.Errorf("%s: %w", CType(t), ErrUnsupported)
}

// declare plans the declaration of a struct, union or enum once.
func (p *Planner) declare(t btf.Type, hint []string) (*Decl, error) {
	if d, ok := p.decls[t]; ok {
		if d.Composite == nil && d.Enum == nil {
			return nil, fmt.Errorf("%s contains itself: %w", d.Key(), ErrUnsupported)
		}
		return d, nil
	}
	d := &Decl{Type: t, CName: t.TypeName()}
	if d.CName == "" {
		d.Hint = append([]string(nil), hint...)
	}
	p.decls[t] = d
	var err error
	switch t := t.(type) {
	case *btf.Struct:
		d.Kind = DeclStruct
		d.Composite, err = p.composite(t.Size, t.Members, false, d)
	case *btf.Union:
		d.Kind = DeclUnion
		d.Composite, err = p.composite(t.Size, t.Members, true, d)
	case *btf.Enum:
		d.Kind = DeclEnum
		d.Enum, err = planEnum(t)
	}
	if err != nil {
		delete(p.decls, t)
		if !p.addContext(err) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", d.Key(), err)
	}
	p.order = append(p.order, d)
	return d, nil
}

// declName is the name hint for types nested in d.
func declName(d *Decl) []string {
	if d.CName != "" {
		return []string{d.CName}
	}
	return d.Hint
}

func isAnonymous(t btf.Type) bool {
	switch t.(type) {
	case *btf.Struct, *btf.Union, *btf.Enum:
		return t.TypeName() == ""
	}
	return false
}
