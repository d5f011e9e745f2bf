package gen

import (
	"fmt"
	"path"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/dave/jennifer/jen"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/layout"
)

const ebpfPkg = "github.com/cilium/ebpf"

// wrapper is how Go code reaches one map: a type of package templates and
// the constructor that makes it from an *ebpf.Map.
type wrapper struct {
	// typ is the wrapper's Go type.
	typ jen.Code
	// ctor is a func(name string, m *ebpf.Map) (typ, error).
	ctor jen.Code
	// specCtor, for maps of maps, is ctor without the inner map
	// template, which MapSpec.Create takes from the collection spec.
	specCtor jen.Code
	// desc says in words what the wrapper offers, for doc comments.
	desc string
}

// Shapes of the type parameters of a wrapper.
const (
	keyValue   = iota // [K, V]
	indexValue        // [V]: arrays, whose key is a uint32 index
	valueOnly         // [V]: queue, stack, bloom filter
	events            // [E]: records of a ring buffer or perf event array
	noTypes           // program arrays
)

// kindWrapper is the wrapper of package templates for one map kind.
type kindWrapper struct {
	name  string
	shape int
	desc  string
}

// wrappers chooses the wrapper by map kind; kinds not listed get a Map[K,
// V] where BTF types key and value, else Untyped. Adding a kind is one
// line here and a type in package templates.
var wrappers = map[ebpf.MapType]kindWrapper{
	ebpf.Hash:           {"Hash", keyValue, "Lookup, Update, Delete, Iterate and batch operations"},
	ebpf.LRUHash:        {"Hash", keyValue, "Lookup, Update, Delete, Iterate and batch operations"},
	ebpf.Array:          {"Array", indexValue, "Lookup, Update, Iterate and batch operations by uint32 index"},
	ebpf.PerCPUHash:     {"PerCPUHash", keyValue, "one value per possible CPU"},
	ebpf.LRUCPUHash:     {"PerCPUHash", keyValue, "one value per possible CPU"},
	ebpf.PerCPUArray:    {"PerCPUArray", indexValue, "one value per possible CPU, by uint32 index"},
	ebpf.LPMTrie:        {"LPMTrie", keyValue, "longest prefix match; the key starts with its prefix length"},
	ebpf.Queue:          {"Queue", valueOnly, "Push, Pop and Peek"},
	ebpf.Stack:          {"Stack", valueOnly, "Push, Pop and Peek"},
	ebpf.BloomFilter:    {"BloomFilter", valueOnly, "Push and Contains"},
	ebpf.ProgramArray:   {"ProgArray", noTypes, "programs by index, for bpf_tail_call"},
	ebpf.RingBuf:        {"RingBuf", events, "NewReader decodes its records"},
	ebpf.PerfEventArray: {"PerfEventArray", events, "NewReader decodes its samples"},
}

func tpl(name string) *jen.Statement { return jen.Qual(templatesPkg, name) }

// mapTypes returns the Go key and value types of m: from BTF, from
// Options.MapTypes, or bytes of the sizes the definition gives.
func (g *generator) mapTypes(m, outer *btfread.Map) (key, value *layout.GoType, err error) {
	var bind MapBinding
	if outer == nil {
		bind = g.opts.MapTypes[m.Name]
	}
	name := m.Name
	if outer != nil {
		name = outer.Name
	}
	resolve := func(t btf.Type, cname string, size uint32, what string) (*layout.GoType, error) {
		switch {
		case t != nil:
			gt, err := g.planner.GoType(t, name, what)
			if err != nil {
				return nil, fmt.Errorf("map %q: %s: %w", name, what, err)
			}
			return gt, nil
		case cname != "":
			return g.namedGoType(cname)
		case size > 0:
			return &layout.GoType{Kind: layout.GoBytes, Size: size, Align: 1}, nil
		}
		return nil, nil
	}
	if key, err = resolve(m.Key, bind.Key, m.KeySize, "key"); err != nil {
		return nil, nil, err
	}
	if value, err = resolve(m.Value, bind.Value, m.ValueSize, "value"); err != nil {
		return nil, nil, err
	}
	return key, value, nil
}

// eventType is the Go type of the records of m (or of the inner maps of
// m, for a map of maps): the type Options.Events names, else the record
// type a ring buffer declares with __type(value, ...); nil if neither.
func (g *generator) eventType(m, outer *btfread.Map) (*layout.GoType, error) {
	owner := m
	if outer != nil {
		owner = outer
	}
	if cname, ok := g.opts.Events[owner.Name]; ok {
		return g.namedGoType(cname)
	}
	if m.Type == ebpf.RingBuf && m.Value != nil {
		return g.planner.GoType(m.Value, owner.Name, "value")
	}
	return nil, nil
}

// wrapperOf chooses the typed wrapper of a map, or of the inner map
// template of outer.
func (g *generator) wrapperOf(m, outer *btfread.Map) (*wrapper, error) {
	untyped := &wrapper{typ: tpl("Untyped"), ctor: tpl("NewUntyped")}
	if m.Type == ebpf.ArrayOfMaps || m.Type == ebpf.HashOfMaps {
		return g.mapOfMaps(m, untyped)
	}
	key, value, err := g.mapTypes(m, outer)
	if err != nil {
		return nil, err
	}
	kw, ok := wrappers[m.Type]
	if !ok {
		kw = kindWrapper{"Map", keyValue, "Lookup, Update, Delete and Iterate with typed keys and values"}
	}
	var params []jen.Code
	var bytes []string // the parameters that are bytes for want of BTF types
	param := func(t *layout.GoType, what string) jen.Code {
		if t.Kind == layout.GoBytes {
			bytes = append(bytes, what)
		}
		return g.typeCode(t)
	}
	switch kw.shape {
	case keyValue:
		if key == nil || value == nil {
			untyped.desc = fmt.Sprintf("no typed wrapper: it has no %s", missing(key, value))
			return untyped, nil
		}
		params = []jen.Code{param(key, "key"), param(value, "value")}
	case indexValue, valueOnly:
		if value == nil || (kw.shape == indexValue && (key == nil || key.Size != 4)) {
			untyped.desc = "no typed wrapper: it has no value"
			return untyped, nil
		}
		params = []jen.Code{param(value, "value")}
	case events:
		ev, err := g.eventType(m, outer)
		if err != nil {
			return nil, err
		}
		if ev == nil {
			owner := m
			if outer != nil {
				owner = outer
			}
			untyped.desc = fmt.Sprintf("its records have no type: run mapgen with --event %s=TYPE for typed records", owner.Name)
			return untyped, nil
		}
		params = []jen.Code{g.typeCode(ev)}
	}
	w := &wrapper{typ: tpl(kw.name), ctor: tpl("New" + kw.name), desc: kw.desc}
	if len(params) > 0 {
		w.typ = tpl(kw.name).Types(params...)
		w.ctor = tpl("New" + kw.name).Types(params...)
	}
	if len(bytes) > 0 {
		it, are := "it", "it is"
		if len(bytes) > 1 {
			it, are = "them", "they are"
		}
		w.desc += fmt.Sprintf(". Its definition gives its %s no BTF type, so %s bytes; run mapgen with --map-type %s=KEY,VALUE to type %s", strings.Join(bytes, " and "), are, m.Name, it)
	}
	return w, nil
}

// missing names what a map of keys and values lacks: "key", "value" or
// "keys and values" (maps of kinds that hold neither, such as arenas and
// user ring buffers).
func missing(key, value *layout.GoType) string {
	switch {
	case key == nil && value == nil:
		return "keys and values"
	case key == nil:
		return "key"
	}
	return "value"
}

// mapOfMaps is the wrapper of an array or hash of maps: typed inner maps
// through the wrapper of the inner map template.
func (g *generator) mapOfMaps(m *btfread.Map, untyped *wrapper) (*wrapper, error) {
	inner := untyped
	innerDesc := "untyped inner maps (the definition has no __array(values, ...) template)"
	if m.Inner != nil {
		var err error
		if inner, err = g.wrapperOf(m.Inner, m); err != nil {
			return nil, err
		}
		innerDesc = fmt.Sprintf("inner maps of kind %s", m.Inner.Type)
		if inner.desc != "" {
			innerDesc += " (" + inner.desc + ")"
		}
	}
	innerName := m.Name + "_inner"
	if m.Inner != nil {
		innerName = m.Inner.Name
	}
	open := tpl("OpenerOf").Call(jen.Lit(innerName), inner.ctor)
	template, makes := jen.Nil(), ""
	if im := m.Inner; im != nil {
		makes = ", NewInner makes one"
		template = jen.Op("&").Qual(ebpfPkg, "MapSpec").Values(jen.DictFunc(func(d jen.Dict) {
			d[jen.Id("Type")] = jen.Qual(ebpfPkg, im.Type.String())
			d[jen.Id("KeySize")] = jen.Lit(int(im.KeySize))
			d[jen.Id("ValueSize")] = jen.Lit(int(im.ValueSize))
			d[jen.Id("MaxEntries")] = jen.Lit(int(im.MaxEntries))
			if im.Flags != 0 {
				d[jen.Id("Flags")] = flagsCode(im.Flags)
			}
			if im.MapExtra != 0 {
				d[jen.Id("MapExtra")] = jen.Lit(int(im.MapExtra))
			}
			if im.NumaNode != 0 {
				d[jen.Id("NumaNode")] = jen.Lit(int(im.NumaNode))
			}
		}))
	}
	if m.Type == ebpf.ArrayOfMaps {
		return &wrapper{
			typ:      tpl("ArrayOfMaps").Types(inner.typ),
			ctor:     tpl("ArrayOfMapsWith").Call(open, template),
			specCtor: tpl("ArrayOfMapsWith").Call(open, jen.Nil()),
			desc:     "Get opens " + innerDesc + " by index" + makes,
		}, nil
	}
	key, _, err := g.mapTypes(m, nil)
	if err != nil {
		return nil, err
	}
	if key == nil {
		untyped.desc = "no typed wrapper: its definition gives no key"
		return untyped, nil
	}
	return &wrapper{
		typ:      tpl("HashOfMaps").Types(g.typeCode(key), inner.typ),
		ctor:     tpl("HashOfMapsWith").Types(g.typeCode(key), inner.typ).Call(open, template),
		specCtor: tpl("HashOfMapsWith").Types(g.typeCode(key), inner.typ).Call(open, jen.Nil()),
		desc:     "Get opens " + innerDesc + " by key" + makes,
	}, nil
}

// emitNames writes the names of the object's maps, programs and global
// variables as constants, as bpf2go does.
func (g *generator) emitNames() {
	a := g.api
	var defs []jen.Code
	for _, m := range g.obj.Maps {
		defs = append(defs, jen.Id(a.mapConst[m]).Op("=").Lit(m.Name))
	}
	for _, p := range g.obj.Programs {
		defs = append(defs, jen.Id(a.progConst[p]).Op("=").Lit(p))
	}
	for _, ds := range g.sections() {
		for _, v := range ds.Variables {
			if c, ok := a.varConst[v]; ok {
				defs = append(defs, jen.Id(c).Op("=").Lit(v.Name))
			}
		}
	}
	if len(defs) == 0 {
		return
	}
	g.docWrap("Names of the maps, programs and global variables of %s: keys of the Maps, Programs and Variables of an ebpf.CollectionSpec and an ebpf.Collection.", path.Base(g.obj.Path))
	g.f.Const().Defs(defs...)
}

// emitMaps writes the Maps struct of typed wrappers, NewMaps and Close.
func (g *generator) emitMaps() error {
	g.emitNames()
	a := g.api
	if a.maps == "" {
		return nil
	}
	set := &handleSet{typ: a.maps, ctor: a.newMaps, recv: "m", param: "maps", elem: jen.Qual(ebpfPkg, "Map")}
	for _, m := range g.obj.Maps {
		w, err := g.wrapperOf(m, nil)
		if err != nil {
			return err
		}
		field := a.mapFields[m.Name]
		doc := fmt.Sprintf("%s is map %s: %s", field, cName(m.Name), describeMap(m))
		if w.desc != "" {
			doc += "; " + w.desc
		}
		set.add(commentLines(doc+".", 76), field, w.typ, nil,
			tpl("Open").Call(jen.Op("&").Err(), jen.Id("maps"), jen.Lit(m.Name), jen.Qual(ebpfPkg, m.Type.String()), w.ctor))
	}
	base := path.Base(g.obj.Path)
	g.emitHandleSet(set,
		fmt.Sprintf("%s holds a typed wrapper of every map of %s.", a.maps, base),
		fmt.Sprintf("%s wraps the maps of a collection loaded from %s: pass coll.Maps of an *ebpf.Collection (loaded by %s, by hand, or by bpf2go's loader). It checks each map's kind and its key and value sizes against the Go types, and names the map that differs. The wrappers do not own the maps.", a.newMaps, base, a.loadObjects),
		"Close closes every map and returns the first error.")
	return nil
}

// handleSet is a struct with a field per map or program, the function that
// fills it from the maps or programs of a collection, and Close.
type handleSet struct {
	typ, ctor   string   // the struct and its constructor
	recv, param string   // the constructor's variable and parameter
	elem        jen.Code // *ebpf.Map or *ebpf.Program: the parameter's elements
	fields      []jen.Code
	values      []jen.Code // field: call, in order
	closers     []jen.Code
}

// add declares a field (with its doc comment and struct tag) set from call,
// which takes &err first, as templates.Open does.
func (s *handleSet) add(doc []jen.Code, field string, typ jen.Code, tag map[string]string, call jen.Code) {
	s.fields = append(s.fields, doc...)
	f := jen.Id(field).Add(typ)
	if tag != nil {
		f.Tag(tag)
	}
	s.fields = append(s.fields, f)
	s.values = append(s.values, fieldValue(field, call))
	s.closers = append(s.closers, jen.Id(s.recv).Dot(field))
}

func (g *generator) emitHandleSet(s *handleSet, typeDoc, ctorDoc, closeDoc string) {
	g.docWrap("%s", typeDoc)
	g.f.Type().Id(s.typ).Struct(s.fields...)

	g.docWrap("%s", ctorDoc)
	g.f.Func().Id(s.ctor).Params(jen.Id(s.param).Map(jen.String()).Op("*").Add(s.elem)).
		Params(jen.Op("*").Id(s.typ), jen.Error()).Block(openedBody(s.recv, s.typ, s.values)...)

	g.doc("%s", closeDoc)
	g.f.Func().Params(jen.Id(s.recv).Op("*").Id(s.typ)).Id("Close").Params().Error().Block(
		jen.Return(tpl("CloseAll").Call(s.closers...)))
}

// fieldValue is one line "field: value," of a composite literal.
func fieldValue(field string, value jen.Code) jen.Code {
	return jen.Line().Id(field).Op(":").Add(value)
}

// openedBody fills a struct typ from values, fieldValues of calls that
// store their first failure in err (evaluated in order, so it is the
// first field's), and returns it with templates.Opened.
func openedBody(recv, typ string, values []jen.Code) []jen.Code {
	return []jen.Code{
		jen.Var().Err().Error(),
		jen.Id(recv).Op(":=").Op("&").Id(typ).Values(append(values[:len(values):len(values)], jen.Line())...),
		jen.Return(tpl("Opened").Call(jen.Id(recv), jen.Err())),
	}
}

// describeMap says what a map is in C terms.
func describeMap(m *btfread.Map) string {
	var b strings.Builder
	b.WriteString(m.Type.String())
	switch {
	case m.Type == ebpf.PerfEventArray && m.MaxEntries == 0:
		b.WriteString(", one entry per CPU")
	case m.Type == ebpf.RingBuf || m.Type == ebpf.UserRingbuf:
		// max_entries of a ring buffer is its size in bytes.
		fmt.Fprintf(&b, ", %s", bytesText(m.MaxEntries))
	case m.Type == ebpf.Arena:
		fmt.Fprintf(&b, ", %d pages", m.MaxEntries)
	case m.MaxEntries == 1:
		b.WriteString(", 1 entry")
	default:
		fmt.Fprintf(&b, ", %d entries", m.MaxEntries)
	}
	if m.Key != nil {
		fmt.Fprintf(&b, ", key %s", layout.CType(m.Key))
	} else if m.KeySize > 0 {
		fmt.Fprintf(&b, ", %d-byte key", m.KeySize)
	}
	if m.Value != nil {
		what := "value"
		if m.Type == ebpf.RingBuf {
			what = "records"
		}
		fmt.Fprintf(&b, ", %s %s", what, layout.CType(m.Value))
	} else if m.ValueSize > 0 {
		fmt.Fprintf(&b, ", %d-byte value", m.ValueSize)
	}
	if m.Legacy {
		b.WriteString(", legacy definition")
	}
	return b.String()
}

// namedGoType is the planned Go type of a C type given by name in the
// options (validate has checked that it exists).
func (g *generator) namedGoType(cname string) (*layout.GoType, error) {
	t, err := g.lookupType(cname, true)
	if err != nil {
		return nil, err
	}
	return g.planner.GoType(t)
}

// emitPrograms writes the Programs struct, NewPrograms and Close.
func (g *generator) emitPrograms() {
	a := g.api
	if a.programs == "" {
		return
	}
	set := &handleSet{typ: a.programs, ctor: a.newPrograms, recv: "p", param: "progs", elem: jen.Qual(ebpfPkg, "Program")}
	for _, p := range g.obj.Programs {
		field := a.progFields[p]
		set.add([]jen.Code{comment("%s is the program %s.", field, cName(p))}, field,
			jen.Op("*").Qual(ebpfPkg, "Program"), map[string]string{"ebpf": p},
			tpl("Program").Call(jen.Op("&").Err(), jen.Id("progs"), jen.Lit(p)))
	}
	base := path.Base(g.obj.Path)
	g.emitHandleSet(set,
		fmt.Sprintf("%s holds every program of %s. Its ebpf tags also suit ebpf.CollectionSpec.LoadAndAssign.", a.programs, base),
		fmt.Sprintf("%s picks the programs of a collection loaded from %s: pass coll.Programs of an *ebpf.Collection. It fails, naming the program, if one is missing.", a.newPrograms, base),
		"Close closes every program and returns the first error.")
}

// emitObjects writes the Objects struct that holds maps and programs,
// its constructors and, with Options.Embed, the loaders of the embedded
// object.
func (g *generator) emitObjects() {
	a := g.api
	if a.objects == "" {
		return
	}
	base := path.Base(g.obj.Path)
	var fields []jen.Code
	var wrap []jen.Code
	var build []jen.Code
	if a.maps != "" {
		fields = append(fields, comment("Maps are the typed maps."), jen.Id("Maps").Op("*").Id(a.maps))
		wrap = append(wrap,
			jen.List(jen.Id("maps"), jen.Err()).Op(":=").Id(a.newMaps).Call(jen.Id("coll").Dot("Maps")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())))
		build = append(build, jen.Id("Maps").Op(":").Id("maps"))
	}
	if a.programs != "" {
		fields = append(fields, comment("Programs are the programs."), jen.Id("Programs").Op("*").Id(a.programs))
		wrap = append(wrap,
			jen.List(jen.Id("progs"), jen.Err()).Op(":=").Id(a.newPrograms).Call(jen.Id("coll").Dot("Programs")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())))
		build = append(build, jen.Id("Programs").Op(":").Id("progs"))
	}
	if l := g.load; l != nil && l.variables != "" {
		fields = append(fields, comment("Variables are the global variables."), jen.Id("Variables").Op("*").Id(l.variables))
		wrap = append(wrap,
			jen.List(jen.Id("vars"), jen.Err()).Op(":=").Id(l.newVariables).Call(jen.Id("coll").Dot("Variables"), jen.Id("coll").Dot("Maps")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())))
		build = append(build, jen.Id("Variables").Op(":").Id("vars"))
	}
	fields = append(fields, comment("Collection holds them all; Close closes it."), jen.Id("Collection").Op("*").Qual(ebpfPkg, "Collection"))
	build = append(build, jen.Id("Collection").Op(":").Id("coll"))

	var kinds []string
	for _, k := range []struct{ name, what string }{{a.maps, "maps"}, {a.programs, "programs"}, {g.load.variables, "global variables"}} {
		if k.name != "" {
			kinds = append(kinds, k.what)
		}
	}
	what := strings.Join(kinds, " and ")
	if len(kinds) == 3 {
		what = kinds[0] + ", " + kinds[1] + " and " + kinds[2]
	}
	g.docWrap("%s are the %s of %s, loaded into the kernel.", a.objects, what, base)
	g.f.Type().Id(a.objects).Struct(fields...)

	g.docWrap("%s wraps a collection loaded from %s. The result owns coll: Close it when done.", a.newObjects, base)
	body := []jen.Code{jen.If(jen.Id("coll").Op("==").Nil()).Block(
		jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit("nil *ebpf.Collection"))))}
	body = append(body, wrap...)
	body = append(body, jen.Return(jen.Op("&").Id(a.objects).Values(build...), jen.Nil()))
	g.f.Func().Id(a.newObjects).Params(jen.Id("coll").Op("*").Qual(ebpfPkg, "Collection")).
		Params(jen.Op("*").Id(a.objects), jen.Error()).Block(body...)

	changes := "map sizes, ..."
	if l := g.load; l != nil && l.editGlobals != "" {
		changes = "global data set with " + l.editGlobals + ", " + changes
	}
	g.docWrap("%s loads spec, the collection spec of %s with any changes made to it (%s), into the kernel and wraps it; opts may be nil. Close the result when done.", a.loadObjects, base, changes)
	g.f.Func().Id(a.loadObjects).Params(
		jen.Id("spec").Op("*").Qual(ebpfPkg, "CollectionSpec"),
		jen.Id("opts").Op("*").Qual(ebpfPkg, "CollectionOptions"),
	).Params(jen.Op("*").Id(a.objects), jen.Error()).Block(
		jen.Return(tpl("LoadCollection").Call(jen.Id("spec"), jen.Id("opts"), jen.Id(a.newObjects))))

	g.doc("Close closes every one of them.")
	g.f.Func().Params(jen.Id("o").Op("*").Id(a.objects)).Id("Close").Params().Error().Block(
		jen.Id("o").Dot("Collection").Dot("Close").Call(),
		jen.Return(jen.Nil()))

	if g.opts.Embed != "" {
		g.emitLoader()
	}
}

// emitLoader embeds the object and writes the functions that load it.
func (g *generator) emitLoader() {
	a := g.api
	embedded := path.Base(g.opts.Embed)
	g.hdr.Anon("embed")
	g.doc("%s is %s, embedded.", a.objectBytes, embedded)
	g.doc("")
	g.f.Comment("//go:embed " + embedPattern(g.opts.Embed))
	g.f.Var().Id(a.objectBytes).Index().Byte()

	g.docWrap("%s returns the collection spec of the embedded %s, to change before %s.", a.loadSpec, embedded, a.loadObjects)
	g.f.Func().Id(a.loadSpec).Params().Params(jen.Op("*").Qual(ebpfPkg, "CollectionSpec"), jen.Error()).Block(
		jen.Return(jen.Qual(ebpfPkg, "LoadCollectionSpecFromReader").Call(jen.Qual("bytes", "NewReader").Call(jen.Id(a.objectBytes)))))

	g.docWrap("%s loads the embedded %s into the kernel as compiled, and wraps it; opts may be nil. Close the result when done.", a.load, embedded)
	g.f.Func().Id(a.load).Params(jen.Id("opts").Op("*").Qual(ebpfPkg, "CollectionOptions")).
		Params(jen.Op("*").Id(a.objects), jen.Error()).Block(
		jen.List(jen.Id("spec"), jen.Err()).Op(":=").Id(a.loadSpec).Call(),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id(a.loadObjects).Call(jen.Id("spec"), jen.Id("opts"))),
	)
}

// embedPattern is a go:embed pattern naming exactly the file p: quoted
// where p has spaces or quotes (validate refused glob characters).
func embedPattern(p string) string {
	if strings.ContainsAny(p, " \t'\"") {
		return fmt.Sprintf("%q", p)
	}
	return p
}
