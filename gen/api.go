package gen

import (
	"github.com/mapgen/mapgen/btfread"
)

// api holds the package-level names mapgen invents for one file: the
// generated API. They are decided before any C type or enumerator is
// named, so that C names give way to them (see names.go).
//
// With Options.Prefix P, type and constant names start with P (PMaps,
// PMapFlows) and function names put P after their verb (NewPMaps, LoadP,
// DefaultPRodata): each function is a verb and the name of what it makes
// or works on.
type api struct {
	prefix string

	// Maps, programs and the objects that hold both; empty where the
	// object has no maps (no programs).
	maps, newMaps          string
	programs, newPrograms  string
	objects, newObjects    string
	loadObjects            string
	loadSpec, load         string // with Options.Embed
	mapConst               map[*btfread.Map]string
	progConst              map[string]string
	varConst               map[*btfread.Variable]string
	sections               map[*btfread.DataSection]*sectionAPI
	applyValues            string
	checkValues            string
	objectBytes            string // unexported: the embedded object
	staticValues           string // unexported: the .values slots
	mapFields, progFields  map[string]string
	mapScope, programScope *scope
	readers                map[string]string // map name -> reader method
}

// sectionAPI names what mapgen declares for one global data section.
type sectionAPI struct {
	typ                          string
	defaults, edit, read, update string
}

// exported reports whether a variable of a data section is part of the
// API: like libbpf's skeletons and cilium/ebpf's VariableSpecs, mapgen
// shows global variables only. Static variables (file or function scope,
// such as the format strings bpf_printk makes) are not reachable from
// other code by name, and Go code that wrote them would break the
// program: their bytes stay as the object has them.
func exported(v *btfread.Variable) bool { return !v.Static && !v.Hidden }

// reserveAPI takes every name of the generated API in g.pkg, in a fixed
// order, before nameDecls names the C types.
func (g *generator) reserveAPI() {
	p := g.opts.Prefix
	a := &api{
		prefix:    p,
		mapConst:  make(map[*btfread.Map]string),
		progConst: make(map[string]string),
		varConst:  make(map[*btfread.Variable]string),
		sections:  make(map[*btfread.DataSection]*sectionAPI),
		readers:   make(map[string]string),
	}
	g.api = a
	take := g.pkg.name
	raw := !g.obj.Raw
	if raw && len(g.obj.Maps) > 0 {
		a.maps, a.newMaps = take(p+"Maps"), take("New"+p+"Maps")
	}
	if raw && len(g.obj.Programs) > 0 {
		a.programs, a.newPrograms = take(p+"Programs"), take("New"+p+"Programs")
	}
	if a.maps != "" || a.programs != "" {
		a.objects, a.newObjects = take(p+"Objects"), take("New"+p+"Objects")
		a.loadObjects = take("Load" + p + "Objects")
		if g.opts.Embed != "" {
			a.loadSpec, a.load = take("Load"+p+"Spec"), take("Load"+p)
			a.objectBytes = take(lowerFirst(p + "ObjectBytes"))
		}
	}
	for i, m := range g.obj.Maps {
		a.mapConst[m] = take(p + "Map" + orPositional(m.Name, "", i))
	}
	for i, name := range g.obj.Programs {
		a.progConst[name] = take(p + "Prog" + orPositional(name, "", i))
	}
	for _, ds := range g.sections() {
		base := p + orPositional(identifier(ds.Name), "Section", 0)
		s := &sectionAPI{typ: take(base)}
		s.defaults, s.edit, s.read = take("Default"+base), take("Edit"+base), take("Read"+base)
		if !ds.ReadOnly {
			s.update = take("Update" + base)
		}
		a.sections[ds] = s
		for i, v := range ds.Variables {
			if exported(v) {
				a.varConst[v] = take(p + "Var" + orPositional(v.Name, "", i))
			}
		}
	}
	if g.hasValues() {
		a.applyValues, a.checkValues = take("Apply"+p+"Values"), take("Check"+p+"Values")
		a.staticValues = take(lowerFirst(p + "StaticValues"))
	}

	// The fields of Maps and Programs come from C names; their methods
	// (Close, the event readers) are the API and are reserved first.
	if a.maps != "" {
		a.mapScope = newScope("Close")
		for i, m := range g.obj.Maps {
			if _, ok := g.opts.Events[m.Name]; ok {
				a.readers[m.Name] = orPositional(m.Name, "Map", i) + "Reader"
				a.mapScope.taken[a.readers[m.Name]] = true
			}
		}
		a.mapFields = make(map[string]string)
		for i, m := range g.obj.Maps {
			a.mapFields[m.Name] = a.mapScope.name(orPositional(m.Name, "Map", i))
		}
	}
	if a.programs != "" {
		a.programScope = newScope("Close")
		a.progFields = make(map[string]string)
		for i, name := range g.obj.Programs {
			a.progFields[name] = a.programScope.name(orPositional(name, "Program", i))
		}
	}
}

// sections are the data sections that get a Go view: those with at least
// one variable of the API.
func (g *generator) sections() []*btfread.DataSection {
	var out []*btfread.DataSection
	for _, ds := range g.obj.DataSections {
		for _, v := range ds.Variables {
			if exported(v) {
				out = append(out, ds)
				break
			}
		}
	}
	return out
}

func (g *generator) hasValues() bool {
	for _, m := range g.obj.Maps {
		if len(m.Values) > 0 {
			return true
		}
	}
	return false
}
