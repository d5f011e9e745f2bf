package gen

import (
	"fmt"
	"path"

	"github.com/dave/jennifer/jen"
)

// emitMapSpecs writes MapSpecs: the definition of every map and inner map
// template of a collection spec, from which Create makes new maps with
// their BTF key and value types and returns them wrapped.
func (g *generator) emitMapSpecs() error {
	l := g.load
	if l == nil || l.mapSpecs == "" {
		return nil
	}
	s := &fillSet{typ: l.mapSpecs, ctor: l.newMapSpecs, params: []jen.Code{
		jen.Id("spec").Op("*").Qual(ebpfPkg, "CollectionSpec"),
	}}
	for _, m := range g.obj.Maps {
		w, err := g.wrapperOf(m, nil)
		if err != nil {
			return err
		}
		field, ctor := l.mapSpecFields[m], w.ctor
		if w.specCtor != nil {
			ctor = w.specCtor
		}
		s.add(nil, field,
			tpl("MapSpec").Types(w.typ),
			tpl("OpenMapSpec").Call(jen.Op("&").Err(), jen.Id("spec"), jen.Lit(m.Name), jen.Qual(ebpfPkg, m.Type.String()), ctor))
	}
	for _, m := range g.obj.Maps {
		if m.Inner == nil {
			continue
		}
		w, err := g.wrapperOf(m.Inner, m)
		if err != nil {
			return err
		}
		field := l.innerFields[m]
		s.add(nil, field, tpl("MapSpec").Types(w.typ),
			tpl("OpenInnerMapSpec").Call(jen.Op("&").Err(), jen.Id("spec"), jen.Lit(m.Name), jen.Qual(ebpfPkg, m.Inner.Type.String()), w.ctor))
	}
	base := path.Base(g.obj.Path)
	what := "every map of " + base
	if len(l.innerFields) > 0 {
		what += " and of the inner maps of each map of maps (its name and Inner)"
	}
	g.emitFillSet(s,
		fmt.Sprintf("%s holds the definition of %s: Create makes a new, empty map of one, typed in BTF, and returns its wrapper.", l.mapSpecs, what),
		fmt.Sprintf("%s finds the maps of spec, the collection spec of %s, and checks their kinds.", l.newMapSpecs, base))
	return nil
}
