package gen

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/mapgen/mapgen/layout"
	"github.com/mapgen/mapgen/templates"
)

// Initial values as Go literals. Every function here decodes bytes laid out
// as planned by package layout, in the object's byte order, and returns a
// literal whose memory is exactly those bytes; gen/data_test.go proves it
// for every corpus object on a little- and a big-endian target.

// litState collects what a literal could not spell by name.
type litState struct {
	// raw: members in storage were set as bytes.
	raw bool
	// padding: padding bytes are not zero, which no literal can set.
	padding bool
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// compositeLit is the literal of a struct or union declaration: its fields
// that are not zero, by name; storage fields (members reached through
// accessors) as their raw bytes. multiline puts each field on a line of its
// own.
func (g *generator) compositeLit(d *layout.Decl, b []byte, multiline bool, st *litState) *jen.Statement {
	return jen.Id(g.names[d]).Values(g.compositeValues(d, b, multiline, st)...)
}

func (g *generator) compositeValues(d *layout.Decl, b []byte, multiline bool, st *litState) (vals []jen.Code) {
	c := d.Composite
	names := g.membersOf(d).members
	for _, f := range c.Fields {
		fb := b[f.Offset : f.Offset+f.Size]
		if allZero(fb) {
			continue
		}
		var item *jen.Statement
		switch f.Kind {
		case layout.FieldPad:
			st.padding = true
			continue
		case layout.FieldMember:
			item = jen.Id(names[f.Member].name).Op(":").Add(g.valueLit(f.Member.Go, fb, false, st))
		case layout.FieldStorage:
			st.raw = true
			item = jen.Id(storageName(f)).Op(":").Add(bytesLit(jen.Index(jen.Lit(len(fb))).Byte(), fb, false, false))
		}
		if multiline {
			item = jen.Line().Add(item)
		}
		vals = append(vals, item)
	}
	if multiline && len(vals) > 0 {
		vals = append(vals, jen.Line())
	}
	return vals
}

// valueLit is the literal of a value of type t held in b (len(b) ==
// t.Size). elide leaves out the type of composite literals, as Go allows
// for array elements.
func (g *generator) valueLit(t *layout.GoType, b []byte, elide bool, st *litState) *jen.Statement {
	order := g.obj.ByteOrder
	typed := func(vals ...jen.Code) *jen.Statement {
		if elide {
			return jen.Values(vals...)
		}
		return jen.Add(g.typeCode(t)).Values(vals...)
	}
	switch t.Kind {
	case layout.GoBasic:
		switch t.Name {
		case "float32":
			return float32Lit(order.Uint32(b))
		case "float64":
			return float64Lit(order.Uint64(b))
		}
		if t.Char {
			return byteLit(b[0], true)
		}
		return intLit(readUint(order, b), t.Signed, t.Size)
	case layout.GoPointer:
		if v := order.Uint64(b); v != 0 {
			return jen.Op(fmt.Sprintf("%#x", v))
		}
		return jen.Lit(0)
	case layout.GoBool:
		return jen.Lit(int(b[0]))
	case layout.GoInt128:
		lo, hi := b[:8], b[8:]
		if order == binary.BigEndian {
			lo, hi = hi, lo
		}
		var vals []jen.Code
		if !allZero(lo) {
			vals = append(vals, jen.Id("Lo").Op(":").Add(intLit(order.Uint64(lo), false, 8)))
		}
		if !allZero(hi) {
			vals = append(vals, jen.Id("Hi").Op(":").Add(intLit(order.Uint64(hi), false, 8)))
		}
		return typed(vals...)
	case layout.GoBytes:
		return bytesLit(g.typeCode(t), b, elide, false)
	case layout.GoArray:
		if t.Char && t.Elem.Kind == layout.GoBasic {
			return bytesLit(g.typeCode(t), b, elide, true)
		}
		return g.arrayLit(t, b, elide, st)
	case layout.GoNamed:
		d := t.Decl
		if d.Enum != nil {
			return g.enumLit(d, b)
		}
		return typed(g.compositeValues(d, b, false, st)...)
	}
	panic(fmt.Sprintf("gen: unknown Go kind %d", t.Kind))
}

// arrayLit lists the elements up to the last non-zero one, or, when most
// of them are zero, the non-zero ones by index.
func (g *generator) arrayLit(t *layout.GoType, b []byte, elide bool, st *litState) *jen.Statement {
	size := int(t.Elem.Size)
	var nonzero []int
	for i := 0; i < int(t.Len); i++ {
		if !allZero(b[i*size : (i+1)*size]) {
			nonzero = append(nonzero, i)
		}
	}
	var vals []jen.Code
	elem := func(i int) jen.Code {
		return g.valueLit(t.Elem, b[i*size:(i+1)*size], true, st)
	}
	if n := len(nonzero); n > 0 {
		last := nonzero[n-1]
		if 2*n < last+1 {
			for _, i := range nonzero {
				vals = append(vals, jen.Lit(i).Op(":").Add(elem(i)))
			}
		} else {
			for i := 0; i <= last; i++ {
				vals = append(vals, elem(i))
			}
		}
	}
	if elide {
		return jen.Values(vals...)
	}
	return jen.Add(g.typeCode(t)).Values(vals...)
}

// enumLit is an enum value by its constant's name, or a conversion of the
// number if no enumerator has the value.
func (g *generator) enumLit(d *layout.Decl, b []byte) *jen.Statement {
	e := d.Enum
	raw := readUint(g.obj.ByteOrder, b)
	if e.Signed {
		raw = uint64(signExtend(raw, e.Size))
	}
	consts := g.enumerators[d]
	for i, v := range e.Values {
		if v.Unsigned == raw && i < len(consts) {
			return jen.Id(consts[i])
		}
	}
	return jen.Id(g.names[d]).Call(intLit(readUint(g.obj.ByteOrder, b), e.Signed, e.Size))
}

// bytesLit is a [N]byte literal (typ) of b up to its last non-zero byte;
// for a char array (chars) that looks like text, with printable ASCII as
// character literals.
func bytesLit(typ jen.Code, b []byte, elide, chars bool) *jen.Statement {
	end := len(b)
	for end > 0 && b[end-1] == 0 {
		end--
	}
	text := chars && end > 0
	for _, c := range b[:end] {
		if c < ' ' || c > '~' {
			text = false
			break
		}
	}
	vals := make([]jen.Code, end)
	for i, c := range b[:end] {
		vals[i] = byteLit(c, text)
	}
	if elide {
		return jen.Values(vals...)
	}
	return jen.Add(typ).Values(vals...)
}

func byteLit(c byte, text bool) *jen.Statement {
	if text && ' ' <= c && c <= '~' {
		return jen.LitRune(rune(c))
	}
	return jen.Op(fmt.Sprintf("0x%02x", c))
}

func readUint(order binary.ByteOrder, b []byte) uint64 {
	switch len(b) {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(order.Uint16(b))
	case 4:
		return uint64(order.Uint32(b))
	case 8:
		return order.Uint64(b)
	}
	panic(fmt.Sprintf("gen: %d-byte integer", len(b)))
}

// signExtend reads the low size bytes of v as a signed number.
func signExtend(v uint64, size uint32) int64 {
	return templates.SignExtend(v, uint(8*size))
}

// intLit is an untyped integer constant: negative numbers and small ones in
// decimal, large unsigned ones in hexadecimal.
func intLit(v uint64, signed bool, size uint32) *jen.Statement {
	if signed {
		if s := signExtend(v, size); s < 0 {
			return jen.Op(strconv.FormatInt(s, 10))
		}
	}
	if v >= 1<<16 {
		return jen.Op(fmt.Sprintf("%#x", v))
	}
	return jen.Op(strconv.FormatUint(v, 10))
}

// float32Lit is an exact float32 literal: the shortest decimal that rounds
// back to the same bits, or math.Float32frombits for values no constant
// spells (NaN, infinities, negative zero).
func float32Lit(bits uint32) *jen.Statement {
	f := math.Float32frombits(bits)
	if f != f || math.IsInf(float64(f), 0) || (f == 0 && bits != 0) {
		return jen.Qual("math", "Float32frombits").Call(jen.Op(fmt.Sprintf("%#08x", bits)))
	}
	return jen.Op(floatString(strconv.FormatFloat(float64(f), 'g', -1, 32)))
}

// float64Lit is float32Lit for float64.
func float64Lit(bits uint64) *jen.Statement {
	f := math.Float64frombits(bits)
	if f != f || math.IsInf(f, 0) || (f == 0 && bits != 0) {
		return jen.Qual("math", "Float64frombits").Call(jen.Op(fmt.Sprintf("%#016x", bits)))
	}
	return jen.Op(floatString(strconv.FormatFloat(f, 'g', -1, 64)))
}

// floatString makes a formatted float read as one: 2 -> 2.0.
func floatString(s string) string {
	for _, c := range s {
		if c == '.' || c == 'e' || c == 'E' {
			return s
		}
	}
	return s + ".0"
}
