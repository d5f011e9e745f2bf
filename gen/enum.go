package gen

import (
	"math"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/mapgen/mapgen/layout"
)

// emitEnum writes a named integer type, a constant per enumerator and a
// String method giving the C name. dup is what tells it apart from
// namesakes (duplicateDoc).
func (g *generator) emitEnum(d *layout.Decl, dup []string) {
	e := d.Enum
	name := g.names[d]
	g.docWrap("%s is %s: %s, %s.", name, describe(d), bytesText(e.Size), signedness(e.Signed))
	g.paragraphs(dup...)
	g.f.Type().Id(name).Id(e.Underlying.Name)
	g.types = append(g.types, &TypeInfo{Name: name, C: d.Type})

	if len(e.Values) == 0 {
		return
	}
	consts := make([]jen.Code, 0, len(e.Values))
	seen := make(map[uint64]bool)
	var cases []jen.Code
	for i, v := range e.Values {
		cname := g.enumerators[d][i]
		consts = append(consts, jen.Id(cname).Id(name).Op("=").Add(enumLit(e, v)))
		if !seen[v.Unsigned] {
			// The first enumerator of a value names it.
			seen[v.Unsigned] = true
			cases = append(cases, jen.Case(jen.Id(cname)).Block(jen.Return(jen.Lit(v.Name))))
		}
	}
	g.doc("Enumerators of %s.", name)
	g.f.Const().Defs(consts...)

	var number jen.Code
	if e.Signed {
		number = jen.Qual("strconv", "FormatInt").Call(jen.Int64().Call(jen.Id("v")), jen.Lit(10))
	} else {
		number = jen.Qual("strconv", "FormatUint").Call(jen.Uint64().Call(jen.Id("v")), jen.Lit(10))
	}
	g.doc("String returns the C name of the enumerator, or the number if v has none.")
	g.f.Func().Params(jen.Id("v").Id(name)).Id("String").Params().String().Block(
		jen.Switch(jen.Id("v")).Block(cases...),
		jen.Return(jen.Lit(name+"(").Op("+").Add(number).Op("+").Lit(")")),
	)
}

func signedness(signed bool) string {
	if signed {
		return "signed"
	}
	return "unsigned"
}

// enumLit is an untyped constant for an enumerator's value.
func enumLit(e *layout.Enum, v layout.EnumValue) jen.Code {
	if e.Signed {
		return jen.Lit(int(v.Value))
	}
	if v.Unsigned > math.MaxInt64 {
		// jen.Lit would spell uint64(...), a typed constant; the
		// enum's own type needs an untyped one.
		return jen.Op(strconv.FormatUint(v.Unsigned, 10))
	}
	return jen.Lit(int(v.Unsigned))
}
