package gen

import (
	"strconv"

	"github.com/mapgen/mapgen/btfread"
)

// loadAPI names what mapgen declares to configure an object before it is
// loaded and to reach its global variables one by one: the Globals of
// every data section with EditGlobals, LoadWith and LoadObjectsWith;
// typed variables after load (Variables) and before (VariableSpecs); and
// the definitions of maps to create more of them (MapSpecs). Empty names
// are not declared for this object.
type loadAPI struct {
	globals, editGlobals       string
	loadWith, loadObjectsWith  string
	variables, newVariables    string
	varSpecs, newVarSpecs      string
	mapSpecs, newMapSpecs      string
	globalFields               map[*btfread.DataSection]string
	varFields                  map[*btfread.Variable]string
	mapSpecFields, innerFields map[*btfread.Map]string
}

// loadAPINames are the fixed names of loadAPI, reserved for every ELF
// object whether or not it declares them (see reserveAPI).
func loadAPINames(p string) []string {
	return []string{p + "Globals", "Edit" + p + "Globals", "Load" + p + "With", "Load" + p + "ObjectsWith",
		p + "Variables", "New" + p + "Variables", p + "VariableSpecs", "New" + p + "VariableSpecs",
		p + "MapSpecs", "New" + p + "MapSpecs"}
}

// reserveLoadAPI takes the names of loadAPI that this object uses (their
// fixed names are already reserved) and names the fields of its structs.
func (g *generator) reserveLoadAPI() {
	if g.obj.Raw {
		return
	}
	n := loadAPINames(g.opts.Prefix)
	l := &loadAPI{
		globalFields:  make(map[*btfread.DataSection]string),
		varFields:     make(map[*btfread.Variable]string),
		mapSpecFields: make(map[*btfread.Map]string),
		innerFields:   make(map[*btfread.Map]string),
	}
	g.load = l
	sections := g.sections()
	if len(sections) > 0 {
		l.globals, l.editGlobals = n[0], n[1]
		if g.api.objects != "" {
			l.loadObjectsWith = n[3]
			if g.opts.Embed != "" {
				l.loadWith = n[2]
			}
		}
		l.variables, l.newVariables, l.varSpecs, l.newVarSpecs = n[4], n[5], n[6], n[7]
	}
	if len(g.obj.Maps) > 0 {
		l.mapSpecs, l.newMapSpecs = n[8], n[9]
	}

	// Globals has a field per section, named as the section's type is
	// without the prefix; Variables and VariableSpecs a field per global
	// variable, named after it.
	fields := newScope()
	for si, ds := range sections {
		base := goName(identifier(ds.Name))
		if base == "" {
			base = "Section" + strconv.Itoa(si)
		}
		l.globalFields[ds] = fields.name(base)
	}
	var vars []*btfread.Variable
	for _, ds := range sections {
		for _, v := range ds.Variables {
			if exported(v) {
				vars = append(vars, v)
			}
		}
	}
	nameEach(newScope(), len(vars), func(i int) string { return goName(vars[i].Name) },
		func(i int) string { return "Var" + strconv.Itoa(i) },
		func(i int, name string) { l.varFields[vars[i]] = name })

	// MapSpecs has the fields of Maps, then one per inner map template:
	// the outer map's field and Inner.
	specFields := newScope()
	for _, m := range g.obj.Maps {
		l.mapSpecFields[m] = specFields.name(g.api.mapFields[m.Name])
	}
	for _, m := range g.obj.Maps {
		if m.Inner != nil {
			l.innerFields[m] = specFields.name(g.api.mapFields[m.Name] + "Inner")
		}
	}
}

// emitLoadAPI writes what loadAPI names, after the data sections' types.
func (g *generator) emitLoadAPI() error {
	g.emitGlobals()
	if err := g.emitVariables(); err != nil {
		return err
	}
	return g.emitMapSpecs()
}
