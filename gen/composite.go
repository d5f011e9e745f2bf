package gen

import (
	"fmt"
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
		base[m] = orPositional(m.Name, "Field", i)
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
	for _, m := range c.Members {
		n := &memberNames{name: s.name(base[m])}
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
		names[m] = n
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

func (g *generator) emitComposite(d *layout.Decl) {
	g.emitCompositeAs(d, describe(d), g.duplicateDoc(d)...)
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
			mi.Field, mi.Accessor = storageName(m.Field), names[m].name
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
	fmt.Fprintf(&b, "the C member %s (%s) at byte %d", cName(m.Name), layout.CType(m.Type), m.Offset())
	if m.BitSize > 0 {
		fmt.Fprintf(&b, ", bits %d..%d", m.BitOffset, m.BitOffset+m.BitSize-1)
	}
	if m.Anonymous > 0 {
		b.WriteString(", in an anonymous struct or union")
	}
	return b.String()
}

// emitLayoutProof writes a function that does not compile on any target
// where a size or a field offset differs from BTF: a constant index out of
// range, or a negative constant converted to uintptr, is a compile error.
func (g *generator) emitLayoutProof(name string, c *layout.Composite, names map[*layout.Member]*memberNames) {
	zero := jen.Id(name).Values()
	checks := []jen.Code{
		jen.Var().Id("x").Index(jen.Lit(1)).Struct(),
		jen.Id("_").Op("=").Id("x").Index(minus(jen.Qual("unsafe", "Sizeof").Call(zero.Clone()), c.Size)),
	}
	for _, f := range c.Fields {
		var field string
		switch f.Kind {
		case layout.FieldMember:
			field = names[f.Member].name
		case layout.FieldStorage:
			field = storageName(f)
		default:
			continue
		}
		checks = append(checks, jen.Id("_").Op("=").Id("x").Index(
			minus(jen.Qual("unsafe", "Offsetof").Call(zero.Clone().Dot(field)), f.Offset)))
	}
	g.doc("The compiler proves the layout of %s: this does not build where it differs from C.", name)
	g.f.Func().Id("_").Params().Block(checks...)
}

// minus is expr-n, or expr for n == 0.
func minus(expr *jen.Statement, n uint32) jen.Code {
	if n == 0 {
		return expr
	}
	return expr.Op("-").Lit(int(n))
}
