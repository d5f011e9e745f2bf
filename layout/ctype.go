package layout

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// CType spells a BTF type the way C declares it, for messages and doc
// comments: "__u32", "struct pkt_info", "char[16]", "struct node *".
func CType(t btf.Type) string {
	switch t := t.(type) {
	case nil:
		return "void"
	case *btf.Void:
		return "void"
	case *btf.Int, *btf.Float, *btf.Typedef:
		return t.TypeName()
	case *btf.Struct:
		return tagged("struct", t.Name)
	case *btf.Union:
		return tagged("union", t.Name)
	case *btf.Enum:
		return tagged("enum", t.Name)
	case *btf.Fwd:
		return tagged(t.Kind.String(), t.Name)
	case *btf.Pointer:
		target := CType(t.Target)
		if strings.HasSuffix(target, "*") {
			return target + "*"
		}
		return target + " *"
	case *btf.Array:
		// int m[2][3] is an array of 2 arrays of 3: dimensions outer first.
		dims := fmt.Sprintf("[%d]", t.Nelems)
		elem := t.Type
		for {
			inner, ok := elem.(*btf.Array)
			if !ok {
				break
			}
			dims += fmt.Sprintf("[%d]", inner.Nelems)
			elem = inner.Type
		}
		return CType(elem) + dims
	case *btf.Const:
		return "const " + CType(t.Type)
	case *btf.Volatile:
		return "volatile " + CType(t.Type)
	case *btf.Restrict:
		return CType(t.Type) + " restrict"
	case *btf.TypeTag:
		return CType(t.Type)
	case *btf.FuncProto:
		return "function"
	case *btf.Func:
		return "function " + t.Name
	case *btf.Var:
		return "variable " + t.Name
	case *btf.Datasec:
		return "section " + t.Name
	}
	return fmt.Sprintf("%T", t)
}

func tagged(kind, name string) string {
	if name == "" {
		return kind + " {...}"
	}
	return kind + " " + name
}
