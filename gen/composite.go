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

// nameMembers names the fields and methods of one composite. Member names
// come first, in declaration order, so a member keeps its plain name even
// where a generated method would want it (x and set_x).
func nameMembers(c *layout.Composite) *typeNames {
	s := newScope()
	names := make(map[*layout.Member]*memberNames, len(c.Members))
	for _, m := range c.Members {
		names[m] = &memberNames{name: s.name(goName(m.Name))}
	}
	for _, m := range c.Members {
		n := names[m]
		if m.Access == layout.AccessBits || m.Access == layout.AccessCopy {
			n.set = s.name("Set" + n.name)
		}
		if isCharArray(m.Go) && m.Access != layout.AccessZero {
			n.str = s.name(n.name + "String")
		}
	}
	return &typeNames{members: names, scope: s}
}

func isCharArray(t *layout.GoType) bool {
	return t.Kind == layout.GoArray && t.Char && t.Elem.Kind == layout.GoBasic
}

// storageName names the unexported field holding the bytes of members
// reached through accessors.
func storageName(f *layout.Field) string {
	return fmt.Sprintf("raw%d", f.Offset)
}

func (g *generator) emitComposite(d *layout.Decl) {
	g.emitCompositeAs(d, describe(d))
}

// emitCompositeAs is emitComposite with what the type is, for its doc
// comment (data sections are synthetic structs).
func (g *generator) emitCompositeAs(d *layout.Decl, what string) {
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
				jen.Comment(fmt.Sprintf("%s is %s.", names[m].name, memberDoc(m))),
				jen.Id(names[m].name).Add(g.typeCode(m.Go)))
		case layout.FieldStorage:
			var held []string
			for _, m := range f.Members {
				held = append(held, names[m].name)
			}
			fields = append(fields,
				jen.Comment(fmt.Sprintf("%s holds %s; use the methods of the same names.", storageName(f), strings.Join(held, ", "))),
				jen.Id(storageName(f)).Index(jen.Lit(int(f.Size))).Byte())
		}
	}

	g.f.Commentf("%s is %s: %d bytes, C alignment %d.", name, what, c.Size, c.CAlign)
	if c.Union {
		g.f.Comment("")
		g.f.Comment("Its members share storage; each has a getter and a setter.")
	}
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
	fmt.Fprintf(&b, "the C member %s (%s) at byte %d", m.Name, layout.CType(m.Type), m.Offset())
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
	g.f.Commentf("The compiler proves the layout of %s: this does not build where it differs from C.", name)
	g.f.Func().Id("_").Params().Block(checks...)
}

// minus is expr-n, or expr for n == 0.
func minus(expr *jen.Statement, n uint32) jen.Code {
	if n == 0 {
		return expr
	}
	return expr.Op("-").Lit(int(n))
}
