package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/layout"
)

// cWriter spells declarations as C, for the suggested member order.
type cWriter struct {
	// md models anonymous struct and union types used by named members,
	// whose bodies are written inline.
	md *modeler
	// enumsAsInts writes anonymous enums as the unsigned integer of their
	// size: the same layout, without declaring their enumerators again
	// (the clang test compiles the suggestion beside the original).
	enumsAsInts bool
	// short writes anonymous types as "struct {...}" instead of their
	// bodies, for the report's member lines.
	short bool
	depth int
}

// C is the struct declared with its members in the suggested order and
// the attributes it needs (inferred from BTF) to have the layout promised.
func (s *Suggestion) C() string {
	if s.decl == nil {
		return ""
	}
	l := s.decl.l
	c, err := s.cNamed(l.Name, false, false)
	if err != nil {
		return "/* " + err.Error() + " */"
	}
	if l.Name == "" && l.Typedef != "" {
		return "typedef " + strings.TrimSuffix(c, ";\n") + " " + l.Typedef + ";\n"
	}
	return c
}

// cNamed declares the suggested order under the struct tag name; with
// original, the original order (the declaration inferred from BTF).
func (s *Suggestion) cNamed(name string, enumsAsInts, original bool) (string, error) {
	w := &cWriter{md: newModeler(), enumsAsInts: enumsAsInts}
	order := s.order
	if original {
		order = s.decl.members
	}
	body, err := w.body(s.decl, order, name, "")
	if err != nil {
		return "", err
	}
	return body + ";\n", nil
}

// body writes "struct NAME { members } attributes" at indent.
func (w *cWriter) body(dc *declComposite, order []*declMember, name, indent string) (string, error) {
	if w.depth > maxNesting {
		return "", fmt.Errorf("types nested more than %d levels deep", maxNesting)
	}
	w.depth++
	defer func() { w.depth-- }()
	var b strings.Builder
	b.WriteString(dc.l.Kind)
	if name != "" {
		b.WriteString(" " + name)
	}
	b.WriteString(" {\n")
	in := indent + "\t"
	for _, dm := range order {
		if dm.zeroBefore > 0 {
			fmt.Fprintf(&b, "%s%s :0;\n", in, unsignedOfSize(dm.zeroBefore))
		}
		if dm.padBits > 0 {
			fmt.Fprintf(&b, "%s%s :%d;\n", in, unsignedOfSize(dm.m.Size), dm.padBits)
		}
		writePadBytes(&b, in, dm.padBytes)
		var decl string
		var err error
		if dm.nested != nil {
			decl, err = w.body(dm.nested, dm.nested.members, "", in)
			if dm.m.Name != "" {
				decl += " " + dm.m.Name
			}
		} else {
			decl, err = w.decl(dm.m.Type, dm.m.Name, in)
		}
		if err != nil {
			return "", fmt.Errorf("member %s: %w", memberName(dm.m), err)
		}
		b.WriteString(in + decl)
		if dm.m.IsBitfield() {
			fmt.Fprintf(&b, " : %d", dm.m.BitSize)
		}
		b.WriteString(attributes(dm.packedAttr, dm.alignAttr))
		b.WriteString(";\n")
	}
	writePadBytes(&b, in, dc.tailPadBytes)
	b.WriteString(indent + "}" + attributes(dc.packed, dc.alignAttr))
	return b.String(), nil
}

// writePadBytes declares n reserved bytes as unnamed bitfields, which is
// what BTF shows of them: nothing.
func writePadBytes(b *strings.Builder, indent string, n uint32) {
	for range n {
		b.WriteString(indent + "unsigned char :8;\n")
	}
}

func attributes(packed bool, align uint32) string {
	var attrs []string
	if packed {
		attrs = append(attrs, "packed")
	}
	if align > 0 {
		attrs = append(attrs, fmt.Sprintf("aligned(%d)", align))
	}
	if len(attrs) == 0 {
		return ""
	}
	return " __attribute__((" + strings.Join(attrs, ", ") + "))"
}

func unsignedOfSize(n uint32) string {
	switch n {
	case 1:
		return "unsigned char"
	case 2:
		return "unsigned short"
	case 8:
		return "unsigned long long"
	case 16:
		return "unsigned __int128"
	}
	return "unsigned int"
}

// decl writes the declaration of name (possibly "") as type t: C
// declarators read inside out, so pointers to arrays and functions get
// parentheses.
func (w *cWriter) decl(t btf.Type, inner, indent string) (string, error) {
	if w.depth > maxNesting {
		return "", fmt.Errorf("types nested more than %d levels deep", maxNesting)
	}
	w.depth++
	defer func() { w.depth-- }()
	switch t := t.(type) {
	case *btf.Pointer:
		switch layout.Underlying(t.Target).(type) {
		case *btf.Array, *btf.FuncProto:
			if _, isTypedef := t.Target.(*btf.Typedef); !isTypedef {
				return w.decl(t.Target, "(*"+inner+")", indent)
			}
		}
		return w.decl(t.Target, "*"+inner, indent)
	case *btf.Array:
		return w.decl(t.Type, inner+"["+strconv.FormatUint(uint64(t.Nelems), 10)+"]", indent)
	case *btf.FuncProto:
		var params []string
		for i, p := range t.Params {
			if i == len(t.Params)-1 && p.Name == "" {
				if _, void := p.Type.(*btf.Void); void || p.Type == nil {
					params = append(params, "...")
					continue
				}
			}
			s, err := w.decl(p.Type, p.Name, indent)
			if err != nil {
				return "", err
			}
			params = append(params, s)
		}
		if len(params) == 0 {
			params = []string{"void"}
		}
		return w.decl(t.Return, inner+"("+strings.Join(params, ", ")+")", indent)
	case *btf.Const:
		return w.qualified("const", t.Type, inner, indent)
	case *btf.Volatile:
		return w.qualified("volatile", t.Type, inner, indent)
	case *btf.Restrict:
		return w.decl(t.Type, "restrict "+inner, indent)
	case *btf.TypeTag:
		return w.decl(t.Type, inner, indent)
	}
	base, err := w.base(t, indent)
	if err != nil {
		return "", err
	}
	if inner == "" {
		return base, nil
	}
	return base + " " + inner, nil
}

// qualified writes a const or volatile type: after the star of a pointer
// (int *const p), before anything else (const int x).
func (w *cWriter) qualified(q string, t btf.Type, inner, indent string) (string, error) {
	if _, ok := t.(*btf.Pointer); ok {
		return w.decl(t, q+" "+inner, indent)
	}
	s, err := w.decl(t, inner, indent)
	if err != nil {
		return "", err
	}
	return q + " " + s, nil
}

// base spells a type that is not a declarator: a name, or the inline body
// of an anonymous struct, union or enum.
func (w *cWriter) base(t btf.Type, indent string) (string, error) {
	switch t := t.(type) {
	case nil, *btf.Void:
		return "void", nil
	case *btf.Struct, *btf.Union:
		if t.TypeName() != "" || w.short {
			return layout.CType(t), nil
		}
		l, err := w.md.composite(t, 0, 0)
		if err != nil {
			return "", err
		}
		dc, err := infer(l, 0)
		if err != nil {
			return "", err
		}
		return w.body(dc, dc.members, "", indent)
	case *btf.Enum:
		if t.Name != "" || w.short {
			return layout.CType(t), nil
		}
		if w.enumsAsInts {
			return unsignedOfSize(t.Size), nil
		}
		var b strings.Builder
		b.WriteString("enum {")
		for i, v := range t.Values {
			if i > 0 {
				b.WriteString(",")
			}
			if t.Signed {
				fmt.Fprintf(&b, " %s = %d", v.Name, int64(v.Value))
			} else {
				fmt.Fprintf(&b, " %s = %d", v.Name, v.Value)
			}
		}
		b.WriteString(" }")
		return b.String(), nil
	case *btf.Fwd:
		return t.Kind.String() + " " + t.Name, nil
	case *btf.Int, *btf.Float, *btf.Typedef:
		return t.TypeName(), nil
	}
	return "", fmt.Errorf("%s cannot be declared as a member", layout.CType(t))
}

// memberDecl spells a member for the report: "__u8 bytes[8]",
// "void (*fn)(int)", "struct {...} bits".
func memberDecl(t btf.Type, name string) string {
	w := &cWriter{short: true}
	s, err := w.decl(t, name, "")
	if err != nil {
		return layout.CType(t) + " " + name
	}
	return s
}
