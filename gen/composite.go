package gen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/mapgen/mapgen/layout"
)

// memberNames are the Go identifiers of one C member.
type memberNames struct {
	// name is the field, or the getter of a member reached by accessors.
	name string
	// set is the setter of a member reached by accessors.
	set string
	// str is the string helper of a char array member.
	str string
}

// typeNames are the Go names of one composite's fields and methods.
type typeNames struct {
	members map[*layout.Member]*memberNames
	// scope holds them all, for further methods (Apply).
	scope *scope
}

// membersOf names the fields and methods of a composite once; emission and
// literals (of every array element) share the result.
func (g *generator) membersOf(d *layout.Decl) *typeNames {
	if tn, ok := g.memberNames[d]; ok {
		return tn
	}
	if g.memberNames == nil {
		g.memberNames = make(map[*layout.Decl]*typeNames)
	}
	tn := nameMembers(d.Composite)
	g.memberNames[d] = tn
	return tn
}

// nameMembers names the fields and methods of one composite. The names
// mapgen invents come first (names.go): the Raw storage fields, the Set
// accessors and the String helpers, all derived from the C member names.
// Then each member gets the name its C name yields, or a positional name
// (Field3) where it yields none; a name already taken gets a suffix.
func nameMembers(c *layout.Composite) *typeNames {
	s := newScope()
	base := make(map[*layout.Member]string, len(c.Members))
	for i, m := range c.Members {
		if base[m] = goName(m.Name); base[m] == "" {
			base[m] = "Field" + strconv.Itoa(i)
		}
	}
	for _, f := range c.Fields {
		if f.Kind == layout.FieldStorage {
			s.taken[storageName(f)] = true
		}
	}
	for _, m := range c.Members {
		if hasSetter(m) {
			s.taken["Set"+base[m]] = true
		}
		if hasString(m) {
			s.taken[base[m]+"String"] = true
		}
	}
	names := make(map[*layout.Member]*memberNames, len(c.Members))
	nameEach(s, len(c.Members), func(i int) string { return goName(c.Members[i].Name) },
		func(i int) string { return "Field" + strconv.Itoa(i) },
		func(i int, name string) { names[c.Members[i]] = &memberNames{name: name} })
	for _, m := range c.Members {
		n := names[m]
		// A member that kept its name has its accessors reserved above;
		// one that got a suffix gets accessors named after the suffixed
		// name.
		if hasSetter(m) {
			n.set = "Set" + n.name
			if n.name != base[m] {
				n.set = s.name(n.set)
			}
		}
		if hasString(m) {
			n.str = n.name + "String"
			if n.name != base[m] {
				n.str = s.name(n.str)
			}
		}
	}
	return &typeNames{members: names, scope: s}
}

// hasSetter reports whether a member gets a Set accessor: bitfields and
// members in shared or unaligned storage.
func hasSetter(m *layout.Member) bool {
	return m.Access == layout.AccessBits || m.Access == layout.AccessCopy
}

// hasString reports whether a member gets a String helper: char arrays
// with bytes of their own.
func hasString(m *layout.Member) bool {
	return isCharArray(m.Go) && m.Access != layout.AccessZero
}

func isCharArray(t *layout.GoType) bool {
	return t.Kind == layout.GoArray && t.Char && t.Elem.Kind == layout.GoBasic
}

// storageName names the field holding the bytes of members reached
// through accessors. It is exported, like every field, so that
// cilium/ebpf's encoding (which refuses unexported fields) copies the
// whole value, and so that == compares the members it holds.
func storageName(f *layout.Field) string {
	return fmt.Sprintf("Raw%d", f.Offset)
}

// emitCompositeAs is emitComposite with what the type is, for its doc
// comment (data sections are synthetic structs), and paragraphs to add to
// it.
func (g *generator) emitCompositeAs(d *layout.Decl, what string, paragraphs ...string) {
	c := d.Composite
	name := g.names[d]
	names := g.membersOf(d).members

	fields := []jen.Code{jen.Id("_").Qual("structs", "HostLayout")}
	for _, f := range c.Fields {
		switch f.Kind {
		case layout.FieldPad:
			fields = append(fields, jen.Id("_").Index(jen.Lit(int(f.Size))).Byte())
		case layout.FieldMember:
			m := f.Member
			fields = append(fields,
				comment("%s is %s.", names[m].name, memberDoc(m)),
				jen.Id(names[m].name).Add(g.typeCode(m.Go)))
		case layout.FieldStorage:
			var held []string
			for _, m := range f.Members {
				held = append(held, names[m].name)
			}
			fields = append(fields,
				comment("%s holds %s; use the methods of the same names.", storageName(f), strings.Join(held, ", ")),
				jen.Id(storageName(f)).Index(jen.Lit(int(f.Size))).Byte())
		}
	}

	g.docWrap("%s is %s: %s, C alignment %d.", name, what, bytesText(c.Size), c.CAlign)
	if c.Union {
		g.doc("")
		g.doc("Its members share storage; each has a getter and a setter.")
	}
	g.paragraphs(paragraphs...)
	g.f.Type().Id(name).Struct(fields...)

	info := &TypeInfo{Name: name, C: d.Type, Members: make(map[string]MemberInfo, len(c.Members))}
	for _, m := range c.Members {
		g.emitAccessors(name, m, names[m])
		mi := MemberInfo{Access: m.Access}
		switch {
		case m.Access == layout.AccessField:
			mi.Field = names[m].name
		case m.Field != nil:
			mi.Field, mi.Accessor, mi.Setter = storageName(m.Field), names[m].name, names[m].set
		default:
			mi.Accessor = names[m].name
		}
		info.Members[m.Name] = mi
	}
	g.types = append(g.types, info)
	g.emitLayoutProof(name, c, names)
}

// memberDoc describes a C member: name, C type, offset.
func memberDoc(m *layout.Member) string {
	var b strings.Builder
	fmt.Fprintf(&b, "the C member %s (%s) ", cName(m.Name), layout.CType(m.Type))
	if m.BitSize > 0 {
		first, last := m.BitOffset, m.BitOffset+m.BitSize-1
		if first/8 == last/8 {
			fmt.Fprintf(&b, "at bits %d..%d (byte %d)", first, last, first/8)
		} else {
			fmt.Fprintf(&b, "at bits %d..%d (bytes %d..%d)", first, last, first/8, last/8)
		}
	} else {
		fmt.Fprintf(&b, "at byte %d", m.Offset())
	}
	if m.Anonymous > 0 {
		b.WriteString(", in an anonymous struct or union")
	}
	return b.String()
}

// emitLayoutProof writes, with the file's other proofs at its end, a
// function that does not compile on any target where a size or a field
// offset differs from BTF. Each check is an array of length
// h(offset) - C's offset, of a local type h named after the type (X: type
// X_changed_in_C_rerun_mapgen uintptr), converted to a zero-length array.
// A negative length overflows h; a positive one does not convert. Either
// way the compiler's error quotes the expression, and with it the name
// that says what to do:
//
//	X_changed_in_C_rerun_mapgen(unsafe.Sizeof(v)) - 8 (constant -4 of uintptr type X_changed_in_C_rerun_mapgen) overflows uintptr
//	cannot convert [X_changed_in_C_rerun_mapgen(unsafe.Offsetof(v.B)) - 4]struct{}{} (value of type [4]struct{}) to type [0]struct{}
//
// The type checker computes sizes without memoizing them, and a struct's
// last field twice (go.dev/issue/65540): asking for the size or a field
// offset of a struct that nests structs by value costs time exponential in
// the depth of nesting (a chain of 24 structs, each ending with the next:
// 27 s). So where asking about the type itself would cost more than
// maxDirectProofCost, the proof goes through a stand-in: a conversion
// proves the type has exactly the fields listed (identity of named types
// is cheap), and the stand-in has the same fields in the same order,
// except that each member of a type declared in this file is bytes of its
// size preceded by a zero-length array of its type: same size and
// alignment on every target (that type has its own proof), and no nested
// size to compute. The cost is then linear in the size of the type.
func (g *generator) emitLayoutProof(name string, c *layout.Composite, names map[*layout.Member]*memberNames) {
	fieldName := func(f *layout.Field) string {
		if f.Kind == layout.FieldStorage {
			return storageName(f)
		}
		return names[f.Member].name
	}
	hint := proofHint(name)
	standIn := directProofCost(c) > maxDirectProofCost
	// of is what the checks ask about: the type, or its stand-in.
	of := jen.Id("v")
	checks := []jen.Code{jen.Type().Id(hint).Uintptr()}
	if !standIn {
		checks = append(checks, jen.Var().Id("v").Id(name))
	} else {
		exact := []jen.Code{jen.Id("_").Qual("structs", "HostLayout")}
		stand := []jen.Code{jen.Id("_").Qual("structs", "HostLayout")}
		for _, f := range c.Fields {
			switch {
			case f.Kind == layout.FieldPad:
				exact = append(exact, jen.Id("_").Index(jen.Lit(int(f.Size))).Byte())
				stand = append(stand, jen.Id("_").Index(jen.Lit(int(f.Size))).Byte())
			case f.Kind == layout.FieldStorage:
				exact = append(exact, jen.Id(fieldName(f)).Index(jen.Lit(int(f.Size))).Byte())
				stand = append(stand, jen.Id(fieldName(f)).Index(jen.Lit(int(f.Size))).Byte())
			case declaredElem(f.Member.Go) != nil:
				exact = append(exact, jen.Id(fieldName(f)).Add(g.typeCode(f.Member.Go)))
				stand = append(stand,
					jen.Id("_").Index(jen.Lit(0)).Add(g.typeCode(declaredElem(f.Member.Go))),
					jen.Id(fieldName(f)).Index(jen.Lit(int(f.Size))).Byte())
			default:
				exact = append(exact, jen.Id(fieldName(f)).Add(g.typeCode(f.Member.Go)))
				stand = append(stand, jen.Id(fieldName(f)).Add(g.typeCode(f.Member.Go)))
			}
		}
		checks = append(checks,
			jen.Id("_").Op("=").Struct(exact...).Call(jen.Id(name).Values()),
			jen.Var().Id("c").Struct(stand...))
		of = jen.Id("c")
	}
	// Assignments, not var declarations: go/printer formats the value of
	// a declaration twice (once to measure it), that of an assignment once.
	check := func(what *jen.Statement, want uint32) jen.Code {
		return jen.Id("_").Op("=").Index(jen.Lit(0)).Struct().Call(
			jen.Index(minus(jen.Id(hint).Call(what), want)).Struct().Values())
	}
	checks = append(checks, check(jen.Qual("unsafe", "Sizeof").Call(of.Clone()), c.Size))
	for _, f := range c.Fields {
		if f.Kind == layout.FieldPad {
			continue
		}
		checks = append(checks, check(jen.Qual("unsafe", "Offsetof").Call(of.Clone().Dot(fieldName(f))), f.Offset))
	}
	p := g.proofs
	for _, line := range wrapText(fmt.Sprintf("The compiler proves the layout of %s: this does not build where a size or offset differs from C; then re-run mapgen.", name), 76) {
		p.Comment(line)
	}
	if standIn {
		p.Comment("")
		for _, line := range wrapText(fmt.Sprintf("%s has exactly the fields it is converted to. c has them too, but members of types declared in this file are bytes aligned as their type, which has its own proof: asking about %s itself would make the compiler take time exponential in the depth of its nesting (go.dev/issue/65540).", name, name), 76) {
			p.Comment(line)
		}
	}
	p.Func().Id("_").Params().Block(checks...)
}

// proofHint names the local type of a layout proof: the compiler quotes it
// in the error of a failing check.
func proofHint(typeName string) string {
	return typeName + "_changed_in_C_rerun_mapgen"
}

// maxDirectProofCost bounds directProofCost for a proof that asks about
// the type itself: about 50 ms of type checking.
const maxDirectProofCost = 2_000_000

// directProofCost estimates the steps the type checker takes to check the
// proof of c asked about c itself: one Sizeof and one Offsetof per field,
// each of which lays out all of c's fields, recursively, as go/types'
// gcSizes does (Sizeof of a struct walks the alignment of every field,
// the size of every field, the size of the last field again and the
// alignment of the struct). Saturates instead of overflowing.
func directProofCost(c *layout.Composite) uint64 {
	m := proofCost{align: map[*layout.Composite]uint64{}, size: map[*layout.Composite]uint64{}}
	n := uint64(1)
	for _, f := range c.Fields {
		if f.Kind != layout.FieldPad {
			n++
		}
	}
	return mulSat(n, m.offsets(c))
}

type proofCost struct {
	align, size map[*layout.Composite]uint64
}

// fieldType is the Go type of a field; nil for bytes.
func fieldType(f *layout.Field) *layout.GoType {
	if f.Kind == layout.FieldMember {
		return f.Member.Go
	}
	return nil
}

func (p proofCost) alignOf(t *layout.GoType) uint64 {
	switch {
	case t == nil:
		return 3 // [N]byte
	case t.Kind == layout.GoArray:
		return addSat(1, p.alignOf(t.Elem))
	case t.Kind == layout.GoNamed && t.Decl.Composite != nil:
		return p.alignComposite(t.Decl.Composite)
	case t.Kind == layout.GoInt128:
		return 8 // a struct of two uint64
	}
	return 2
}

func (p proofCost) sizeOf(t *layout.GoType) uint64 {
	switch {
	case t == nil:
		return 2
	case t.Kind == layout.GoArray:
		return addSat(1, p.sizeOf(t.Elem))
	case t.Kind == layout.GoNamed && t.Decl.Composite != nil:
		return p.sizeComposite(t.Decl.Composite)
	case t.Kind == layout.GoInt128:
		return 20
	}
	return 1
}

func (p proofCost) alignComposite(c *layout.Composite) uint64 {
	if v, ok := p.align[c]; ok {
		return v
	}
	v := uint64(2) // the struct and its structs.HostLayout
	for _, f := range c.Fields {
		v = addSat(v, p.alignOf(fieldType(f)))
	}
	p.align[c] = v
	return v
}

// offsets is the cost of laying out c's fields.
func (p proofCost) offsets(c *layout.Composite) uint64 {
	v := uint64(2)
	for _, f := range c.Fields {
		v = addSat(v, addSat(p.alignOf(fieldType(f)), p.sizeOf(fieldType(f))))
	}
	return v
}

func (p proofCost) sizeComposite(c *layout.Composite) uint64 {
	if v, ok := p.size[c]; ok {
		return v
	}
	v := addSat(p.offsets(c), p.alignComposite(c))
	if len(c.Fields) > 0 {
		v = addSat(v, p.sizeOf(fieldType(c.Fields[len(c.Fields)-1])))
	}
	p.size[c] = v
	return v
}

func addSat(a, b uint64) uint64 {
	if a+b < a {
		return math.MaxUint64
	}
	return a + b
}

func mulSat(a, b uint64) uint64 {
	if a != 0 && b > math.MaxUint64/a {
		return math.MaxUint64
	}
	return a * b
}

// declaredElem returns the struct or union declared in the generated file
// that t is, or is an array of (of arrays of ...), or nil.
func declaredElem(t *layout.GoType) *layout.GoType {
	for t.Kind == layout.GoArray {
		t = t.Elem
	}
	if t.Kind == layout.GoNamed && t.Decl.Composite != nil {
		return t
	}
	return nil
}

// minus is expr-n, or expr for n == 0.
func minus(expr *jen.Statement, n uint32) jen.Code {
	if n == 0 {
		return expr
	}
	return expr.Op("-").Lit(int(n))
}
