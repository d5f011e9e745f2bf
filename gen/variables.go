package gen

import (
	"fmt"
	"path"

	"github.com/dave/jennifer/jen"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/layout"
)

// emitVariables writes Variables, a typed handle per global variable of
// a loaded collection, and VariableSpecs, the same before loading.
func (g *generator) emitVariables() error {
	l := g.load
	if l == nil || l.variables == "" {
		return nil
	}
	base := path.Base(g.obj.Path)
	live := &fillSet{typ: l.variables, ctor: l.newVariables, params: []jen.Code{
		jen.Id("vars").Map(jen.String()).Op("*").Qual(ebpfPkg, "Variable"),
		jen.Id("maps").Map(jen.String()).Op("*").Qual(ebpfPkg, "Map"),
	}}
	specs := &fillSet{typ: l.varSpecs, ctor: l.newVarSpecs, params: []jen.Code{
		jen.Id("spec").Op("*").Qual(ebpfPkg, "CollectionSpec"),
	}}
	for _, ds := range g.sections() {
		for _, v := range ds.Variables {
			if !exported(v) {
				continue
			}
			t, err := g.planner.GoType(v.Type, v.Name)
			if err != nil {
				return fmt.Errorf("section %s: variable %q: %w", ds.Name, v.Name, err)
			}
			field, typ := l.varFields[v], g.typeCode(t)
			doc := commentLines(fmt.Sprintf("%s is %s.", field, describeVar(v, ds)), 72)
			live.add(doc, field, tpl("Variable").Types(typ),
				tpl("OpenVariable").Types(typ).Call(jen.Op("&").Err(), jen.Id("vars"), jen.Id("maps"), jen.Lit(v.Name), jen.Lit(ds.Name), jen.Lit(int(v.Offset))))
			specs.add(nil, field, tpl("VariableSpec").Types(typ),
				tpl("OpenVariableSpec").Types(typ).Call(jen.Op("&").Err(), jen.Id("spec"), jen.Lit(v.Name)))
		}
	}
	g.emitFillSet(live,
		fmt.Sprintf("%s holds every global variable of %s, loaded: Load and Store read and write one variable where the programs do.", l.variables, base),
		fmt.Sprintf("%s finds the variables of a collection loaded from %s in coll.Variables and coll.Maps (atomic where aligned), or in bpf2go's *ebpf.Variable fields by name and nil.", l.newVariables, base))
	g.emitFillSet(specs,
		fmt.Sprintf("%s holds the global variables of %s as %s does, before loading: Set changes one variable and leaves the rest of its section as it is.", l.varSpecs, base, l.variables),
		fmt.Sprintf("%s finds the variables of spec, the collection spec of %s, and checks their sizes.", l.newVarSpecs, base))
	return nil
}

// describeVar says what a global variable is in C terms.
func describeVar(v *btfread.Variable, ds *btfread.DataSection) string {
	what := fmt.Sprintf("%s (%s) in %s", cName(v.Name), layout.CType(v.Type), ds.Name)
	if ds.ReadOnly {
		what += ", read-only"
	}
	return what
}
