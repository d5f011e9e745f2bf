package gen

import (
	"path"

	"github.com/dave/jennifer/jen"
)

// emitGlobals writes Globals, a struct of every global data section, and
// the functions that configure an object with it before loading:
// EditGlobals on a collection spec, LoadObjectsWith and (with
// Options.Embed) LoadWith, which load it configured in one call.
func (g *generator) emitGlobals() {
	l := g.load
	if l == nil || l.globals == "" {
		return
	}
	var fields, views []jen.Code
	for _, ds := range g.sections() {
		field, sa := l.globalFields[ds], g.api.sections[ds]
		fields = append(fields, jen.Id(field).Id(sa.typ))
		views = append(views, jen.Line().Add(tpl("SectionOf").Call(
			jen.Op("&").Id("g").Dot(field), jen.Lit(ds.Name), jen.Lit(int(ds.Size)))))
	}
	views = append(views, jen.Line())
	base := path.Base(g.obj.Path)
	g.docWrap("%s holds every global data section of %s, each as its type, to set before loading with %s.", l.globals, base, firstOf(l.loadWith, l.loadObjectsWith, l.editGlobals))
	g.f.Type().Id(l.globals).Struct(fields...)

	edit := jen.Id("edit").Func().Params(jen.Op("*").Id(l.globals))
	spec := jen.Id("spec").Op("*").Qual(ebpfPkg, "CollectionSpec")
	opts := jen.Id("opts").Op("*").Qual(ebpfPkg, "CollectionOptions")
	g.docWrap("%s changes the global data of spec before it is loaded: edit gets every section as it stands (the compiled-in values, unless changed since) and what it changes is written back. Variables edit leaves alone keep their values.", l.editGlobals)
	g.f.Func().Id(l.editGlobals).Params(spec.Clone(), edit.Clone()).Error().Block(
		jen.Return(tpl("EditSections").Call(jen.Id("spec"), jen.Id("edit"),
			jen.Func().Params(jen.Id("g").Op("*").Id(l.globals)).Index().Add(tpl("Section")).Block(
				jen.Return(jen.Index().Add(tpl("Section")).Values(views...))))))

	if l.loadObjectsWith == "" {
		return
	}
	g.docWrap("%s loads a copy of spec, of %s, with its global data changed by edit as %s does, and wraps it; opts may be nil. Close the result when done.", l.loadObjectsWith, base, l.editGlobals)
	g.f.Func().Id(l.loadObjectsWith).Params(spec.Clone(), edit.Clone(), opts.Clone()).
		Params(jen.Op("*").Id(g.api.objects), jen.Error()).Block(
		jen.Return(tpl("LoadEdited").Call(jen.Id("spec"), jen.Id("edit"), jen.Id(l.editGlobals), jen.Id("opts"), jen.Id(g.api.newObjects))))

	if l.loadWith == "" {
		return
	}
	g.docWrap("%s loads the embedded %s with its global data changed by edit before the verifier sees it, and wraps it; opts may be nil. Close the result when done.", l.loadWith, path.Base(g.opts.Embed))
	g.f.Func().Id(l.loadWith).Params(edit.Clone(), opts.Clone()).
		Params(jen.Op("*").Id(g.api.objects), jen.Error()).Block(
		jen.List(jen.Id("spec"), jen.Err()).Op(":=").Id(g.api.loadSpec).Call(),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id(l.loadObjectsWith).Call(jen.Id("spec"), jen.Id("edit"), jen.Id("opts"))),
	)
}

// firstOf is the first name that is not empty.
func firstOf(names ...string) string {
	for _, n := range names {
		if n != "" {
			return n
		}
	}
	return ""
}
