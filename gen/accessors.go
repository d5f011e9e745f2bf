package gen

import (
	"encoding/binary"

	"github.com/dave/jennifer/jen"

	"github.com/mapgen/mapgen/layout"
)

// emitAccessors writes the methods of one member: getter and setter for
// bitfields and members in shared or unaligned storage, an address accessor
// for zero-size members, and a string helper for char arrays.
func (g *generator) emitAccessors(typeName string, m *layout.Member, n *memberNames) {
	recv := jen.Id("x").Op("*").Id(typeName)
	switch m.Access {
	case layout.AccessBits:
		g.emitBitfield(recv, m, n)
	case layout.AccessCopy:
		lo := m.Offset() - m.Field.Offset
		bytes := jen.Id("x").Dot(storageName(m.Field)).Index(jen.Lit(int(lo)), jen.Lit(int(lo+m.Go.Size)))
		g.docWrap("%s returns %s.", n.name, memberDoc(m))
		g.f.Func().Params(recv.Clone()).Id(n.name).Params().Add(g.typeCode(m.Go)).Block(
			jen.Return(jen.Qual(templatesPkg, "Load").Types(g.typeCode(m.Go)).Call(bytes.Clone())))
		g.docWrap("%s sets %s.", n.set, cName(m.Name))
		g.f.Func().Params(recv.Clone()).Id(n.set).Params(jen.Id("v").Add(g.typeCode(m.Go))).Block(
			jen.Qual(templatesPkg, "Store").Call(bytes.Clone(), jen.Id("v")))
	case layout.AccessZero:
		g.emitZeroSize(recv, m, n)
	}
	if n.str != "" {
		var bytes *jen.Statement
		if m.Access == layout.AccessField {
			bytes = jen.Id("x").Dot(n.name).Index(jen.Empty(), jen.Empty())
		} else {
			lo := m.Offset() - m.Field.Offset
			bytes = jen.Id("x").Dot(storageName(m.Field)).Index(jen.Lit(int(lo)), jen.Lit(int(lo+m.Go.Size)))
		}
		g.docWrap("%s returns %s as a string, up to its first NUL byte.", n.str, cName(m.Name))
		g.f.Func().Params(recv).Id(n.str).Params().String().Block(
			jen.Return(jen.Qual(templatesPkg, "CString").Call(bytes)))
	}
}

func (g *generator) emitBitfield(recv *jen.Statement, m *layout.Member, n *memberNames) {
	order := "LE"
	if g.obj.ByteOrder == binary.BigEndian {
		order = "BE"
	}
	storage := jen.Id("x").Dot(storageName(m.Field)).Index(jen.Empty(), jen.Empty())
	off := jen.Lit(int(m.BitOffset - 8*m.Field.Offset))
	width := jen.Lit(int(m.BitSize))
	load := jen.Qual(templatesPkg, "LoadBits"+order).Call(storage.Clone(), off.Clone(), width.Clone())

	if m.Go.Kind == layout.GoInt128 {
		// 128-bit values have functions of their own, which take and
		// return templates.Int128 or Uint128.
		kind := "Uint128"
		if m.Go.Signed {
			kind = "Int128"
		}
		g.doc("%s returns %s.", n.name, memberDoc(m))
		g.f.Func().Params(recv.Clone()).Id(n.name).Params().Add(g.typeCode(m.Go)).Block(jen.Return(
			jen.Qual(templatesPkg, "Load"+kind+"Bits"+order).Call(storage.Clone(), off.Clone(), width.Clone())))
		g.doc("%s sets the bitfield %s to the low %d bits of v, as C assignment does.", n.set, cName(m.Name), m.BitSize)
		g.f.Func().Params(recv.Clone()).Id(n.set).Params(jen.Id("v").Add(g.typeCode(m.Go))).Block(
			jen.Qual(templatesPkg, "Store"+kind+"Bits"+order).Call(storage, off, width, jen.Id("v")))
		return
	}

	var result jen.Code
	var resultType jen.Code
	var setValue jen.Code
	switch {
	case m.Go.Kind == layout.GoBool:
		resultType = jen.Bool()
		result = load.Op("!=").Lit(0)
		setValue = jen.Qual(templatesPkg, "BitOf").Call(jen.Id("v"))
	case m.Go.Signed:
		resultType = g.typeCode(m.Go)
		result = jen.Add(g.typeCode(m.Go)).Call(jen.Qual(templatesPkg, "SignExtend").Call(load, width.Clone()))
		setValue = jen.Uint64().Call(jen.Id("v"))
	default:
		resultType = g.typeCode(m.Go)
		result = jen.Add(g.typeCode(m.Go)).Call(load)
		setValue = jen.Uint64().Call(jen.Id("v"))
	}
	g.docWrap("%s returns %s.", n.name, memberDoc(m))
	g.f.Func().Params(recv.Clone()).Id(n.name).Params().Add(resultType).Block(jen.Return(result))
	g.docWrap("%s sets the bitfield %s to the low %s of v, as C assignment does.", n.set, cName(m.Name), bitsText(m.BitSize))
	g.f.Func().Params(recv.Clone()).Id(n.set).Params(jen.Id("v").Add(resultType)).Block(
		jen.Qual(templatesPkg, "StoreBits"+order).Call(storage, off, width, setValue))
}

// emitZeroSize writes the accessor of a member without bytes of its own:
// a flexible array member gets the n elements that follow in memory, other
// zero-size members a pointer to their offset.
func (g *generator) emitZeroSize(recv *jen.Statement, m *layout.Member, n *memberNames) {
	at := jen.Qual("unsafe", "Add").Call(jen.Qual("unsafe", "Pointer").Call(jen.Id("x")), jen.Lit(int(m.Offset())))
	if m.Go.Kind == layout.GoArray && m.Go.Len == 0 {
		elem := g.typeCode(m.Go.Elem)
		g.docWrap("%s returns the first n elements of %s, a flexible array that follows the fixed part in memory: x must point into a buffer that holds them.", n.name, memberDoc(m))
		g.f.Func().Params(recv).Id(n.name).Params(jen.Id("n").Int()).Index().Add(elem).Block(
			jen.Return(jen.Qual("unsafe", "Slice").Call(jen.Parens(jen.Op("*").Add(g.typeCode(m.Go.Elem))).Call(at), jen.Id("n"))))
		return
	}
	g.docWrap("%s returns the address of %s, which has no bytes of its own.", n.name, memberDoc(m))
	g.f.Func().Params(recv).Id(n.name).Params().Op("*").Add(g.typeCode(m.Go)).Block(
		jen.Return(jen.Parens(jen.Op("*").Add(g.typeCode(m.Go))).Call(at)))
}
