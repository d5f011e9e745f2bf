package gen

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/dave/jennifer/jen"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/layout"
)

// emitData writes the Go view of the object's global data sections and the
// static .values slots of its maps.
//
// A data section becomes a synthetic C struct of the section's size with
// one member per global variable at its offset, planned by package layout
// like any other struct: padding, packed or unaligned variables (storage
// with accessors), bitfields and layout proofs all follow the same rules.
// Static variables are padding (see exported). Its initial contents become
// a composite literal, decoded from the section's bytes in the object's
// byte order.
func (g *generator) emitData() error {
	for _, ds := range g.sections() {
		if err := g.emitSection(ds); err != nil {
			return fmt.Errorf("section %s: %w", ds.Name, err)
		}
	}
	g.emitValues()
	return nil
}

// sectionStruct is the synthetic C struct of a data section, of size
// bytes (ds.Size or more), with a member per global variable.
//
// A member's offset is in bits in 32 bits (btf.Bits): one at 512 MiB
// would wrap, so offsets are computed in 64 bits and the struct is held
// to layout.MaxSize, within which every bit offset fits.
func sectionStruct(ds *btfread.DataSection, size uint64) (*btf.Struct, error) {
	if size > layout.MaxSize {
		return nil, fmt.Errorf("%d bytes exceed the limit of %d bytes", size, layout.MaxSize)
	}
	st := &btf.Struct{Size: uint32(size)}
	for _, v := range ds.Variables {
		if !exported(v) {
			continue
		}
		if end := uint64(v.Offset) + uint64(v.Size); end > size {
			return nil, fmt.Errorf("variable %q: offset %d + size %d beyond the %d-byte section", v.Name, v.Offset, v.Size, size)
		}
		st.Members = append(st.Members, btf.Member{
			Name:   v.Name,
			Type:   v.Type,
			Offset: btf.Bits(uint64(v.Offset) * 8),
		})
	}
	return st, nil
}

// identifier makes a C-like identifier of s: every byte other than a
// letter, digit or underscore becomes an underscore (sections are called
// ".data.my-sec").
func identifier(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '_':
			return r
		}
		return '_'
	}, s)
}

func (g *generator) emitSection(ds *btfread.DataSection) error {
	if uint32(len(ds.Contents)) != ds.Size {
		return fmt.Errorf("%d bytes of contents for a %d-byte section", len(ds.Contents), ds.Size)
	}
	// Sections end where their last variable does (.rodata of a u64 and
	// a u32 has 12 bytes): a Go struct of that size could not hold the
	// u64 as a plain field, as Go would round its size up. So the Go
	// struct extends the section with tail padding to the largest
	// alignment of its variables; only the section's bytes are read
	// and written.
	align := uint32(1)
	var static []string
	for _, v := range ds.Variables {
		if !exported(v) {
			static = append(static, cName(v.Name))
			continue
		}
		t, err := g.planner.GoType(v.Type, v.Name)
		if err != nil {
			return fmt.Errorf("variable %q: %w", v.Name, err)
		}
		align = max(align, t.Align)
	}
	size64 := (uint64(ds.Size) + uint64(align) - 1) / uint64(align) * uint64(align)
	synthetic, err := sectionStruct(ds, size64)
	if err != nil {
		return err
	}
	size := synthetic.Size
	before := len(g.planner.Decls())
	d, err := g.planner.Decl(synthetic, ds.Name)
	if err != nil {
		return err
	}
	if n := len(g.planner.Decls()); n != before+1 {
		// collect() plans every variable's type: the section's struct
		// must not reach a type renderDecls has not written.
		return fmt.Errorf("%w: planning the section reached %d undeclared types", ErrInternal, n-before-1)
	}
	sa := g.api.sections[ds]
	name := sa.typ
	g.names[d] = name

	what := "the global data section " + ds.Name
	if size != ds.Size {
		what += fmt.Sprintf(" (%d bytes; %d bytes of Go tail padding keep its fields aligned)", ds.Size, size-ds.Size)
	}
	switch {
	case ds.ReadOnly:
		what += " (read-only for programs: set it before loading with " + g.load.editGlobals + ")"
	case isBSS(ds):
		what += " (zero-initialised)"
	}
	var paragraphs []string
	if len(static) > 0 {
		paragraphs = append(paragraphs, fmt.Sprintf("Static variables are not fields: like libbpf's skeletons and cilium/ebpf's Variables, mapgen shows global variables only, and Go code that wrote a static one (such as a format string of bpf_printk) would break the program. Their bytes keep the values the object gives them: %s.", strings.Join(static, ", ")))
	}
	g.emitCompositeAs(d, what, paragraphs...)

	var st litState
	contents := append(append([]byte(nil), ds.Contents...), make([]byte, size-ds.Size)...)
	lit := g.compositeLit(d, contents, true, &st)
	g.doc("%s returns the contents of %s as compiled into the object.", sa.defaults, ds.Name)
	if st.padding {
		g.doc("")
		g.docWrap("The object has bytes that are not zero outside the variables (static variables, parts of static variables clang split): the result does not hold them, and %s keeps them as they are.", g.load.editGlobals)
	}
	g.f.Func().Id(sa.defaults).Params().Id(name).Block(jen.Return(lit))

	section := jen.List(jen.Lit(ds.Name), jen.Lit(int(ds.Size)))
	g.docWrap("%s reads %s from the map of a loaded collection.", sa.read, ds.Name)
	g.f.Func().Id(sa.read).Params(jen.Id("coll").Op("*").Qual(ebpfPkg, "Collection")).
		Params(jen.Id(name), jen.Error()).
		Block(jen.Return(tpl("ReadSection").Types(jen.Id(name)).Call(jen.Id("coll"), section.Clone())))

	return nil
}

func isBSS(ds *btfread.DataSection) bool {
	return ds.Name == ".bss" || strings.HasPrefix(ds.Name, ".bss.")
}

// emitValues writes the static .values slots of map-in-map and program
// array maps, and functions that apply them to a loaded collection and
// check them against it.
func (g *generator) emitValues() {
	a := g.api
	if a.staticValues == "" {
		return
	}
	var vals []jen.Code
	for _, m := range g.obj.Maps {
		if len(m.Values) == 0 {
			continue
		}
		slots := make([]jen.Code, 0, len(m.Values))
		for _, s := range m.Values {
			slots = append(slots, jen.Line().Values(jen.Id("Index").Op(":").Lit(int(s.Index)), jen.Id("Name").Op(":").Lit(s.Name)))
		}
		slots = append(slots, jen.Line())
		fields := []jen.Code{jen.Line().Id("Map").Op(":").Lit(m.Name)}
		if m.Type == ebpf.ProgramArray {
			fields = append(fields, jen.Line().Id("Programs").Op(":").True())
		}
		fields = append(fields, jen.Line().Id("Slots").Op(":").Index().Add(tpl("Slot")).Values(slots...), jen.Line())
		vals = append(vals, jen.Line().Values(fields...))
	}
	vals = append(vals, jen.Line())
	g.docWrap("%s are the static .values of the object's maps: the maps and programs their slots hold once loaded.", a.staticValues)
	g.f.Var().Id(a.staticValues).Op("=").Index().Add(tpl("StaticValues")).Values(vals...)

	coll := jen.Id("coll").Op("*").Qual(ebpfPkg, "Collection")
	g.docWrap("%s puts the maps and programs that the object's static .values name into their slots of the outer maps and program arrays of coll. cilium/ebpf does this when it loads the object itself; call it after loading another way.", a.applyValues)
	g.f.Func().Id(a.applyValues).Params(coll.Clone()).Error().
		Block(jen.Return(tpl("ApplyValues").Call(jen.Id("coll"), jen.Id(a.staticValues).Op("..."))))

	g.docWrap("%s checks that every static .values slot of the live maps of coll holds the map or program of coll that the object names (by kernel ID); the error, a *templates.SlotError, names the map and slot that differ.", a.checkValues)
	g.f.Func().Id(a.checkValues).Params(coll.Clone()).Error().
		Block(jen.Return(tpl("CheckValues").Call(jen.Id("coll"), jen.Id(a.staticValues).Op("..."))))
}
