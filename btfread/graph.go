package btfread

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// checkGraph refuses BTF whose types refer to themselves in a way no C
// declaration can, so that every later walk of the type graph (package
// layout, gen, and the walks of this package) ends:
//
//   - a type that contains itself: a cycle through typedefs, qualifiers,
//     array elements and struct or union members, with no pointer on it
//     (struct s { struct s inner; }; typedef a a): its size would be
//     infinite, and layout would recurse forever;
//   - a type that refers to itself without a struct or union on the cycle
//     (a pointer to itself, a function type taking itself): C names such a
//     type only through a struct or union tag.
//
// C's only cycles, struct node { struct node *next; }, pass through a
// pointer to a struct or union and are accepted. BTF types are numbered but
// may refer to any number, so a corrupt or crafted object can hold either
// kind; the kernel refuses both when loading BTF.
//
// The walk is iterative: input controls the depth of the graph, so it must
// not control the depth of the Go stack.
func checkGraph(spec *btf.Spec) error {
	var types []btf.Type
	last := btf.TypeID(0)
	for typ, err := range spec.All() {
		if err != nil {
			return err
		}
		types = append(types, typ)
		if id, err := spec.TypeID(typ); err == nil {
			last = max(last, id)
		}
	}
	if err := checkEnd(spec, last+1); err != nil {
		return err
	}
	// A cycle of value edges is the worse fault (and the more specific
	// message), so look for it first.
	if cycle := findCycle(types, func(byValue bool, _ btf.Type) bool { return byValue }); cycle != nil {
		return cycleError(spec, cycle)
	}
	notComposite := func(_ bool, to btf.Type) bool {
		switch to.(type) {
		case *btf.Struct, *btf.Union:
			return false
		}
		return true
	}
	if cycle := findCycle(types, notComposite); cycle != nil {
		return cycleError(spec, cycle)
	}
	return nil
}

// checkEnd makes sure iterating the types of spec stopped at their end,
// with next the first ID it did not yield. cilium/ebpf's Spec.All stops
// silently at the first type it cannot inflate when the reason wraps
// btf.ErrNotFound, as a reference to a type ID beyond the last one does:
// every later type would then be missing without a word. The IDs it skips
// (declaration tags) inflate; the first that does not must fail for being
// past the end, not for what it refers to.
func checkEnd(spec *btf.Spec, next btf.TypeID) error {
	for id := next; ; id++ {
		_, err := spec.TypeByID(id)
		if err == nil {
			continue
		}
		if strings.HasSuffix(err.Error(), fmt.Sprintf("type id %d: %v", id, btf.ErrNotFound)) {
			return nil
		}
		return fmt.Errorf("BTF type ID %d: %w", id, err)
	}
}

// refs calls yield with each type typ refers to, and whether typ holds it
// by value (its layout includes the referred type's) or only refers to it
// (a pointer's target, a function's parameters).
func refs(typ btf.Type, yield func(to btf.Type, byValue bool)) {
	switch t := typ.(type) {
	case *btf.Typedef:
		yield(t.Type, true)
	case *btf.Const:
		yield(t.Type, true)
	case *btf.Volatile:
		yield(t.Type, true)
	case *btf.Restrict:
		yield(t.Type, true)
	case *btf.TypeTag:
		yield(t.Type, true)
	case *btf.Array:
		// The index type plays no part in layout and nothing walks it.
		yield(t.Type, true)
	case *btf.Struct:
		for _, m := range t.Members {
			yield(m.Type, true)
		}
	case *btf.Union:
		for _, m := range t.Members {
			yield(m.Type, true)
		}
	case *btf.Var:
		yield(t.Type, true)
	case *btf.Datasec:
		for _, v := range t.Vars {
			yield(v.Type, true)
		}
	case *btf.Pointer:
		yield(t.Target, false)
	case *btf.Func:
		yield(t.Type, false)
	case *btf.FuncProto:
		yield(t.Return, false)
		for _, p := range t.Params {
			yield(p.Type, false)
		}
	}
}

// findCycle returns a cycle of the graph of types whose edges are those of
// refs that follow accepts, as the types on it in order, or nil if there is
// none. Of several cycles it finds the same one for the same input: the
// first reached from the lowest type ID.
func findCycle(types []btf.Type, follow func(byValue bool, to btf.Type) bool) []btf.Type {
	const (
		unvisited = iota
		onPath
		done
	)
	type frame struct {
		typ  btf.Type
		next []btf.Type // children still to visit
	}
	state := make(map[btf.Type]uint8, len(types))
	children := func(typ btf.Type) []btf.Type {
		var out []btf.Type
		refs(typ, func(to btf.Type, byValue bool) {
			if to != nil && follow(byValue, to) {
				out = append(out, to)
			}
		})
		return out
	}
	var path []frame
	for _, root := range types {
		if state[root] != unvisited {
			continue
		}
		state[root] = onPath
		path = append(path[:0], frame{root, children(root)})
		for len(path) > 0 {
			top := &path[len(path)-1]
			if len(top.next) == 0 {
				state[top.typ] = done
				path = path[:len(path)-1]
				continue
			}
			child := top.next[0]
			top.next = top.next[1:]
			switch state[child] {
			case onPath:
				var cycle []btf.Type
				for i := len(path) - 1; i >= 0; i-- {
					cycle = append(cycle, path[i].typ)
					if path[i].typ == child {
						break
					}
				}
				// The path was collected backwards; start the cycle at
				// the type reached first.
				for i, j := 0, len(cycle)-1; i < j; i, j = i+1, j-1 {
					cycle[i], cycle[j] = cycle[j], cycle[i]
				}
				return cycle
			case unvisited:
				state[child] = onPath
				path = append(path, frame{child, children(child)})
			}
		}
	}
	return nil
}

// cycleError describes a cycle in one line: `typedef "a" refers to itself`,
// `struct "s" contains itself through typedef "t"`.
func cycleError(spec *btf.Spec, cycle []btf.Type) error {
	verb := "refers to"
	for _, t := range cycle {
		switch t.(type) {
		case *btf.Struct, *btf.Union:
			verb = "contains"
		}
	}
	msg := fmt.Sprintf("%s %s itself", describeType(spec, cycle[0]), verb)
	if len(cycle) > 1 {
		var through []string
		for _, t := range cycle[1:] {
			through = append(through, describeType(spec, t))
		}
		msg += " through " + strings.Join(through, ", ")
	}
	return errors.New(msg)
}

// describeType names a BTF type for a message about the graph, by kind
// and name, or by kind and type ID where it has no name.
func describeType(spec *btf.Spec, typ btf.Type) string {
	var kind string
	switch typ.(type) {
	case *btf.Struct:
		kind = "struct"
	case *btf.Union:
		kind = "union"
	case *btf.Typedef:
		kind = "typedef"
	case *btf.Const:
		kind = "const"
	case *btf.Volatile:
		kind = "volatile"
	case *btf.Restrict:
		kind = "restrict"
	case *btf.TypeTag:
		kind = "type tag"
	case *btf.Array:
		kind = "array"
	case *btf.Pointer:
		kind = "pointer"
	case *btf.Func:
		kind = "function"
	case *btf.FuncProto:
		kind = "function prototype"
	case *btf.Var:
		kind = "variable"
	case *btf.Datasec:
		kind = "data section"
	default:
		kind = fmt.Sprintf("%T", typ)
	}
	if name := typ.TypeName(); name != "" {
		return fmt.Sprintf("%s %q", kind, name)
	}
	switch typ.(type) {
	case *btf.Struct, *btf.Union:
		kind = "anonymous " + kind
	}
	if id, err := spec.TypeID(typ); err == nil {
		return fmt.Sprintf("%s (type ID %d)", kind, id)
	}
	return kind
}
