package layout

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// CType spells a BTF type the way C declares it, for messages and doc
// comments: "__u32", "struct pkt_info", "char[16]", "struct node *". Past
// maxResolveDepth pointers, qualifiers and array dimensions (a type that
// refers to itself has no end of them), it writes "..." for the rest.
func CType(t btf.Type) string {
	return ctype(t, 0)
}

func ctype(t btf.Type, depth int) string {
	if depth > maxResolveDepth {
		return "..."
	}
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
		target := ctype(t.Target, depth+1)
		if strings.HasSuffix(target, "*") {
			return target + "*"
		}
		return target + " *"
	case *btf.Array:
		// int m[2][3] is an array of 2 arrays of 3: dimensions outer first.
		var dims strings.Builder
		fmt.Fprintf(&dims, "[%d]", t.Nelems)
		elem := t.Type
		for ; depth <= maxResolveDepth; depth++ {
			inner, ok := elem.(*btf.Array)
			if !ok {
				break
			}
			fmt.Fprintf(&dims, "[%d]", inner.Nelems)
			elem = inner.Type
		}
		return ctype(elem, depth+1) + dims.String()
	case *btf.Const:
		return "const " + ctype(t.Type, depth+1)
	case *btf.Volatile:
		return "volatile " + ctype(t.Type, depth+1)
	case *btf.Restrict:
		return ctype(t.Type, depth+1) + " restrict"
	case *btf.TypeTag:
		return ctype(t.Type, depth+1)
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
