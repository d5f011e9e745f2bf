// Package gen writes the Go source for one eBPF object: types whose memory
// layout equals the C layout on every Go target of the object's byte order,
// with accessors and compile-time proofs of that layout.
//
// All Go is emitted with github.com/dave/jennifer, which also manages
// imports and formats the result.
package gen

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/btf"
	"github.com/dave/jennifer/jen"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/layout"
)

// templatesPkg is the import path of the hand-written code generated
// files build on.
const templatesPkg = "github.com/mapgen/mapgen/templates"

// Output is a generated file and what it declares.
type Output struct {
	// Source is the gofmt'ed Go source.
	Source []byte
	// Types lists the Go types declared for C structs, unions and enums,
	// in the order of the file.
	Types []*TypeInfo
	// Typedefs maps the C typedefs the file names (with Types and
	// AllTypes) to their Go names: an alias, or the type itself where
	// the typedef names it (typedef struct {...} foo_t) or spells its
	// name (typedef struct foo foo).
	Typedefs map[string]string
}

// TypeInfo ties a generated Go type to its C type, so that tests (and
// future commands such as verify) can check one against the other.
type TypeInfo struct {
	// Name is the Go type name.
	Name string
	// C is the *btf.Struct, *btf.Union or *btf.Enum.
	C btf.Type
	// Members maps each named C member (members of anonymous structs and
	// unions included) to how Go reaches it.
	Members map[string]MemberInfo
}

// MemberInfo says how Go code reaches one C member.
type MemberInfo struct {
	// Field is the Go field holding the member's bytes: the member
	// itself, or unexported storage it shares; empty for zero-size
	// members.
	Field string
	// Accessor is the getter method, empty for plain fields.
	Accessor string
	// Setter is the setter method of a member in storage (bitfields,
	// union members, packed members), empty otherwise.
	Setter string
	// Access is the kind of access.
	Access layout.Access
}

// Generate returns the gofmt'ed Go source for obj.
func Generate(obj *btfread.Object, opts Options) ([]byte, error) {
	out, err := GenerateFile(obj, opts)
	if err != nil {
		return nil, err
	}
	return out.Source, nil
}

// GenerateFile returns the Go source for obj and what it declares.
func GenerateFile(obj *btfread.Object, opts Options) (*Output, error) {
	g := &generator{
		obj:      obj,
		opts:     opts,
		planner:  layout.NewPlanner(),
		names:    make(map[*layout.Decl]string),
		pkg:      newScope(),
		typedefs: make(map[string]string),
	}
	if err := g.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", obj.Path, err)
	}
	if err := g.collect(); err != nil {
		return nil, fmt.Errorf("%s: %w", obj.Path, err)
	}
	g.reserveAPI()
	g.reserveLoadAPI()
	g.nameDecls()

	// The header's file names the imports of every part (render.go).
	hdr := jen.NewFile(opts.Package)
	g.emitHeader(hdr)
	g.hdr = hdr
	g.f = jen.NewFile(opts.Package)
	g.emitVersionCheck()
	pre, err := renderPart(g.f, hdr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", obj.Path, err)
	}
	parts, registries := g.renderDecls()
	for _, p := range parts {
		if p.err != nil {
			return nil, fmt.Errorf("%s: %w", obj.Path, p.err)
		}
		g.types = append(g.types, p.types...)
	}

	g.f, g.proofs = jen.NewFile(opts.Package), jen.NewFile(opts.Package)
	g.emitAliases()
	if err := g.emitMaps(); err != nil {
		return nil, fmt.Errorf("%s: %w", obj.Path, err)
	}
	g.emitPrograms()
	g.emitObjects()
	if err := g.emitData(); err != nil {
		return nil, fmt.Errorf("%s: %w", obj.Path, err)
	}
	if err := g.emitLoadAPI(); err != nil {
		return nil, fmt.Errorf("%s: %w", obj.Path, err)
	}
	body, err := renderPart(g.f, hdr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", obj.Path, err)
	}
	proofs, err := renderPart(g.proofs, hdr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", obj.Path, err)
	}
	if err := importAll(hdr, registries); err != nil {
		return nil, fmt.Errorf("%s: %w", obj.Path, err)
	}
	var head bytes.Buffer
	if err := hdr.Render(&head); err != nil {
		return nil, fmt.Errorf("%s: %w: generated Go does not parse: %s", obj.Path, ErrInternal, firstLine(err.Error()))
	}

	all := make([][]byte, 0, 2*len(parts)+4)
	all = append(all, bytes.TrimSpace(head.Bytes()), pre)
	for _, p := range parts {
		all = append(all, p.decl)
	}
	all = append(all, body)
	for _, p := range parts {
		all = append(all, p.proof)
	}
	all = append(all, proofs)
	return &Output{Source: join(all...), Types: g.types, Typedefs: g.typedefs}, nil
}

// firstLine is the first line of s: jennifer's render errors carry the
// whole source after it, which must never reach a terminal.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func byteOrderName(obj *btfread.Object) string {
	if obj.ByteOrder == nil || obj.ByteOrder.String() == "LittleEndian" {
		return "little-endian"
	}
	return "big-endian"
}

type generator struct {
	obj     *btfread.Object
	opts    Options
	planner *layout.Planner
	// names are the Go names of declarations.
	names map[*layout.Decl]string
	// pkg is the package-level namespace.
	pkg     *scope
	aliases []alias
	// f receives the declarations being emitted, proofs their layout
	// proofs, which the file gathers at its end; hdr is the file's
	// header, package clause and imports.
	f, proofs, hdr *jen.File
	// types records what the file declares, for Output.
	types []*TypeInfo
	// memberNames caches the field and method names of composites.
	memberNames map[*layout.Decl]*typeNames
	// enumerators are the Go constant names of each enum's values, in
	// the order of layout.Enum.Values (for initial values).
	enumerators map[*layout.Decl][]string
	// api holds the names of the generated API; load those of loading
	// with configuration, variables and map definitions.
	api  *api
	load *loadAPI
	// sameName groups the declarations of one kind and C name, for
	// duplicateDoc.
	sameName map[string][]*layout.Decl
	// typedefs are the Go names of C typedefs, for Output.
	typedefs map[string]string
}

// alias is a typedef asked for with --type that names another type.
type alias struct {
	cname  string
	target *layout.GoType
	name   string
}

// collect plans every type the file needs, in a deterministic order: map
// keys and values, data section variables, types asked for.
func (g *generator) collect() error {
	p := g.planner
	for _, m := range g.obj.Maps {
		for _, mm := range []*btfread.Map{m, m.Inner} {
			if mm == nil {
				continue
			}
			if mm.Key != nil {
				if _, err := p.GoType(mm.Key, m.Name, "key"); err != nil {
					return fmt.Errorf("map %q: key: %w", m.Name, err)
				}
			}
			if mm.Value != nil {
				if _, err := p.GoType(mm.Value, m.Name, "value"); err != nil {
					return fmt.Errorf("map %q: value: %w", m.Name, err)
				}
			}
		}
	}
	for _, ds := range g.obj.DataSections {
		for _, v := range ds.Variables {
			if !exported(v) {
				continue
			}
			if _, err := p.GoType(v.Type, v.Name); err != nil {
				return fmt.Errorf("section %s: variable %q: %w", ds.Name, v.Name, err)
			}
		}
	}
	for _, name := range g.opts.Types {
		if err := g.collectNamed(name); err != nil {
			return err
		}
	}
	// Types bound by options, in a deterministic order.
	for _, name := range sortedKeys(g.opts.Events) {
		if _, err := g.namedGoType(g.opts.Events[name]); err != nil {
			return fmt.Errorf("map %q: event type %s: %w", name, g.opts.Events[name], err)
		}
	}
	for _, name := range sortedKeys(g.opts.MapTypes) {
		b := g.opts.MapTypes[name]
		for _, cname := range []string{b.Key, b.Value} {
			if cname == "" {
				continue
			}
			if _, err := g.namedGoType(cname); err != nil {
				return fmt.Errorf("map %q: bound type %s: %w", name, cname, err)
			}
		}
	}
	if g.opts.AllTypes {
		return g.collectAll()
	}
	return nil
}

// collectAll plans every named struct, union and enum of the BTF, and
// gives every typedef of one a Go name: the type's own, where the typedef
// names an anonymous type, else an alias. BTF deduplication can fold the
// typedefs of several identical anonymous structs (vfsuid_t, vfsgid_t)
// onto one struct: the first names it, the others become aliases of it.
func (g *generator) collectAll() error {
	for t, err := range g.obj.Spec.All() {
		if err != nil {
			return fmt.Errorf("reading BTF: %w", err)
		}
		switch t := t.(type) {
		case *btf.Struct, *btf.Union, *btf.Enum:
			if t.TypeName() == "" {
				continue
			}
			if _, err := g.planner.Decl(t); err != nil {
				return fmt.Errorf("type %s: %w", layout.CType(t), err)
			}
		case *btf.Typedef:
			if kindOf(layout.Underlying(t)) == "" {
				continue
			}
			gt, err := g.planner.GoType(t)
			if err != nil {
				return fmt.Errorf("type %s: %w", layout.CType(t), err)
			}
			g.aliases = append(g.aliases, alias{cname: t.Name, target: gt})
		}
	}
	return nil
}

// collectNamed plans the C types a name given in Options.Types stands
// for: the struct, union or enum, and the typedef, of that name.
func (g *generator) collectNamed(name string) error {
	first, err := g.lookupType(name, false)
	if err != nil {
		return fmt.Errorf("type %q: %w", name, err)
	}
	types, _ := g.obj.Spec.AnyTypesByName(first.TypeName())
	for _, t := range types {
		switch t := t.(type) {
		case *btf.Struct, *btf.Union, *btf.Enum:
			if k := kindOf(first); k != "" && k != kindOf(t) {
				continue
			}
			if _, err := g.planner.Decl(t); err != nil {
				return fmt.Errorf("type %s: %w", layout.CType(t), err)
			}
		case *btf.Typedef:
			if kindOf(first) != "" && strings.Contains(name, " ") {
				continue // "struct foo" asks for the struct only
			}
			gt, err := g.planner.GoType(t)
			if err != nil {
				return fmt.Errorf("type %s: %w", t.Name, err)
			}
			g.aliases = append(g.aliases, alias{cname: t.Name, target: gt})
		}
	}
	return nil
}

// nameDecls gives every declaration and alias its Go name, after the
// API's names are taken: C names give way to those.
func (g *generator) nameDecls() {
	p := g.opts.Prefix
	decls := g.planner.Decls()
	nameEach(g.pkg, len(decls), func(i int) string {
		if d := decls[i]; d.CName != "" {
			return prefixed(p, d.CName)
		}
		if j := joinName(decls[i].Hint...); j != "" {
			return p + j
		}
		return ""
	}, func(i int) string { return p + "Type" + strconv.Itoa(i) },
		func(i int, name string) { g.names[decls[i]] = name })

	// Enumerators come after every type; an enum's unnamed ones are
	// called after it (ColorValue1).
	type enumerator struct {
		d *layout.Decl
		i int
	}
	var all []enumerator
	g.enumerators = make(map[*layout.Decl][]string)
	for _, d := range decls {
		if d.Enum != nil {
			g.enumerators[d] = make([]string, len(d.Enum.Values))
			for i := range d.Enum.Values {
				all = append(all, enumerator{d, i})
			}
		}
	}
	nameEach(g.pkg, len(all),
		func(i int) string { return prefixed(p, all[i].d.Enum.Values[all[i].i].Name) },
		func(i int) string { return g.names[all[i].d] + "Value" + strconv.Itoa(all[i].i) },
		func(i int, name string) { g.enumerators[all[i].d][all[i].i] = name })

	seen := make(map[alias]bool)
	for i := range g.aliases {
		a := &g.aliases[i]
		if seen[*a] {
			continue // asked for twice (Types and AllTypes)
		}
		seen[*a] = true
		want := goName(a.cname)
		if want == "" {
			continue // no Go name, and nothing needs one: the type has its own
		}
		if a.target.Kind == layout.GoNamed && g.names[a.target.Decl] == p+want {
			// typedef struct foo foo, or the typedef that names an
			// anonymous type: the type has the name already.
			g.typedefs[a.cname] = p + want
			continue
		}
		a.name = g.pkg.name(p + want)
		g.typedefs[a.cname] = a.name
	}
}

func (g *generator) emitAliases() {
	for _, a := range g.aliases {
		if a.name == "" {
			continue
		}
		g.docWrap("%s is the C typedef %s.", a.name, cName(a.cname))
		g.f.Type().Id(a.name).Op("=").Add(g.typeCode(a.target))
	}
}

// typeCode is the Go spelling of a planned type.
func (g *generator) typeCode(t *layout.GoType) jen.Code {
	switch t.Kind {
	case layout.GoBasic:
		return jen.Id(t.Name)
	case layout.GoPointer:
		return jen.Uint64()
	case layout.GoBool:
		return jen.Qual(templatesPkg, "Bool")
	case layout.GoInt128:
		if t.Signed {
			return jen.Qual(templatesPkg, "Int128")
		}
		return jen.Qual(templatesPkg, "Uint128")
	case layout.GoBytes:
		return jen.Index(jen.Lit(int(t.Size))).Byte()
	case layout.GoArray:
		return jen.Index(jen.Lit(int(t.Len))).Add(g.typeCode(t.Elem))
	case layout.GoNamed:
		return jen.Id(g.names[t.Decl])
	}
	panic(fmt.Sprintf("gen: unknown Go kind %d", t.Kind))
}

// describe names a declaration in C for doc comments.
func describe(d *layout.Decl) string {
	kind := d.Kind.String()
	if d.CName != "" {
		return "the C " + kind + " " + cName(d.CName)
	}
	hint := make([]string, len(d.Hint))
	for i, h := range d.Hint {
		hint[i] = cName(h)
	}
	if len(hint) == 1 {
		return fmt.Sprintf("the anonymous C %s named by typedef %s", kind, hint[0])
	}
	return fmt.Sprintf("the anonymous C %s at %s", kind, strings.Join(hint, "."))
}
