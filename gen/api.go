package gen

import (
	"strconv"

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
	// Maps, programs and the objects that hold both; empty where the
	// object has no maps (no programs).
	maps, newMaps         string
	programs, newPrograms string
	objects, newObjects   string
	loadObjects           string
	loadSpec, load        string // with Options.Embed
	mapConst              map[*btfread.Map]string
	progConst             map[string]string
	varConst              map[*btfread.Variable]string
	sections              map[*btfread.DataSection]*sectionAPI
	applyValues           string
	checkValues           string
	objectBytes           string // unexported: the embedded object
	staticValues          string // unexported: the .values slots
	// mapFields and progFields are the fields of Maps and Programs, by
	// map and program name.
	mapFields, progFields map[string]string
}

// sectionAPI names what mapgen declares for one global data section.
type sectionAPI struct {
	typ            string
	defaults, read string
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
		mapConst:  make(map[*btfread.Map]string),
		progConst: make(map[string]string),
		varConst:  make(map[*btfread.Variable]string),
		sections:  make(map[*btfread.DataSection]*sectionAPI),
	}
	g.api = a
	take := g.pkg.name
	if !g.obj.Raw {
		// The fixed names of an object's API are reserved whether or not
		// this object needs them, so that a C name does not change when
		// the object gains its first map, program or static .values, or
		// is embedded.
		fixed := []string{p + "Maps", "New" + p + "Maps", p + "Programs", "New" + p + "Programs",
			p + "Objects", "New" + p + "Objects", "Load" + p + "Objects", "Load" + p + "Spec", "Load" + p,
			"Apply" + p + "Values", "Check" + p + "Values"}
		for _, name := range append(fixed, loadAPINames(p)...) {
			g.pkg.taken[name] = true
		}
		if len(g.obj.Maps) > 0 {
			a.maps, a.newMaps = fixed[0], fixed[1]
		}
		if len(g.obj.Programs) > 0 {
			a.programs, a.newPrograms = fixed[2], fixed[3]
		}
		if a.maps != "" || a.programs != "" {
			a.objects, a.newObjects, a.loadObjects = fixed[4], fixed[5], fixed[6]
			if g.opts.Embed != "" {
				a.loadSpec, a.load = fixed[7], fixed[8]
				a.objectBytes = take(lowerFirst(p + "ObjectBytes"))
			}
		}
		if g.hasValues() {
			a.applyValues, a.checkValues = fixed[9], fixed[10]
			a.staticValues = take(lowerFirst(p + "StaticValues"))
		}
	}
	maps, progs := g.obj.Maps, g.obj.Programs
	nameEach(g.pkg, len(maps), func(i int) string { return prefixed(p+"Map", maps[i].Name) },
		func(i int) string { return p + "Map" + strconv.Itoa(i) },
		func(i int, name string) { a.mapConst[maps[i]] = name })
	nameEach(g.pkg, len(progs), func(i int) string { return prefixed(p+"Prog", progs[i]) },
		func(i int) string { return p + "Prog" + strconv.Itoa(i) },
		func(i int, name string) { a.progConst[progs[i]] = name })
	for si, ds := range g.sections() {
		base := goName(identifier(ds.Name))
		if base == "" {
			base = "Section" + strconv.Itoa(si)
		}
		base = p + base
		s := &sectionAPI{typ: take(base)}
		s.defaults, s.read = take("Default"+base), take("Read"+base)
		a.sections[ds] = s
		var vars []*btfread.Variable
		for _, v := range ds.Variables {
			if exported(v) {
				vars = append(vars, v)
			}
		}
		nameEach(g.pkg, len(vars), func(i int) string { return prefixed(p+"Var", vars[i].Name) },
			func(i int) string { return p + "Var" + strconv.Itoa(i) },
			func(i int, name string) { a.varConst[vars[i]] = name })
	}

	// The fields of Maps and Programs come from C names; their method
	// Close is the API and is reserved first.
	if a.maps != "" {
		a.mapFields = make(map[string]string)
		nameEach(newScope("Close"), len(maps), func(i int) string { return goName(maps[i].Name) },
			func(i int) string { return "Map" + strconv.Itoa(i) },
			func(i int, name string) { a.mapFields[maps[i].Name] = name })
	}
	if a.programs != "" {
		a.progFields = make(map[string]string)
		nameEach(newScope("Close"), len(progs), func(i int) string { return goName(progs[i]) },
			func(i int) string { return "Prog" + strconv.Itoa(i) },
			func(i int, name string) { a.progFields[progs[i]] = name })
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
