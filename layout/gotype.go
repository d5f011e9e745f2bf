package layout

import (
	"fmt"

	"github.com/cilium/ebpf/btf"
)

// GoKind classifies the Go representation of a C type.
type GoKind int

const (
	// GoBasic is a predeclared Go type named by GoType.Name: int8 ...
	// uint64, byte, float32, float64.
	GoBasic GoKind = iota
	// GoPointer is a C pointer: 64 bits in BPF, a uint64 in Go, never a
	// Go pointer.
	GoPointer
	// GoBool is C _Bool, which memory written by the kernel may fill with
	// any byte: templates.Bool (a uint8), never Go's bool.
	GoBool
	// GoInt128 is C __int128 or unsigned __int128: templates.Int128 or
	// templates.Uint128, 16 bytes whose halves follow the byte order.
	GoInt128
	// GoBytes is storage without a better Go type ([Size]byte), for
	// example long double.
	GoBytes
	// GoArray is [Len]Elem.
	GoArray
	// GoNamed is a type declared by the generated file: a struct, union
	// or enum (Decl).
	GoNamed
)

// GoType is the Go representation of a C type.
type GoType struct {
	Kind GoKind
	// Name of a GoBasic type.
	Name string
	// Signed is true for signed integers (and signed enums, int128).
	Signed bool
	// Size in bytes; equal to the C size on every target.
	Size uint32
	// Align is Go's alignment on 64-bit targets, the largest of all
	// targets; 32-bit targets may align 64-bit members to 4.
	Align uint32
	// Len and Elem describe a GoArray.
	Len  uint32
	Elem *GoType
	// Decl is the declaration a GoNamed type refers to.
	Decl *Decl
	// Char is true for C char and char arrays (helpers read them as
	// strings).
	Char bool
}

// IsZeroSize reports whether the type occupies no bytes.
func (t *GoType) IsZeroSize() bool { return t.Size == 0 }

// String describes the type for error messages and tests, in Go syntax.
func (t *GoType) String() string {
	switch t.Kind {
	case GoBasic:
		return t.Name
	case GoPointer:
		return "uint64"
	case GoBool:
		return "templates.Bool"
	case GoInt128:
		if t.Signed {
			return "templates.Int128"
		}
		return "templates.Uint128"
	case GoBytes:
		return fmt.Sprintf("[%d]byte", t.Size)
	case GoArray:
		return fmt.Sprintf("[%d]%s", t.Len, t.Elem)
	case GoNamed:
		return t.Decl.Key()
	}
	return "?"
}

func basic(name string, size uint32, signed bool) *GoType {
	return &GoType{Kind: GoBasic, Name: name, Size: size, Align: size, Signed: signed}
}

// intType maps a C integer of size bytes to a Go integer type.
func intType(size uint32, signed bool) (*GoType, error) {
	switch size {
	case 1, 2, 4, 8:
		name := fmt.Sprintf("uint%d", size*8)
		if signed {
			name = name[1:]
		}
		return basic(name, size, signed), nil
	case 16:
		return &GoType{Kind: GoInt128, Size: 16, Align: 8, Signed: signed}, nil
	}
	return nil, fmt.Errorf("integer of %d bytes", size)
}

// Underlying strips qualifiers and typedefs. Past maxResolveDepth of them
// (a loop: a typedef naming itself; no valid BTF has more) it returns the
// typedef or qualifier where it stopped, which is neither a struct, union,
// enum nor scalar; Planner.GoType reports such a chain as an error.
func Underlying(t btf.Type) btf.Type {
	for range maxResolveDepth {
		if q, ok := qualified(t); ok {
			t = q
			continue
		}
		td, ok := t.(*btf.Typedef)
		if !ok {
			return t
		}
		t = td.Type
	}
	return t
}

// qualified returns the type a qualifier qualifies.
func qualified(t btf.Type) (btf.Type, bool) {
	switch q := t.(type) {
	case *btf.Const:
		return q.Type, true
	case *btf.Volatile:
		return q.Type, true
	case *btf.Restrict:
		return q.Type, true
	case *btf.TypeTag:
		return q.Type, true
	}
	return nil, false
}

// resolve is Underlying (typedefs true) or unqualified (false) with an
// error for a chain that does not end within maxResolveDepth: "typedef
// "a" refers to itself", or a chain too long for the kernel.
func resolve(t btf.Type, typedefs bool) (btf.Type, error) {
	var seen []btf.Type
	for range maxResolveDepth + 1 {
		next, ok := qualified(t)
		if td, isTypedef := t.(*btf.Typedef); !ok && isTypedef && typedefs {
			next, ok = td.Type, true
		}
		if !ok {
			return t, nil
		}
		for _, s := range seen {
			if s == t {
				return nil, fmt.Errorf("%s refers to itself", chainName(t))
			}
		}
		seen = append(seen, t)
		t = next
	}
	return nil, fmt.Errorf("%s: more than %d typedefs and qualifiers in a row", chainName(seen[0]), maxResolveDepth)
}

// chainName names a typedef or qualifier for resolve's errors.
func chainName(t btf.Type) string {
	switch t := t.(type) {
	case *btf.Typedef:
		return fmt.Sprintf("typedef %q", t.Name)
	case *btf.Const:
		return "const"
	case *btf.Volatile:
		return "volatile"
	case *btf.Restrict:
		return "restrict"
	case *btf.TypeTag:
		return fmt.Sprintf("type tag %q", t.Value)
	}
	return CType(t)
}

// isChar reports whether an integer is C char (not signed char or
// unsigned char, which are small integers).
func isChar(i *btf.Int) bool {
	return i.Size == 1 && (i.Encoding&btf.Char != 0 || i.Name == "char")
}
