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
// one member per variable at its offset, planned by package layout like
// any other struct: padding, packed or unaligned variables (storage with
// accessors), bitfields and layout proofs all follow the rules of
// DESIGN.md section 3. Its initial contents become a composite literal,
// decoded from the section's bytes in the object's byte order.
func (g *generator) emitData() error {
	for _, ds := range g.obj.DataSections {
		if len(ds.Variables) == 0 {
			// Anonymous data only (string literals, constant pools):
			// nothing to name.
			continue
		}
		if err := g.emitSection(ds); err != nil {
			return fmt.Errorf("section %s: %w", ds.Name, err)
		}
	}
	return g.emitValues()
}

// sectionStruct is the synthetic C struct of a data section, of size
// bytes (ds.Size or more).
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
		if end := uint64(v.Offset) + uint64(v.Size); end > size {
			return nil, fmt.Errorf("variable %q: offset %d + size %d beyond the %d-byte section", v.Name, v.Offset, v.Size, size)
		}
		st.Members = append(st.Members, btf.Member{
			Name:   identifier(v.Name),
			Type:   v.Type,
			Offset: btf.Bits(uint64(v.Offset) * 8),
		})
	}
	return st, nil
}

// identifier makes a C-like identifier of s: every byte other than a
// letter, digit or underscore becomes an underscore (static variables can
// be called "func.var", sections ".data.my-sec").
func identifier(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '_':
			return r
		}
		return '_'
	}, s)
}

// sectionGoName is the Go name of a section's struct: .data -> Data,
// .rodata.cfg -> RodataCfg.
func sectionGoName(section string) string {
	return goName(identifier(section))
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
	for _, v := range ds.Variables {
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
		// must not reach a type emitDecls has not written.
		return fmt.Errorf("internal error: planning the section reached %d undeclared types", n-before-1)
	}
	name := g.pkg.name(sectionGoName(ds.Name))
	g.names[d] = name

	what := "the global data section " + ds.Name
	if size != ds.Size {
		what += fmt.Sprintf(" (%d bytes; %d bytes of Go tail padding keep its fields aligned)", ds.Size, size-ds.Size)
	}
	switch {
	case ds.ReadOnly:
		what += " (read-only for programs: set its values before loading with Apply)"
	case isBSS(ds):
		what += " (zero-initialised)"
	}
	g.emitCompositeAs(d, what)

	// Named clear of the struct's own members and accessors.
	apply := g.membersOf(d).scope.name("Apply")

	def := g.pkg.name("Default" + name)
	var st litState
	contents := append(append([]byte(nil), ds.Contents...), make([]byte, size-ds.Size)...)
	lit := g.compositeLit(d, contents, true, &st)
	g.f.Commentf("%s is the initial contents of %s compiled into the object.", def, ds.Name)
	if st.raw {
		g.f.Comment("")
		g.f.Comment("Members reached through accessors (bitfields, unions, packed or unaligned")
		g.f.Comment("members) cannot be set by name in a composite literal: the unexported storage")
		g.f.Comment("field holding them is set to the object's bytes instead.")
	}
	if st.padding {
		g.f.Comment("")
		g.f.Comment("The object has non-zero bytes between variables (parts of static variables")
		g.f.Comment("clang split) or in padding, which a Go value cannot hold: Apply and Write keep")
		g.f.Comment("the bytes between variables as they are.")
	}
	g.f.Var().Id(def).Op("=").Add(lit)

	section := jen.List(jen.Lit(ds.Name), jen.Lit(int(ds.Size)))
	g.f.Commentf("%s writes the variables of x into %s of spec, before loading it: the", apply, ds.Name)
	g.f.Comment("section's contents and the value of each variable.")
	g.f.Func().Params(jen.Id("x").Op("*").Id(name)).Id(apply).
		Params(jen.Id("spec").Op("*").Qual(ebpfPkg, "CollectionSpec")).Error().
		Block(jen.Return(jen.Qual(templatesPkg, "ApplySection").Call(jen.Id("spec"), section.Clone(), jen.Id("x"))))

	read := g.pkg.name("Read" + name)
	g.f.Commentf("%s reads %s from the map of a loaded collection.", read, ds.Name)
	g.f.Func().Id(read).Params(jen.Id("coll").Op("*").Qual(ebpfPkg, "Collection")).
		Params(jen.Id(name), jen.Error()).
		Block(jen.Return(jen.Qual(templatesPkg, "ReadSection").Types(jen.Id(name)).Call(jen.Id("coll"), section.Clone())))

	if !ds.ReadOnly {
		write := g.pkg.name("Write" + name)
		g.f.Commentf("%s writes every variable of %s into the map of a loaded collection.", write, ds.Name)
		g.f.Func().Id(write).Params(jen.Id("coll").Op("*").Qual(ebpfPkg, "Collection"), jen.Id("x").Op("*").Id(name)).
			Error().
			Block(jen.Return(jen.Qual(templatesPkg, "WriteSection").Call(jen.Id("coll"), section.Clone(), jen.Id("x"))))
	}
	return nil
}

func isBSS(ds *btfread.DataSection) bool {
	return ds.Name == ".bss" || strings.HasPrefix(ds.Name, ".bss.")
}

// emitValues writes the static .values slots of map-in-map and program
// array maps, and functions that apply them to a loaded collection and
// check them against it.
func (g *generator) emitValues() error {
	var vars []jen.Code
	for _, m := range g.obj.Maps {
		if len(m.Values) == 0 {
			continue
		}
		programs := m.Type == ebpf.ProgramArray
		v := g.pkg.name(goName(m.Name) + "Values")
		slots := make([]jen.Code, 0, len(m.Values))
		for _, s := range m.Values {
			slots = append(slots, jen.Line().Values(jen.Id("Index").Op(":").Lit(int(s.Index)), jen.Id("Name").Op(":").Lit(s.Name)))
		}
		slots = append(slots, jen.Line())
		what := "maps"
		if programs {
			what = "programs"
		}
		g.f.Commentf("%s are the static .values of map %s: the %s its slots hold once loaded.", v, m.Name, what)
		fields := []jen.Code{jen.Line().Id("Map").Op(":").Lit(m.Name)}
		if programs {
			fields = append(fields, jen.Line().Id("Programs").Op(":").True())
		}
		fields = append(fields, jen.Line().Id("Slots").Op(":").Index().Qual(templatesPkg, "Slot").Values(slots...), jen.Line())
		g.f.Var().Id(v).Op("=").Qual(templatesPkg, "StaticValues").Values(fields...)
		vars = append(vars, jen.Id(v))
	}
	if len(vars) == 0 {
		return nil
	}
	apply := g.pkg.name("ApplyValues")
	check := g.pkg.name("CheckValues")
	coll := jen.Id("coll").Op("*").Qual(ebpfPkg, "Collection")
	args := append([]jen.Code{jen.Id("coll")}, vars...)

	g.f.Commentf("%s puts the maps and programs that the object's static .values name into", apply)
	g.f.Comment("their slots of the outer maps and program arrays of coll. cilium/ebpf does this")
	g.f.Comment("when it loads the object itself; call it after loading another way.")
	g.f.Func().Id(apply).Params(coll.Clone()).Error().
		Block(jen.Return(jen.Qual(templatesPkg, "ApplyValues").Call(args...)))

	g.f.Commentf("%s checks that every static .values slot of the live maps of coll holds the", check)
	g.f.Comment("map or program of coll that the object names (by kernel ID); the error, a")
	g.f.Comment("*templates.SlotError, names the map and slot that differ.")
	g.f.Func().Id(check).Params(coll.Clone()).Error().
		Block(jen.Return(jen.Qual(templatesPkg, "CheckValues").Call(args...)))
	return nil
}

// recordEnumerator notes the Go name of the next enumerator of d.
func (g *generator) recordEnumerator(d *layout.Decl, name string) {
	if g.enumerators == nil {
		g.enumerators = make(map[*layout.Decl][]string)
	}
	g.enumerators[d] = append(g.enumerators[d], name)
}
