package btfread

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// ComparePair checks that a and b are one program compiled for the two byte
// orders: the same maps (names, kinds, key and value sizes, key and value C
// types, inner map templates) and the same data sections and variables
// (names, offsets, sizes, C types). C types are compared by structure,
// names included. The error names the first difference.
//
// Within one storage unit, bitfields may come in another order: C headers
// declare them per byte order (struct iphdr's ihl and version), and the
// generated accessors are the same.
func ComparePair(a, b *Object) error {
	c := newPairComparer(a, b)
	if a.Raw != b.Raw {
		return c.fail(nil, "one is raw BTF, the other an ELF object")
	}
	if err := c.maps(); err != nil {
		return err
	}
	return c.sections()
}

// CompareTypes checks that the C types named by names (all named structs,
// unions, enums and typedefs if names is nil) are the same in a and b. A
// name may carry its kind ("struct foo"). Names found in neither object are
// left to the generator to report.
func CompareTypes(a, b *Object, names []string) error {
	c := newPairComparer(a, b)
	if names == nil {
		ka, kb := pairNamedTypes(a.Spec), pairNamedTypes(b.Spec)
		for _, k := range pairKeys(ka, kb) {
			if err := c.typeList(k, ka[k], kb[k]); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range names {
		kind, name := pairSplitKind(n)
		ta, tb := pairTypesNamed(a.Spec, kind, name), pairTypesNamed(b.Spec, kind, name)
		if err := c.typeList(n, ta, tb); err != nil {
			return err
		}
	}
	return nil
}

type pairComparer struct {
	a, b *Object
	// same holds the type pairs already compared or being compared:
	// assuming them equal until shown otherwise is what makes cyclic
	// types (a struct pointing to itself) terminate.
	same map[[2]btf.Type]bool
}

func newPairComparer(a, b *Object) *pairComparer {
	return &pairComparer{a: a, b: b, same: make(map[[2]btf.Type]bool)}
}

// fail makes the error for a difference found at path.
func (c *pairComparer) fail(at *pairStep, format string, args ...any) error {
	where := at.String()
	if where != "" {
		where += ": "
	}
	return oneLine(fmt.Errorf("%s and %s are not one program built for both byte orders: %s%s",
		c.a.Path, c.b.Path, where, fmt.Sprintf(format, args...)))
}

func (c *pairComparer) maps() error {
	return pairByName(c, nil, "map %q", c.a.Maps, c.b.Maps, func(m *Map) string { return m.Name },
		func(at *pairStep, ma, mb *Map) error { return c.mapDef(at, ma, mb) })
}

// pairByName pairs the elements of as and bs by name and compares each
// pair with same; an element of one side only is the difference. what
// names an element ("map %q").
func pairByName[T any](c *pairComparer, at *pairStep, what string, as, bs []T, name func(T) string, same func(*pairStep, T, T) error) error {
	byName := make(map[string]T, len(bs))
	for _, b := range bs {
		byName[name(b)] = b
	}
	for _, a := range as {
		b, ok := byName[name(a)]
		if !ok {
			return c.fail(at, what+" is only in %s", name(a), c.a.Path)
		}
		if err := same(at.then(fmt.Sprintf(what, name(a))), a, b); err != nil {
			return err
		}
		delete(byName, name(a))
	}
	for _, b := range bs {
		if _, left := byName[name(b)]; left {
			return c.fail(at, what+" is only in %s", name(b), c.b.Path)
		}
	}
	return nil
}

func (c *pairComparer) mapDef(at *pairStep, ma, mb *Map) error {
	switch {
	case ma.Type != mb.Type:
		return c.fail(at, "kind %s vs %s", ma.Type, mb.Type)
	case ma.Legacy != mb.Legacy:
		return c.fail(at, "legacy definition in one object only")
	case ma.KeySize != mb.KeySize:
		return c.fail(at, "key size %d vs %d", ma.KeySize, mb.KeySize)
	case ma.ValueSize != mb.ValueSize:
		return c.fail(at, "value size %d vs %d", ma.ValueSize, mb.ValueSize)
	}
	if err := c.types(at.then("key"), ma.Key, mb.Key); err != nil {
		return err
	}
	if err := c.types(at.then("value"), ma.Value, mb.Value); err != nil {
		return err
	}
	switch {
	case (ma.Inner == nil) != (mb.Inner == nil):
		return c.fail(at, "inner map template in one object only")
	case ma.Inner != nil:
		return c.mapDef(at.then("inner map"), ma.Inner, mb.Inner)
	}
	return nil
}

func (c *pairComparer) sections() error {
	return pairByName(c, nil, "section %s", c.a.DataSections, c.b.DataSections,
		func(s *DataSection) string { return s.Name },
		func(at *pairStep, sa, sb *DataSection) error {
			if sa.ReadOnly != sb.ReadOnly {
				return c.fail(at, "read-only in one object only")
			}
			return pairByName(c, at, "variable %q", sa.Variables, sb.Variables,
				func(v *Variable) string { return v.Name }, c.variable)
		})
}

func (c *pairComparer) variable(at *pairStep, va, vb *Variable) error {
	switch {
	case va.Offset != vb.Offset:
		return c.fail(at, "offset %d vs %d", va.Offset, vb.Offset)
	case va.Size != vb.Size:
		return c.fail(at, "size %d vs %d", va.Size, vb.Size)
	case va.Static != vb.Static:
		return c.fail(at, "static in one object only")
	}
	return c.types(at, va.Type, vb.Type)
}

// typeList compares the types of one name, in the order of their IDs
// (a name can be several types in vmlinux).
func (c *pairComparer) typeList(name string, ta, tb []btf.Type) error {
	at := &pairStep{label: fmt.Sprintf("type %q", name)}
	if len(ta) != len(tb) {
		return c.fail(at, "%d types of that name vs %d", len(ta), len(tb))
	}
	for i := range ta {
		if err := c.types(at, ta[i], tb[i]); err != nil {
			return err
		}
	}
	return nil
}

// pairStep is one element of the path to a difference, innermost last.
type pairStep struct {
	up    *pairStep
	label string
}

func (s *pairStep) then(label string) *pairStep { return &pairStep{up: s, label: label} }

func (s *pairStep) String() string {
	var parts []string
	for ; s != nil; s = s.up {
		parts = append(parts, s.label)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, ": ")
}

// pairWork is a pair of types still to compare.
type pairWork struct {
	a, b btf.Type
	at   *pairStep
}

// types compares two type graphs depth first with an explicit stack, so
// that neither cycles nor deep nesting can exhaust the goroutine's stack.
func (c *pairComparer) types(at *pairStep, a, b btf.Type) error {
	stack := []pairWork{{a, b, at}}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if p.a == nil || p.b == nil {
			if (p.a == nil) != (p.b == nil) {
				return c.fail(p.at, "BTF type in one object only")
			}
			continue
		}
		key := [2]btf.Type{p.a, p.b}
		if c.same[key] {
			continue
		}
		c.same[key] = true
		children, err := c.shallow(p)
		if err != nil {
			return err
		}
		// Push in reverse so that the first child is compared first.
		for i := len(children) - 1; i >= 0; i-- {
			stack = append(stack, children[i])
		}
	}
	return nil
}

// shallow compares what a and b hold themselves and returns the pairs of
// types they refer to.
func (c *pairComparer) shallow(p pairWork) ([]pairWork, error) {
	at := p.at.then(pairDescribe(p.a))
	differ := func(format string, args ...any) ([]pairWork, error) {
		return nil, c.fail(at, format, args...)
	}
	if reflect.TypeOf(p.a) != reflect.TypeOf(p.b) || p.a.TypeName() != p.b.TypeName() {
		return nil, c.fail(p.at, "%s vs %s", pairDescribe(p.a), pairDescribe(p.b))
	}
	next := func(label string, a, b btf.Type) pairWork {
		l := at
		if label != "" {
			l = at.then(label)
		}
		return pairWork{a, b, l}
	}
	switch a := p.a.(type) {
	case *btf.Void:
	case *btf.Int:
		b := p.b.(*btf.Int)
		if a.Size != b.Size || a.Encoding != b.Encoding {
			return differ("%d bytes, %v vs %d bytes, %v", a.Size, a.Encoding, b.Size, b.Encoding)
		}
	case *btf.Float:
		if b := p.b.(*btf.Float); a.Size != b.Size {
			return differ("%d bytes vs %d", a.Size, b.Size)
		}
	case *btf.Pointer:
		return []pairWork{next("target", a.Target, p.b.(*btf.Pointer).Target)}, nil
	case *btf.Array:
		b := p.b.(*btf.Array)
		if a.Nelems != b.Nelems {
			return differ("%d elements vs %d", a.Nelems, b.Nelems)
		}
		return []pairWork{next("element", a.Type, b.Type)}, nil
	case *btf.Struct:
		b := p.b.(*btf.Struct)
		if a.Size != b.Size {
			return differ("%d bytes vs %d", a.Size, b.Size)
		}
		return c.members(at, a.Members, b.Members)
	case *btf.Union:
		b := p.b.(*btf.Union)
		if a.Size != b.Size {
			return differ("%d bytes vs %d", a.Size, b.Size)
		}
		return c.members(at, a.Members, b.Members)
	case *btf.Enum:
		b := p.b.(*btf.Enum)
		if a.Size != b.Size || a.Signed != b.Signed {
			return differ("%d bytes (signed %t) vs %d bytes (signed %t)", a.Size, a.Signed, b.Size, b.Signed)
		}
		if len(a.Values) != len(b.Values) {
			return differ("%d values vs %d", len(a.Values), len(b.Values))
		}
		for i, v := range a.Values {
			if w := b.Values[i]; v != w {
				return differ("%s = %d vs %s = %d", v.Name, v.Value, w.Name, w.Value)
			}
		}
	case *btf.Fwd:
		if b := p.b.(*btf.Fwd); a.Kind != b.Kind {
			return differ("%v vs %v", a.Kind, b.Kind)
		}
	case *btf.Typedef:
		return []pairWork{next("", a.Type, p.b.(*btf.Typedef).Type)}, nil
	case *btf.Const:
		return []pairWork{next("", a.Type, p.b.(*btf.Const).Type)}, nil
	case *btf.Volatile:
		return []pairWork{next("", a.Type, p.b.(*btf.Volatile).Type)}, nil
	case *btf.Restrict:
		return []pairWork{next("", a.Type, p.b.(*btf.Restrict).Type)}, nil
	case *btf.TypeTag:
		b := p.b.(*btf.TypeTag)
		if a.Value != b.Value {
			return differ("tag %q vs %q", a.Value, b.Value)
		}
		return []pairWork{next("", a.Type, b.Type)}, nil
	case *btf.Func:
		return []pairWork{next("", a.Type, p.b.(*btf.Func).Type)}, nil
	case *btf.FuncProto:
		b := p.b.(*btf.FuncProto)
		if len(a.Params) != len(b.Params) {
			return differ("%d parameters vs %d", len(a.Params), len(b.Params))
		}
		out := []pairWork{next("return", a.Return, b.Return)}
		for i := range a.Params {
			out = append(out, next(fmt.Sprintf("parameter %d", i+1), a.Params[i].Type, b.Params[i].Type))
		}
		return out, nil
	case *btf.Var:
		return []pairWork{next("", a.Type, p.b.(*btf.Var).Type)}, nil
	default:
		// Datasec, DeclTag and kinds added later: not part of a map's or
		// variable's type; equal names are enough.
	}
	return nil, nil
}

// members compares the members of two structs or unions, matched by name
// (unnamed ones by offset): non-bitfields at the same offset, bitfields
// of the same width in the same storage unit.
func (c *pairComparer) members(at *pairStep, ma, mb []btf.Member) ([]pairWork, error) {
	if len(ma) != len(mb) {
		return nil, c.fail(at, "%d members vs %d", len(ma), len(mb))
	}
	kb, ok := pairMemberKeys(mb)
	if _, okA := pairMemberKeys(ma); !ok || !okA {
		// Repeated member names (hand-made BTF): compare in order.
		kb = nil
	}
	var out []pairWork
	for i, m := range ma {
		key := pairMemberKey(m)
		var n btf.Member
		if kb != nil {
			j, found := kb[key]
			if !found {
				return nil, c.fail(at, "member %s is only in %s", key, c.a.Path)
			}
			n = mb[j]
		} else {
			n = mb[i]
		}
		mat := at.then("member " + key)
		switch {
		case m.Name != n.Name:
			return nil, c.fail(mat, "named %q vs %q", m.Name, n.Name)
		case m.BitfieldSize != n.BitfieldSize:
			return nil, c.fail(mat, "bitfield of %d bits vs %d", m.BitfieldSize, n.BitfieldSize)
		case m.BitfieldSize == 0 && m.Offset != n.Offset:
			return nil, c.fail(mat, "at bit %d vs %d", m.Offset, n.Offset)
		case m.BitfieldSize != 0 && !pairSameUnit(m, n):
			return nil, c.fail(mat, "bitfield at bit %d vs %d", m.Offset, n.Offset)
		}
		out = append(out, pairWork{m.Type, n.Type, mat})
	}
	return out, nil
}

func pairMemberKey(m btf.Member) string {
	if m.Name == "" {
		return fmt.Sprintf("(unnamed at bit %d)", m.Offset)
	}
	return fmt.Sprintf("%q", m.Name)
}

// pairMemberKeys indexes members by key; ok is false if a key repeats.
func pairMemberKeys(ms []btf.Member) (map[string]int, bool) {
	keys := make(map[string]int, len(ms))
	for i, m := range ms {
		k := pairMemberKey(m)
		if _, dup := keys[k]; dup {
			return nil, false
		}
		keys[k] = i
	}
	return keys, true
}

// pairSameUnit reports whether two bitfields lie in the same storage unit of
// their declared type's size.
func pairSameUnit(m, n btf.Member) bool {
	size := pairBitfieldUnit(m.Type)
	if size == 0 || size != pairBitfieldUnit(n.Type) {
		return m.Offset == n.Offset
	}
	bits := btf.Bits(size * 8)
	return m.Offset/bits == n.Offset/bits
}

// pairBitfieldUnit is the size in bytes of a bitfield's integer or enum type,
// 0 if it is neither.
func pairBitfieldUnit(t btf.Type) uint32 {
	for range 64 { // bounded: a typedef loop must not spin
		switch u := t.(type) {
		case *btf.Int:
			return u.Size
		case *btf.Enum:
			return u.Size
		case *btf.Typedef:
			t = u.Type
		case *btf.Const:
			t = u.Type
		case *btf.Volatile:
			t = u.Type
		case *btf.Restrict:
			t = u.Type
		case *btf.TypeTag:
			t = u.Type
		default:
			return 0
		}
	}
	return 0
}

// describe names a type as C would, for messages.
func pairDescribe(t btf.Type) string {
	kind := strings.ToLower(strings.TrimPrefix(fmt.Sprintf("%T", t), "*btf."))
	switch t.(type) {
	case *btf.FuncProto:
		kind = "function type"
	case *btf.Void:
		return "void"
	}
	if n := t.TypeName(); n != "" {
		return kind + " " + n
	}
	return kind
}

// pairSplitKind splits "struct foo" into its kind and name; kind is "" for a
// bare name.
func pairSplitKind(s string) (kind, name string) {
	if k, n, ok := strings.Cut(strings.TrimSpace(s), " "); ok {
		switch k {
		case "struct", "union", "enum", "typedef":
			return k, strings.TrimSpace(n)
		}
	}
	return "", s
}

// pairKind is the kind word of the named types CompareTypes
// compares, or "".
func pairKind(t btf.Type) string {
	switch t.(type) {
	case *btf.Struct:
		return "struct"
	case *btf.Union:
		return "union"
	case *btf.Enum:
		return "enum"
	case *btf.Typedef:
		return "typedef"
	}
	return ""
}

// pairTypesNamed returns the comparable types called name (of kind, if
// given), in the order of their IDs.
func pairTypesNamed(spec *btf.Spec, kind, name string) []btf.Type {
	if spec == nil {
		return nil
	}
	all, _ := spec.AnyTypesByName(name) // not found: nil
	var out []btf.Type
	for _, t := range all {
		if k := pairKind(t); k != "" && (kind == "" || k == kind) {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		ii, _ := spec.TypeID(out[i])
		ij, _ := spec.TypeID(out[j])
		return ii < ij
	})
	return out
}

// pairNamedTypes returns every comparable named type by "kind name", in the
// order of their IDs.
func pairNamedTypes(spec *btf.Spec) map[string][]btf.Type {
	out := make(map[string][]btf.Type)
	if spec == nil {
		return out
	}
	for t, err := range spec.All() {
		if err != nil {
			break
		}
		if k := pairKind(t); k != "" && t.TypeName() != "" {
			key := k + " " + t.TypeName()
			out[key] = append(out[key], t)
		}
	}
	return out
}

// pairKeys returns the keys of both maps, sorted.
func pairKeys(a, b map[string][]btf.Type) []string {
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
