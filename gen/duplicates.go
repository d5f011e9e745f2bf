package gen

import (
	"fmt"
	"strings"

	"github.com/mapgen/mapgen/layout"
)

// duplicateDoc says what tells a struct or union apart from others of the
// same C name and kind (a kernel's BTF holds two struct console and four
// struct workspace, from different compilation units): its BTF type ID, its
// size and its first members, and the Go names of the others. It is empty
// for types whose name is unique.
func (g *generator) duplicateDoc(d *layout.Decl) []string {
	if d.CName == "" {
		return nil
	}
	if g.sameName == nil {
		g.sameName = make(map[string][]*layout.Decl)
		for _, o := range g.planner.Decls() {
			if o.CName != "" {
				key := o.Kind.String() + " " + o.CName
				g.sameName[key] = append(g.sameName[key], o)
			}
		}
	}
	all := g.sameName[d.Kind.String()+" "+d.CName]
	if len(all) < 2 {
		return nil
	}
	var others []string
	for _, o := range all {
		if o != d {
			others = append(others, fmt.Sprintf("%s (%s)", g.names[o], g.shape(o)))
		}
	}
	rest := "the other is"
	if len(others) > 1 {
		rest = "the others are"
	}
	return []string{fmt.Sprintf("The BTF holds %d different %ss named %s. This one is %s; %s %s.",
		len(all), d.Kind, cName(d.CName), g.shape(d), rest, strings.Join(others, "; "))}
}

// shape identifies a declaration among namesakes: BTF type ID, size and
// members.
func (g *generator) shape(d *layout.Decl) string {
	var b strings.Builder
	if id, err := g.obj.Spec.TypeID(d.Type); err == nil {
		fmt.Fprintf(&b, "BTF type ID %d, ", id)
	}
	c := d.Composite
	if c == nil {
		return strings.TrimSuffix(b.String(), ", ")
	}
	b.WriteString(bytesText(c.Size))
	switch n := len(c.Members); {
	case n == 0:
		b.WriteString(", no members")
	default:
		var names []string
		for i, m := range c.Members {
			if i == 4 {
				names = append(names, "...")
				break
			}
			names = append(names, cName(m.Name))
		}
		fmt.Fprintf(&b, ", members %s", strings.Join(names, ", "))
	}
	return b.String()
}
