package difftest

import (
	"fmt"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
	"github.com/mapgen/mapgen/internal/randc"
	"github.com/mapgen/mapgen/layout"
)

// What the checker (testdata/check_test.go.txt, in the generated module)
// is told about one object: its types, where their values are, and how Go
// reaches each leaf. The checker has its own copy of these types (it
// cannot import this package); JSON ties the two.

type spec struct {
	Seed    int64  `json:"seed"`
	Order   string `json:"order"`
	Package string `json:"package"`
	// Object is the object's file name in the checker's directory.
	Object string `json:"object"`
	// CFile is where the C source is kept for messages.
	CFile string `json:"cfile"`
	// Sections are the initial bytes of the data sections, by name.
	Sections map[string][]byte `json:"sections"`
	Tops     []*specTop        `json:"tops"`
}

type specTop struct {
	CType     string      `json:"ctype"`
	GoType    string      `json:"gotype"`
	FillMap   string      `json:"fill_map"`
	KeyMap    string      `json:"key_map,omitempty"`
	FillProg  string      `json:"fill_prog"`
	CheckProg string      `json:"check_prog"`
	Vars      []*specVar  `json:"vars"`
	Leaves    []*specLeaf `json:"leaves"`
}

// specVar is a global of the type: its bytes in Section, and how Go
// reaches it in the section's Go struct (SectionType, as DefaultX returns
// it): a field, or an accessor where the variable sits at an offset Go
// cannot align (a packed type).
type specVar struct {
	Name        string  `json:"name"`
	Section     string  `json:"section"`
	Offset      uint32  `json:"offset"`
	Size        uint32  `json:"size"`
	Zero        bool    `json:"zero"`
	SectionType string  `json:"section_type"`
	Field       string  `json:"field"`
	Steps       []*step `json:"steps"`
}

type specLeaf struct {
	CPath    string  `json:"cpath"`
	Steps    []*step `json:"steps"`
	Kind     string  `json:"kind"`
	Size     int     `json:"size"`
	Bits     int     `json:"bits"`
	Signed   bool    `json:"signed"`
	Bitfield bool    `json:"bitfield"`
	Lo       uint64  `json:"lo"`
	Hi       uint64  `json:"hi"`
}

// step is one step from a value to a leaf: a Go field, a getter and
// setter pair, or an array index.
type step struct {
	Field   string `json:"field,omitempty"`
	Get     string `json:"get,omitempty"`
	Set     string `json:"set,omitempty"`
	IsIndex bool   `json:"is_index,omitempty"`
	Index   int    `json:"index,omitempty"`
}

// buildSpec describes obj (generated as out) for the checker.
func buildSpec(prog *randc.Program, obj *btfread.Object, out *gen.Output, order, pkg, object, cfile string) (*spec, error) {
	s := &spec{Seed: prog.Seed, Order: order, Package: pkg, Object: object, CFile: cfile, Sections: map[string][]byte{}}
	byC := make(map[btf.Type]*gen.TypeInfo)
	for _, ti := range out.Types {
		byC[ti.C] = ti
	}
	maps := make(map[string]*btfread.Map)
	for _, m := range obj.Maps {
		maps[m.Name] = m
	}
	type varAt struct {
		ds *btfread.DataSection
		v  *btfread.Variable
	}
	vars := make(map[string]varAt)
	for _, ds := range obj.DataSections {
		s.Sections[ds.Name] = ds.Contents
		for _, v := range ds.Variables {
			vars[v.Name] = varAt{ds, v}
		}
	}
	for _, t := range prog.Tops {
		m := maps[t.FillMap]
		if m == nil || m.Value == nil {
			return nil, fmt.Errorf("map %s: not in the object, or without a value type", t.FillMap)
		}
		ctype := btf.UnderlyingType(m.Value)
		ti := byC[ctype]
		if ti == nil {
			return nil, fmt.Errorf("map %s: mapgen declared no Go type for the value %s", t.FillMap, layout.CType(m.Value))
		}
		st := &specTop{CType: t.CType, GoType: ti.Name, FillMap: t.FillMap, KeyMap: t.KeyMap,
			FillProg: t.FillProg, CheckProg: t.CheckProg}
		for _, name := range []string{t.DataVar, t.RodataVar, t.BssVar} {
			at, ok := vars[name]
			if !ok {
				return nil, fmt.Errorf("global %s: in no data section", name)
			}
			sv := &specVar{Name: name, Section: at.ds.Name, Offset: at.v.Offset, Size: at.v.Size, Zero: name == t.BssVar}
			// The section's Go struct is the generated type with a
			// member of this name whose C type is the section's
			// synthetic struct.
			for _, ti := range out.Types {
				if c, ok := ti.C.(*btf.Struct); ok && c.Name == "" && isSection(c, at.ds) {
					mi := ti.Members[name]
					sv.SectionType, sv.Field = ti.Name, mi.Field
					if mi.Access == layout.AccessField {
						sv.Steps = []*step{{Field: mi.Field}}
					} else {
						sv.Steps = []*step{{Get: mi.Accessor, Set: mi.Setter}}
					}
				}
			}
			if sv.Field == "" {
				return nil, fmt.Errorf("global %s: no field in the Go struct of section %s", name, at.ds.Name)
			}
			st.Vars = append(st.Vars, sv)
		}
		for _, l := range t.Leaves {
			steps, err := goSteps(byC, ctype, l.Path)
			if err != nil {
				return nil, fmt.Errorf("%s%s: %w", t.CType, l.CPath(), err)
			}
			st.Leaves = append(st.Leaves, &specLeaf{CPath: l.CPath(), Steps: steps, Kind: l.Kind.String(), Size: l.Size,
				Bits: l.Bits, Signed: l.Signed, Bitfield: l.Bitfield, Lo: l.Lo, Hi: l.Hi})
		}
		s.Tops = append(s.Tops, st)
	}
	return s, nil
}

// isSection reports whether c is the synthetic struct gen made of ds: a
// member per exported variable, at its offset.
func isSection(c *btf.Struct, ds *btfread.DataSection) bool {
	if len(c.Members) == 0 {
		return false
	}
	at := make(map[string]uint32)
	for _, v := range ds.Variables {
		at[v.Name] = v.Offset
	}
	for _, m := range c.Members {
		off, ok := at[m.Name]
		if !ok || uint32(m.Offset) != 8*off {
			return false
		}
	}
	return true
}

// goSteps finds how Go reaches the leaf at path from a value of the C
// composite top, by the generated types' member information.
func goSteps(byC map[btf.Type]*gen.TypeInfo, top btf.Type, path []randc.Step) ([]*step, error) {
	var steps []*step
	cur := top
	for _, p := range path {
		if p.Name == "" {
			arr, ok := cur.(*btf.Array)
			if !ok {
				return nil, fmt.Errorf("index [%d] into %s", p.Index, layout.CType(cur))
			}
			steps = append(steps, &step{IsIndex: true, Index: p.Index})
			cur = btf.UnderlyingType(arr.Type)
			continue
		}
		ti := byC[cur]
		if ti == nil {
			return nil, fmt.Errorf("member %s of %s: no generated Go type", p.Name, layout.CType(cur))
		}
		mi, ok := ti.Members[p.Name]
		if !ok {
			return nil, fmt.Errorf("member %s: not in the members of Go type %s", p.Name, ti.Name)
		}
		m, ok := findMember(cur, p.Name)
		if !ok {
			return nil, fmt.Errorf("member %s: not in BTF %s", p.Name, layout.CType(cur))
		}
		switch mi.Access {
		case layout.AccessField:
			steps = append(steps, &step{Field: mi.Field})
		case layout.AccessBits, layout.AccessCopy:
			steps = append(steps, &step{Get: mi.Accessor, Set: mi.Setter})
		default:
			return nil, fmt.Errorf("member %s: reached as %v", p.Name, mi.Access)
		}
		cur = btf.UnderlyingType(m.Type)
	}
	return steps, nil
}

// findMember finds the member name of a struct or union, looking into
// anonymous members as C does.
func findMember(t btf.Type, name string) (btf.Member, bool) {
	var members []btf.Member
	switch t := t.(type) {
	case *btf.Struct:
		members = t.Members
	case *btf.Union:
		members = t.Members
	}
	for _, m := range members {
		if m.Name == name {
			return m, true
		}
		if m.Name == "" {
			if found, ok := findMember(btf.UnderlyingType(m.Type), name); ok {
				return found, true
			}
		}
	}
	return btf.Member{}, false
}
