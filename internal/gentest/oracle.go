package gentest

import (
	"fmt"
	"go/types"
	"slices"
	"sync"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/gen"
	"github.com/mapgen/mapgen/layout"
)

// The layout oracle: a generated package, type-checked for a GOARCH
// (TypeCheck), is compared with BTF, type by type and member by member.
// The C side is computed here from BTF alone (not through package
// layout's plan), so a planning bug cannot hide itself.

// cMember is a named C member with its place in the outermost composite,
// computed from BTF alone.
type cMember struct {
	name    string
	typ     btf.Type
	bitOff  uint32
	bitSize uint32 // 0 unless a bitfield
	size    uint32 // btf.Sizeof(typ)
}

// byteRange is [start, end) of the bytes the member occupies.
func (m cMember) byteRange() (uint32, uint32) {
	if m.bitSize > 0 {
		return m.bitOff / 8, (m.bitOff + m.bitSize + 7) / 8
	}
	return m.bitOff / 8, m.bitOff/8 + m.size
}

// isPlainBitfield: a "bitfield" as wide as its type at a byte offset is an
// ordinary member.
func (m cMember) isPlainBitfield() bool {
	return m.bitSize == 8*m.size && m.bitOff%8 == 0
}

// cMembers walks members, descending into anonymous structs and unions,
// and appends every named member with its offset from the outermost type.
func cMembers(members []btf.Member, base uint32, out []cMember) ([]cMember, error) {
	for _, m := range members {
		off := base + uint32(m.Offset)
		if m.Name == "" {
			switch u := btf.UnderlyingType(m.Type).(type) {
			case *btf.Struct:
				var err error
				if out, err = cMembers(u.Members, off, out); err != nil {
					return nil, err
				}
			case *btf.Union:
				var err error
				if out, err = cMembers(u.Members, off, out); err != nil {
					return nil, err
				}
			}
			continue // unnamed bitfield: padding
		}
		size, err := btf.Sizeof(m.Type)
		if err != nil {
			return nil, fmt.Errorf("member %s: %w", m.Name, err)
		}
		out = append(out, cMember{name: m.Name, typ: m.Type, bitOff: off, bitSize: uint32(m.BitfieldSize), size: uint32(size)})
	}
	return out, nil
}

// Oracle checks the generated Go types of one package on one GOARCH
// against their C types (gen.TypeInfo), member by member.
type Oracle struct {
	Arch  string
	Pkg   *types.Package
	Sizes types.Sizes
	// Limit is how many errors are kept in detail.
	Limit int

	mu       sync.Mutex
	errs     []string
	nerrs    int
	Types    int // types checked
	Passed   int // types without error
	Members  int // members checked
	failedTy map[string]bool
}

// Errors are the errors kept in detail.
func (o *Oracle) Errors() []string { return o.errs }

// NumErrors counts every error found.
func (o *Oracle) NumErrors() int { return o.nerrs }

// Failed reports whether the Go type typ had an error.
func (o *Oracle) Failed(typ string) bool { return o.failedTy[typ] }

func (o *Oracle) errorf(typ, format string, args ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.nerrs++
	if o.failedTy == nil {
		o.failedTy = make(map[string]bool)
	}
	o.failedTy[typ] = true
	if len(o.errs) < o.Limit {
		o.errs = append(o.errs, fmt.Sprintf("GOARCH=%s: type %s: %s", o.Arch, typ, fmt.Sprintf(format, args...)))
	}
}

// Report fails tb with the errors found.
func (o *Oracle) Report(tb testing.TB) {
	tb.Helper()
	for _, e := range o.errs {
		tb.Error(e)
	}
	if o.nerrs > len(o.errs) {
		tb.Errorf("GOARCH=%s: %d more errors in %d types", o.Arch, o.nerrs-len(o.errs), len(o.failedTy))
	}
}

// Check compares the Go type ti.Name with its C type ti.C.
func (o *Oracle) Check(ti *gen.TypeInfo) {
	o.Types++
	before := o.nerrs
	defer func() {
		if o.nerrs == before {
			o.Passed++
		}
	}()
	sizes := o.Sizes
	obj, ok := o.Pkg.Scope().Lookup(ti.Name).(*types.TypeName)
	if !ok {
		o.errorf(ti.Name, "not declared as a type in the generated package")
		return
	}
	named := obj.Type()
	switch c := ti.C.(type) {
	case *btf.Enum:
		basic, ok := named.Underlying().(*types.Basic)
		if !ok || basic.Info()&types.IsInteger == 0 {
			o.errorf(ti.Name, "enum is %s, not an integer type", named.Underlying())
			return
		}
		if got := sizes.Sizeof(named); got != int64(c.Size) {
			o.errorf(ti.Name, "enum size %d, BTF %d", got, c.Size)
		}
		if signed := basic.Info()&types.IsUnsigned == 0; signed != c.Signed {
			o.errorf(ti.Name, "enum signed=%v, BTF signed=%v", signed, c.Signed)
		}
		return
	case *btf.Struct:
		o.checkComposite(ti, named, c.Size, c.Members)
	case *btf.Union:
		o.checkComposite(ti, named, c.Size, c.Members)
	default:
		o.errorf(ti.Name, "TypeInfo.C is %T", ti.C)
	}
}

func (o *Oracle) checkComposite(ti *gen.TypeInfo, named types.Type, size uint32, members []btf.Member) {
	sizes := o.Sizes
	st, ok := named.Underlying().(*types.Struct)
	if !ok {
		o.errorf(ti.Name, "is %s, not a struct", named.Underlying())
		return
	}
	if got := sizes.Sizeof(named); got != int64(size) {
		o.errorf(ti.Name, "Go size %d, BTF size %d", got, size)
	}

	// The Go fields: in order, without any padding Go inserts itself.
	fields := make([]*types.Var, st.NumFields())
	for i := range fields {
		fields[i] = st.Field(i)
	}
	offsets := sizes.Offsetsof(fields)
	type goField struct {
		off, size int64
		typ       types.Type
	}
	byName := make(map[string]goField)
	var cursor int64
	for i, f := range fields {
		fs := sizes.Sizeof(f.Type())
		if offsets[i] != cursor {
			o.errorf(ti.Name, "field %s at offset %d, previous field ends at %d (Go inserted padding)", f.Name(), offsets[i], cursor)
		}
		cursor = offsets[i] + fs
		if f.Name() != "_" {
			byName[f.Name()] = goField{offsets[i], fs, f.Type()}
		}
	}
	if cursor != int64(size) {
		o.errorf(ti.Name, "fields end at %d, BTF size %d (Go tail padding or missing bytes)", cursor, size)
	}

	cms, err := cMembers(members, 0, nil)
	if err != nil {
		o.errorf(ti.Name, "walking BTF: %v", err)
		return
	}
	mset := types.NewMethodSet(types.NewPointer(named))
	method := func(name string) *types.Signature {
		sel := mset.Lookup(o.Pkg, name)
		if sel == nil {
			return nil
		}
		return sel.Type().(*types.Signature)
	}
	used := make(map[string]bool)
	seen := make(map[string]bool)
	for _, cm := range cms {
		o.Members++
		seen[cm.name] = true
		mi, ok := ti.Members[cm.name]
		if !ok {
			o.errorf(ti.Name, "C member %s is missing from TypeInfo.Members (dropped)", cm.name)
			continue
		}
		start, end := cm.byteRange()
		if mi.Field != "" {
			used[mi.Field] = true
		}
		switch mi.Access {
		case layout.AccessField:
			if cm.bitSize > 0 && !cm.isPlainBitfield() {
				o.errorf(ti.Name, "member %s: a %d-bit bitfield at bit %d is a plain field %s", cm.name, cm.bitSize, cm.bitOff, mi.Field)
			}
			if cm.bitOff%8 != 0 {
				o.errorf(ti.Name, "member %s: plain field at bit offset %d", cm.name, cm.bitOff)
			}
			gf, ok := byName[mi.Field]
			if !ok {
				o.errorf(ti.Name, "member %s: Go field %q does not exist", cm.name, mi.Field)
				continue
			}
			if gf.off != int64(start) {
				o.errorf(ti.Name, "member %s: field %s at Go offset %d, BTF offset %d", cm.name, mi.Field, gf.off, start)
			}
			if gf.size != int64(cm.size) {
				o.errorf(ti.Name, "member %s: field %s has Go size %d, BTF size %d", cm.name, mi.Field, gf.size, cm.size)
			}
			if mi.Accessor != "" && method(mi.Accessor) == nil {
				o.errorf(ti.Name, "member %s: accessor %s does not exist", cm.name, mi.Accessor)
			}
		case layout.AccessBits, layout.AccessCopy:
			if mi.Access == layout.AccessCopy && cm.bitSize > 0 && !cm.isPlainBitfield() {
				o.errorf(ti.Name, "member %s: a %d-bit bitfield has a copy accessor", cm.name, cm.bitSize)
			}
			gf, ok := byName[mi.Field]
			if !ok {
				o.errorf(ti.Name, "member %s: storage field %q does not exist", cm.name, mi.Field)
			} else if gf.off > int64(start) || gf.off+gf.size < int64(end) {
				o.errorf(ti.Name, "member %s: storage %s covers [%d, %d), member needs [%d, %d)", cm.name, mi.Field, gf.off, gf.off+gf.size, start, end)
			}
			sig := method(mi.Accessor)
			if sig == nil {
				o.errorf(ti.Name, "member %s: accessor %q does not exist on *%s", cm.name, mi.Accessor, ti.Name)
				continue
			}
			if sig.Params().Len() != 0 || sig.Results().Len() != 1 {
				o.errorf(ti.Name, "member %s: accessor %s has signature %s", cm.name, mi.Accessor, sig)
				continue
			}
			if got := sizes.Sizeof(sig.Results().At(0).Type()); got != int64(cm.size) {
				o.errorf(ti.Name, "member %s: accessor %s returns %s (%d bytes), BTF size %d", cm.name, mi.Accessor, sig.Results().At(0).Type(), got, cm.size)
			}
			if set := method(mi.Setter); set == nil || set.Params().Len() != 1 || !types.Identical(set.Params().At(0).Type(), sig.Results().At(0).Type()) {
				o.errorf(ti.Name, "member %s: no setter %q taking what %s returns", cm.name, mi.Setter, mi.Accessor)
			}
		case layout.AccessZero:
			if end != start {
				o.errorf(ti.Name, "member %s: %d bytes, but reached as zero-size", cm.name, end-start)
			}
			sig := method(mi.Accessor)
			if sig == nil {
				o.errorf(ti.Name, "member %s: accessor %q does not exist on *%s", cm.name, mi.Accessor, ti.Name)
				continue
			}
			// A flexible array's accessor returns a slice of its elements.
			if arr, ok := btf.UnderlyingType(cm.typ).(*btf.Array); ok && sig.Results().Len() == 1 {
				if sl, ok := sig.Results().At(0).Type().(*types.Slice); ok {
					want, _ := btf.Sizeof(arr.Type)
					if got := sizes.Sizeof(sl.Elem()); got != int64(want) {
						o.errorf(ti.Name, "member %s: accessor %s returns elements of %d bytes, BTF %d", cm.name, mi.Accessor, got, want)
					}
				}
			}
		default:
			o.errorf(ti.Name, "member %s: unknown access %v", cm.name, mi.Access)
		}
	}
	for name := range ti.Members {
		if !seen[name] {
			o.errorf(ti.Name, "TypeInfo.Members has %q, which is no named C member", name)
		}
	}
	var unaccounted []string
	for name := range byName {
		if !used[name] {
			unaccounted = append(unaccounted, name)
		}
	}
	if len(unaccounted) > 0 {
		slices.Sort(unaccounted)
		o.errorf(ti.Name, "Go fields %v hold no C member", unaccounted)
	}
}
