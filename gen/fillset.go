package gen

import "github.com/dave/jennifer/jen"

// fillSet is a struct of handles and the constructor that fills it field
// by field, returning the first error: Variables, VariableSpecs and
// MapSpecs (Maps and Programs, which also close, are handleSets).
type fillSet struct {
	typ, ctor string
	params    []jen.Code
	fields    []jen.Code
	values    []jen.Code
}

// add declares a field with its doc comment, set from call, which takes
// &err first, as templates.Open does.
func (s *fillSet) add(doc []jen.Code, field string, typ, call jen.Code) {
	s.fields = append(s.fields, doc...)
	s.fields = append(s.fields, jen.Id(field).Add(typ))
	s.values = append(s.values, fieldValue(field, call))
}

func (g *generator) emitFillSet(s *fillSet, typeDoc, ctorDoc string) {
	g.docWrap("%s", typeDoc)
	g.f.Type().Id(s.typ).Struct(s.fields...)
	g.docWrap("%s", ctorDoc)
	g.f.Func().Id(s.ctor).Params(s.params...).Params(jen.Op("*").Id(s.typ), jen.Error()).
		Block(openedBody("s", s.typ, s.values)...)
}
