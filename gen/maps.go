package gen

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/dave/jennifer/jen"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/layout"
)

const ebpfPkg = "github.com/cilium/ebpf"

// wrapper is how Go code reaches one map: the wrapper type and how to make
// it from an *ebpf.Map.
type wrapper struct {
	// typ is the wrapper's Go type; *ebpf.Map where there is none.
	typ jen.Code
	// ctor names the templates constructor, func(name, *ebpf.Map)
	// (wrapper, error); nil for a plain *ebpf.Map.
	ctor jen.Code
	// extra are further constructor arguments (the inner map opener).
	extra []jen.Code
	// kinds are the map types a plain *ebpf.Map must have.
	kinds []ebpf.MapType
	// desc says in words what the wrapper offers, for doc comments.
	desc string
	// bytes is true where key or value are bytes for want of BTF types.
	bytes bool
}

// mapTypes returns the Go key and value types of m: from BTF, from
// --map-type, or bytes of the sizes the definition gives.
func (g *generator) mapTypes(m *btfread.Map) (key, value *layout.GoType, err error) {
	bind := g.opts.MapTypes[m.Name]
	resolve := func(t btf.Type, cname string, size uint32, what string) (*layout.GoType, error) {
		switch {
		case cname != "":
			gt, err := g.namedGoType(cname)
			if err != nil {
				return nil, fmt.Errorf("map %q: --map-type %s: %w", m.Name, what, err)
			}
			if gt.Size != size {
				return nil, fmt.Errorf("map %q: --map-type %s %s is %d bytes, but the map's %s size is %d",
					m.Name, what, cname, gt.Size, what, size)
			}
			return gt, nil
		case t != nil:
			gt, err := g.planner.GoType(t, m.Name, what)
			if err != nil {
				return nil, fmt.Errorf("map %q: %s: %w", m.Name, what, err)
			}
			return gt, nil
		case size > 0:
			return &layout.GoType{Kind: layout.GoBytes, Size: size, Align: 1}, nil
		}
		return nil, nil
	}
	if key, err = resolve(m.Key, bind[0], m.KeySize, "key"); err != nil {
		return nil, nil, err
	}
	if value, err = resolve(m.Value, bind[1], m.ValueSize, "value"); err != nil {
		return nil, nil, err
	}
	return key, value, nil
}

// wrapperOf chooses the typed wrapper for a map by its kind.
func (g *generator) wrapperOf(m *btfread.Map) (*wrapper, error) {
	key, value, err := g.mapTypes(m)
	if err != nil {
		return nil, err
	}
	tpl := func(name string) *jen.Statement { return jen.Qual(templatesPkg, name) }
	isBytes := func(t *layout.GoType) bool { return t != nil && t.Kind == layout.GoBytes }
	kv := func(name string) *wrapper {
		return &wrapper{
			typ:   tpl(name).Types(g.typeCode(key), g.typeCode(value)),
			ctor:  tpl("New"+name).Types(g.typeCode(key), g.typeCode(value)),
			bytes: isBytes(key) || isBytes(value),
		}
	}
	v := func(name string) *wrapper {
		return &wrapper{
			typ:   tpl(name).Types(g.typeCode(value)),
			ctor:  tpl("New" + name).Types(g.typeCode(value)),
			bytes: isBytes(value),
		}
	}
	raw := &wrapper{typ: jen.Op("*").Qual(ebpfPkg, "Map"), kinds: []ebpf.MapType{m.Type}}
	hasKV := key != nil && value != nil

	switch m.Type {
	case ebpf.Hash, ebpf.LRUHash:
		if hasKV {
			w := kv("Hash")
			w.desc = "Lookup, Update, Delete, Iterate and batch operations"
			return w, nil
		}
	case ebpf.Array:
		if value != nil && key != nil && key.Size == 4 {
			w := v("Array")
			w.desc = "Lookup, Update, Iterate and batch operations by uint32 index"
			return w, nil
		}
	case ebpf.PerCPUHash, ebpf.LRUCPUHash:
		if hasKV {
			w := kv("PerCPUHash")
			w.desc = "values as one V per possible CPU"
			return w, nil
		}
	case ebpf.PerCPUArray:
		if value != nil && key != nil && key.Size == 4 {
			w := v("PerCPUArray")
			w.desc = "values as one V per possible CPU"
			return w, nil
		}
	case ebpf.LPMTrie:
		if hasKV {
			w := kv("LPMTrie")
			w.desc = "longest prefix match; the key starts with its prefix length"
			return w, nil
		}
	case ebpf.Queue, ebpf.Stack, ebpf.BloomFilter:
		if value != nil {
			name := map[ebpf.MapType]string{ebpf.Queue: "Queue", ebpf.Stack: "Stack", ebpf.BloomFilter: "BloomFilter"}[m.Type]
			w := v(name)
			w.desc = "Push, Pop and Peek"
			if m.Type == ebpf.BloomFilter {
				w.desc = "Push and Contains"
			}
			return w, nil
		}
	case ebpf.ProgramArray:
		return &wrapper{typ: tpl("ProgArray"), ctor: tpl("NewProgArray"), desc: "programs by index"}, nil
	case ebpf.ArrayOfMaps, ebpf.HashOfMaps:
		if m.Inner == nil {
			break
		}
		inner, err := g.wrapperOf(m.Inner)
		if err != nil {
			return nil, err
		}
		if inner.ctor == nil {
			break // inner maps without a typed wrapper: stay untyped
		}
		opener := tpl("OpenerOf").Call(jen.Lit(m.Inner.Name), inner.ctor)
		if m.Type == ebpf.ArrayOfMaps {
			return &wrapper{
				typ: tpl("ArrayOfMaps").Types(inner.typ), ctor: tpl("NewArrayOfMaps").Types(inner.typ),
				extra: []jen.Code{opener}, desc: "typed inner maps by index",
			}, nil
		}
		if key == nil {
			break
		}
		return &wrapper{
			typ: tpl("HashOfMaps").Types(g.typeCode(key), inner.typ), ctor: tpl("NewHashOfMaps").Types(g.typeCode(key), inner.typ),
			extra: []jen.Code{opener}, desc: "typed inner maps by key",
		}, nil
	case ebpf.RingBuf, ebpf.PerfEventArray:
		raw.desc = "read with a typed reader"
		return raw, nil
	}
	if hasKV {
		w := kv("Map")
		w.desc = "Lookup, Update, Delete and Iterate with typed keys and values"
		return w, nil
	}
	raw.desc = "no typed wrapper: the definition gives no key or value type"
	return raw, nil
}

// emitMaps writes per-map constants, the Maps struct of typed wrappers with
// its constructor, typed event readers and, with Embed, a loader.
func (g *generator) emitMaps() error {
	if len(g.obj.Maps) == 0 {
		return nil
	}
	for name := range g.opts.MapTypes {
		if g.findMap(name) == nil {
			return fmt.Errorf("--map-type %s: no map of that name", name)
		}
	}
	mapsType := g.pkg.name("Maps")
	fieldScope := newScope()
	var fields, inits []jen.Code
	var readers []func()
	typed := false // whether any constructor returns an error to assign
	for _, m := range g.obj.Maps {
		w, err := g.wrapperOf(m)
		if err != nil {
			return err
		}
		goMap := goName(m.Name)
		field := fieldScope.name(goMap)
		g.emitMapConsts(m, goMap)

		doc := fmt.Sprintf("%s is map %s: %s", field, m.Name, describeMap(m))
		if w.desc != "" {
			doc += "; " + w.desc
		}
		if w.bytes {
			doc += ". Its definition carries no BTF key or value type: keys and values are bytes unless mapgen is given --map-type " + m.Name + "=KEY,VALUE"
		}
		fields = append(fields, jen.Comment(doc+"."), jen.Id(field).Add(w.typ))

		coll := jen.Id("maps").Index(jen.Lit(m.Name))
		if w.ctor != nil {
			typed = true
			args := append([]jen.Code{jen.Lit(m.Name), coll}, w.extra...)
			// Wrappers serve related kinds (hash and LRU hash); the
			// object declares exactly one.
			inits = append(inits, jen.If(
				jen.Err().Op(":=").Qual(templatesPkg, "CheckType").Call(jen.Lit(m.Name), coll.Clone(), jen.Qual(ebpfPkg, m.Type.String())),
				jen.Err().Op("!=").Nil(),
			).Block(jen.Return(jen.Nil(), jen.Err())))
			inits = append(inits, jen.If(
				jen.List(jen.Id("m").Dot(field), jen.Err()).Op("=").Add(w.ctor).Call(args...),
				jen.Err().Op("!=").Nil(),
			).Block(jen.Return(jen.Nil(), jen.Err())))
		} else {
			kinds := []jen.Code{jen.Lit(m.Name), jen.Id("m").Dot(field)}
			for _, k := range w.kinds {
				kinds = append(kinds, jen.Qual(ebpfPkg, k.String()))
			}
			inits = append(inits,
				jen.Id("m").Dot(field).Op("=").Add(coll),
				jen.If(jen.Err().Op(":=").Qual(templatesPkg, "CheckType").Call(kinds...), jen.Err().Op("!=").Nil()).
					Block(jen.Return(jen.Nil(), jen.Err())))
		}
		if ev, ok := g.opts.Events[m.Name]; ok {
			reader, err := g.eventReader(mapsType, field, fieldScope, m, ev)
			if err != nil {
				return err
			}
			readers = append(readers, reader)
		}
	}
	for name := range g.opts.Events {
		if g.findMap(name) == nil {
			return fmt.Errorf("--event %s: no map of that name", name)
		}
	}

	g.f.Commentf("%s holds a typed wrapper of every map in %s.", mapsType, path.Base(g.obj.Path))
	g.f.Type().Id(mapsType).Struct(fields...)

	newMaps := g.pkg.nameRaw("New" + g.pkg.prefix + "Maps")
	g.f.Commentf("%s wraps the maps of a loaded collection: pass coll.Maps of an *ebpf.Collection", newMaps)
	g.f.Comment("loaded from this object (by hand, by bpf2go's loader, or by Load). It checks each")
	g.f.Comment("map's kind and its key and value sizes against the Go types, and names the map")
	g.f.Comment("that differs.")
	body := []jen.Code{jen.Var().Id("m").Id(mapsType)}
	if typed {
		body = append(body, jen.Var().Err().Error())
	}
	body = append(body, inits...)
	body = append(body, jen.Return(jen.Op("&").Id("m"), jen.Nil()))
	g.f.Func().Id(newMaps).Params(jen.Id("maps").Map(jen.String()).Op("*").Qual(ebpfPkg, "Map")).
		Params(jen.Op("*").Id(mapsType), jen.Error()).Block(body...)

	for _, r := range readers {
		r()
	}
	if g.opts.Embed != "" {
		g.emitLoader(mapsType, newMaps)
	}
	return nil
}

func (g *generator) findMap(name string) *btfread.Map {
	for _, m := range g.obj.Maps {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// emitMapConsts writes the name, kind, size and flags of a map as
// constants.
func (g *generator) emitMapConsts(m *btfread.Map, goMap string) {
	g.f.Commentf("Map %s: %s.", m.Name, describeMap(m))
	g.f.Const().Defs(
		jen.Id(g.pkg.name(goMap+"MapName")).Op("=").Lit(m.Name),
		jen.Id(g.pkg.name(goMap+"MapType")).Op("=").Qual(ebpfPkg, m.Type.String()),
		jen.Id(g.pkg.name(goMap+"MapMaxEntries")).Op("=").Lit(int(m.MaxEntries)),
		jen.Id(g.pkg.name(goMap+"MapFlags")).Op("=").Lit(int(m.Flags)),
	)
}

// describeMap says what a map is in C terms.
func describeMap(m *btfread.Map) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %d entries", m.Type, m.MaxEntries)
	if m.Key != nil {
		fmt.Fprintf(&b, ", key %s", layout.CType(m.Key))
	} else if m.KeySize > 0 {
		fmt.Fprintf(&b, ", %d-byte key", m.KeySize)
	}
	if m.Value != nil {
		fmt.Fprintf(&b, ", value %s", layout.CType(m.Value))
	} else if m.ValueSize > 0 {
		fmt.Fprintf(&b, ", %d-byte value", m.ValueSize)
	}
	if m.Legacy {
		b.WriteString(", legacy definition")
	}
	return b.String()
}

// eventReader prepares the method that opens a typed reader of a ring
// buffer or perf event array.
func (g *generator) eventReader(mapsType, field string, s *scope, m *btfread.Map, cname string) (func(), error) {
	if m.Type != ebpf.RingBuf && m.Type != ebpf.PerfEventArray {
		return nil, fmt.Errorf("--event %s=%s: map %s is a %s, not a ring buffer or perf event array", m.Name, cname, m.Name, m.Type)
	}
	ev, err := g.namedGoType(cname)
	if err != nil {
		return nil, fmt.Errorf("--event %s=%s: %w", m.Name, cname, err)
	}
	method := s.name(field + "Reader")
	return func() {
		recv := jen.Id("m").Op("*").Id(mapsType)
		if m.Type == ebpf.RingBuf {
			g.f.Commentf("%s opens a reader of ring buffer %s that decodes each record into %s;", method, m.Name, cname)
			g.f.Comment("a record of another size is an error. Close it when done.")
			g.f.Func().Params(recv).Id(method).Params().
				Params(jen.Op("*").Qual(templatesPkg, "RingBufReader").Types(g.typeCode(ev)), jen.Error()).
				Block(jen.Return(jen.Qual(templatesPkg, "NewRingBufReader").Types(g.typeCode(ev)).Call(jen.Lit(m.Name), jen.Id("m").Dot(field))))
			return
		}
		g.f.Commentf("%s opens a reader of perf event array %s with perCPUBuffer bytes per CPU that", method, m.Name)
		g.f.Commentf("decodes each sample into %s; a sample of another size is an error. Close it when done.", cname)
		g.f.Func().Params(recv).Id(method).Params(jen.Id("perCPUBuffer").Int()).
			Params(jen.Op("*").Qual(templatesPkg, "PerfReader").Types(g.typeCode(ev)), jen.Error()).
			Block(jen.Return(jen.Qual(templatesPkg, "NewPerfReader").Types(g.typeCode(ev)).Call(jen.Lit(m.Name), jen.Id("m").Dot(field), jen.Id("perCPUBuffer"))))
	}, nil
}

// namedGoType is the planned Go type of a C type given by name (struct,
// union or enum tag, or typedef), as on the command line.
func (g *generator) namedGoType(cname string) (*layout.GoType, error) {
	types, err := g.obj.Spec.AnyTypesByName(cname)
	if err != nil {
		return nil, fmt.Errorf("type %q: not found", cname)
	}
	var candidates []string
	for _, t := range types {
		switch t.(type) {
		case *btf.Struct, *btf.Union, *btf.Enum, *btf.Typedef, *btf.Int:
			return g.planner.GoType(t)
		}
		candidates = append(candidates, fmt.Sprintf("%T", t))
	}
	sort.Strings(candidates)
	return nil, fmt.Errorf("type %q: no struct, union, enum, typedef or integer of that name (found %s)", cname, strings.Join(candidates, ", "))
}

// emitLoader embeds the object and writes functions that load it.
func (g *generator) emitLoader(mapsType, newMaps string) {
	g.f.Anon("embed")
	// Unexported, so the prefix follows the lower-case first letter:
	// objectBytes, or fooObjectBytes for prefix Foo.
	objVar := g.pkg.nameRaw(lowerFirst(g.pkg.prefix + "ObjectBytes"))
	loadSpec := g.pkg.name("LoadSpec")
	load := g.pkg.name("Load")
	g.f.Commentf("%s is %s, embedded.", objVar, path.Base(g.opts.Embed))
	g.f.Comment("")
	g.f.Comment("//go:embed " + g.opts.Embed)
	g.f.Var().Id(objVar).Index().Byte()

	g.f.Commentf("%s returns the collection spec of the embedded %s, to change before loading.", loadSpec, path.Base(g.opts.Embed))
	g.f.Func().Id(loadSpec).Params().Params(jen.Op("*").Qual(ebpfPkg, "CollectionSpec"), jen.Error()).Block(
		jen.Return(jen.Qual(ebpfPkg, "LoadCollectionSpecFromReader").Call(jen.Qual("bytes", "NewReader").Call(jen.Id(objVar)))))

	g.f.Commentf("%s loads the embedded object into the kernel and wraps its maps; opts may be nil.", load)
	g.f.Comment("Close the collection when done.")
	g.f.Func().Id(load).Params(jen.Id("opts").Op("*").Qual(ebpfPkg, "CollectionOptions")).
		Params(jen.Op("*").Qual(ebpfPkg, "Collection"), jen.Op("*").Id(mapsType), jen.Error()).Block(
		jen.List(jen.Id("spec"), jen.Err()).Op(":=").Id(loadSpec).Call(),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Err())),
		jen.If(jen.Id("opts").Op("==").Nil()).Block(jen.Id("opts").Op("=").Op("&").Qual(ebpfPkg, "CollectionOptions").Values()),
		jen.List(jen.Id("coll"), jen.Err()).Op(":=").Qual(ebpfPkg, "NewCollectionWithOptions").Call(jen.Id("spec"), jen.Op("*").Id("opts")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Err())),
		jen.List(jen.Id("maps"), jen.Err()).Op(":=").Id(newMaps).Call(jen.Id("coll").Dot("Maps")),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Id("coll").Dot("Close").Call(),
			jen.Return(jen.Nil(), jen.Nil(), jen.Err())),
		jen.Return(jen.Id("coll"), jen.Id("maps"), jen.Nil()),
	)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
