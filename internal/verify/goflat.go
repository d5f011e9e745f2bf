package verify

import (
	"fmt"
	"go/types"
)

// The Go side of a comparison: a Go type flattened, on one GOARCH, into
// leaves in offset order. Blank fields (`_`) are leaves too, marked
// blank: they are holes on purpose, and a C member under one is dropped.

// goLeaf is one Go value of the flattened type.
type goLeaf struct {
	off, end int64
	class    Class
	blank    bool
	// path names the leaf from the type: "Key.Addr[2]".
	path string
	// gotype spells the leaf's Go type, for messages.
	gotype string
	// field is the field of the paired type the leaf lies in (its
	// position is where a mismatch is reported); nil for a type that is
	// not a struct.
	field *types.Var
}

// goFlattener flattens one Go type on one GOARCH.
type goFlattener struct {
	sizes types.Sizes
	out   []goLeaf
	depth int
}

// flattenGo returns the leaves of t, and the final field of t if t is a
// struct that ends in a zero-size field (Go pads after it).
func flattenGo(t types.Type, sizes types.Sizes) (leaves []goLeaf, zeroTail *types.Var, err error) {
	f := &goFlattener{sizes: sizes}
	if err := f.walk(t, 0, "", nil, false); err != nil {
		return nil, nil, err
	}
	if st, ok := t.Underlying().(*types.Struct); ok && st.NumFields() > 0 {
		last := st.Field(st.NumFields() - 1)
		if sizes.Sizeof(last.Type()) == 0 {
			zeroTail = last
		}
	}
	return f.out, zeroTail, nil
}

func (f *goFlattener) walk(t types.Type, off int64, path string, field *types.Var, blank bool) error {
	if f.depth > maxDepth {
		return fmt.Errorf("%s: nested more than %d levels deep", path, maxDepth)
	}
	if len(f.out) > maxItems {
		return errTooLarge
	}
	size := f.sizes.Sizeof(t)
	if size == 0 {
		return nil
	}
	if blank {
		f.out = append(f.out, goLeaf{off: off, end: off + size, blank: true, path: path, gotype: typeString(t), field: field})
		return nil
	}
	f.depth++
	defer func() { f.depth-- }()
	switch u := t.Underlying().(type) {
	case *types.Struct:
		fields := make([]*types.Var, u.NumFields())
		for i := range fields {
			fields[i] = u.Field(i)
		}
		offsets := f.sizes.Offsetsof(fields)
		for i, fv := range fields {
			fl := field
			if fl == nil {
				fl = fv
			}
			if err := f.walk(fv.Type(), off+offsets[i], joinPath(path, fv.Name()), fl, fv.Name() == "_"); err != nil {
				return err
			}
		}
		return nil
	case *types.Array:
		if isByte(u.Elem()) {
			f.out = append(f.out, goLeaf{off: off, end: off + size, class: ClassBytes, path: path, gotype: typeString(t), field: field})
			return nil
		}
		esize := f.sizes.Sizeof(u.Elem())
		for i := range u.Len() {
			if err := f.walk(u.Elem(), off+i*esize, fmt.Sprintf("%s[%d]", path, i), field, false); err != nil {
				return err
			}
		}
		return nil
	}
	f.out = append(f.out, goLeaf{off: off, end: off + size, class: classOf(t), path: path, gotype: typeString(t), field: field})
	return nil
}

// isByte reports whether t is byte (uint8) itself, not a named type:
// arrays of it are opaque storage.
func isByte(t types.Type) bool {
	b, ok := types.Unalias(t).(*types.Basic)
	return ok && b.Kind() == types.Uint8
}

// classOf is the class of a Go type that is neither struct nor array.
func classOf(t types.Type) Class {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		info := u.Info()
		switch {
		case u.Kind() == types.Uintptr || u.Kind() == types.UnsafePointer:
			return ClassPointer
		case info&types.IsBoolean != 0:
			return ClassBool
		case info&types.IsInteger != 0 && info&types.IsUnsigned != 0:
			return ClassUnsigned
		case info&types.IsInteger != 0:
			return ClassSigned
		case info&types.IsFloat != 0:
			return ClassFloat
		}
	case *types.Pointer:
		return ClassPointer
	}
	return ClassOther
}

// typeString spells t relative to its own package: "uint32",
// "templates.Bool", "FlowKey".
func typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}
