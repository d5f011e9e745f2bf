package report

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/layout"
)

// ErrNoType is wrapped by Lookup's error for a name no struct or union has.
var ErrNoType = errors.New("no such type")

// Named returns every named struct and union of spec, in BTF order: one
// walk of the types.
func Named(spec *btf.Spec) ([]btf.Type, error) {
	var out []btf.Type
	for t, err := range spec.All() {
		if err != nil {
			return nil, err
		}
		switch t.(type) {
		case *btf.Struct, *btf.Union:
			if t.TypeName() != "" {
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// Lookup returns the structs and unions that names ask for, each once, in
// the order asked. A name is "flow_key" (a struct, a union, or a typedef of
// one), "struct flow_key" or "union num". It uses spec's name index: no
// walk of every type, so a handful of vmlinux types are found at once.
// Several types of one name (vmlinux has a few) are all returned. A
// typedef of an anonymous struct or union is returned as the typedef.
func Lookup(spec *btf.Spec, names []string) ([]btf.Type, error) {
	var out []btf.Type
	seen := make(map[btf.Type]bool)
	for _, arg := range names {
		kind, name := "", strings.TrimSpace(arg)
		if k, n, ok := strings.Cut(name, " "); ok && (k == "struct" || k == "union") {
			kind, name = k, strings.TrimSpace(n)
		}
		if name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("TYPE %q: want NAME, \"struct NAME\" or \"union NAME\"", arg)
		}
		found := false
		candidates, _ := spec.AnyTypesByName(name)
		for _, c := range candidates {
			t := c
			if _, ok := c.(*btf.Typedef); ok && kind == "" {
				t = layout.Underlying(c)
			}
			switch t.(type) {
			case *btf.Struct:
				if kind == "union" {
					continue
				}
			case *btf.Union:
				if kind == "struct" {
					continue
				}
			default:
				continue
			}
			found = true
			if !seen[t] {
				seen[t] = true
				if t.TypeName() == "" {
					// typedef struct { ... } name_t: New reports it
					// under the typedef's name.
					out = append(out, c)
				} else {
					out = append(out, t)
				}
			}
		}
		if !found {
			what := "struct or union"
			if kind != "" {
				what = kind
			}
			return nil, fmt.Errorf("no %s named %q: %w", what, name, ErrNoType)
		}
	}
	return out, nil
}
