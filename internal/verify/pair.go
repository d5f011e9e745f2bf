package verify

import (
	"errors"
	"fmt"
	"go/ast"
	"go/types"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/layout"
)

// Pairing Go named types with C types, in this order (README.md, "mapgen
// verify", states the rules):
//
//  1. --pair GoType=ctype.
//  2. A `//mapgen:ctype ctype` line in the type's doc comment, or the doc
//     comment mapgen writes ("FlowKey is the C struct flow_key: ...", with
//     "This one is BTF type ID 12" where names repeat; "... anonymous C
//     struct at cfg.range" for the type of a member). A directive naming
//     no C type is bad input; mapgen's comment naming none leaves the type
//     unpaired (a package may hold mapgen's output for several objects).
//  3. By name: the Go name and a C struct, union, enum or typedef name
//     compare equal with case and everything but letters and digits
//     ignored (FlowKey, Flow_Key and flow_key are one name), which covers
//     mapgen's and bpf2go's naming.
//  4. By name after a prefix: bpf2go starts every name with the stem
//     (counterFlowKey), mapgen with --prefix. The prefix is one for all the
//     packages checked: --prefix, else the one that pairs the most Go
//     types (the shortest of equals), cut at a word boundary (an upper-case
//     letter or an underscore follows it).
//
// Types that cannot be C data (strings, slices, maps, interfaces, channels
// or functions in them) pair with nothing by name. A name that matches
// several different C types (two structs of one name in kernel BTF) pairs
// nothing by name; ctype "struct console#12" names one
// by its BTF type ID.

// cIndex finds C types by kind and name.
type cIndex struct {
	spec *btf.Spec
	// byKind maps "struct foo", "union foo", "enum foo", "typedef foo" to
	// the types of that spelling.
	byKind map[string][]btf.Type
	// byKey maps a name key (nameKey) to its types.
	byKey map[string][]btf.Type
}

func newCIndex(spec *btf.Spec) *cIndex {
	x := &cIndex{spec: spec, byKind: make(map[string][]btf.Type), byKey: make(map[string][]btf.Type)}
	for t := range spec.All() {
		kind := cKindName(t)
		if kind == "" || t.TypeName() == "" {
			continue
		}
		x.byKind[kind+" "+t.TypeName()] = append(x.byKind[kind+" "+t.TypeName()], t)
		k := nameKey(t.TypeName())
		x.byKey[k] = append(x.byKey[k], t)
	}
	return x
}

func cKindName(t btf.Type) string {
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

// nameKey lower-cases name and keeps only letters and digits.
func nameKey(name string) string {
	var b strings.Builder
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// errUnknownCType is wrapped by errors about a ctype that names no C type.
var errUnknownCType = errors.New("no such C type")

// lookup resolves a ctype as --pair and //mapgen:ctype spell it:
// "struct foo", "union foo", "enum foo", "typedef foo" or "foo" (a typedef,
// else the one struct, union or enum of that name), each with an optional
// "#ID" (BTF type ID) to choose among types of one name.
func (x *cIndex) lookup(spelling string) (btf.Type, error) {
	s := strings.Join(strings.Fields(spelling), " ")
	if path, ok := strings.CutPrefix(s, "at "); ok {
		return x.memberType(path)
	}
	id := -1
	if name, num, ok := strings.Cut(s, "#"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(num))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("ctype %q: bad BTF type ID %q", spelling, num)
		}
		s, id = strings.TrimSpace(name), n
	}
	var found []btf.Type
	if strings.Contains(s, " ") {
		kind, _, _ := strings.Cut(s, " ")
		switch kind {
		case "struct", "union", "enum", "typedef":
		default:
			return nil, fmt.Errorf("ctype %q: want struct NAME, union NAME, enum NAME or a typedef name", spelling)
		}
		found = x.byKind[s]
	} else {
		found = x.byKind["typedef "+s]
		if len(found) == 0 {
			for _, kind := range []string{"struct", "union", "enum"} {
				found = append(found, x.byKind[kind+" "+s]...)
			}
		}
	}
	if id >= 0 {
		for _, t := range found {
			if tid, err := x.spec.TypeID(t); err == nil && int(tid) == id {
				return t, nil
			}
		}
		return nil, fmt.Errorf("ctype %q: %w with BTF type ID %d", spelling, errUnknownCType, id)
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("ctype %q: %w", spelling, errUnknownCType)
	case 1:
		return found[0], nil
	}
	return nil, fmt.Errorf("ctype %q: names %d C types (BTF type IDs %s); add #ID to choose one", spelling, len(found), x.ids(found))
}

func (x *cIndex) ids(ts []btf.Type) string {
	var ids []string
	for _, t := range ts {
		id, _ := x.spec.TypeID(t)
		ids = append(ids, strconv.Itoa(int(id)))
	}
	return strings.Join(ids, ", ")
}

// byName returns the one C type whose name has key k, with typedefs of
// a struct, union or enum of the same key counting as that type, or nil
// and whether k was ambiguous.
func (x *cIndex) byName(k string) (btf.Type, bool) {
	var found btf.Type
	for _, t := range x.byKey[k] {
		if td, ok := t.(*btf.Typedef); ok {
			if u := btf.UnderlyingType(td); u != td && nameKey(u.TypeName()) == k {
				continue // typedef struct foo foo_t-like alias of a candidate
			}
		}
		if found != nil && found != t {
			return nil, true
		}
		found = t
	}
	return found, false
}

// goType is a Go named type that may pair with a C type.
type goType struct {
	obj *types.TypeName
	// doc is the text of the type's doc comment; directive the argument
	// of its //mapgen:ctype line, if any.
	doc, directive string
}

// directivePrefix starts the doc comment line that names a type's C type.
const directivePrefix = "//mapgen:ctype "

// uncheckable is a named type verify cannot compare with a C type: an
// alias, a generic type, or one whose underlying type is not a struct, an
// array, a number or a bool. Pairing one explicitly (--pair,
// //mapgen:ctype) is bad input; otherwise it is left out.
type uncheckable struct {
	obj *types.TypeName
	// directive is the argument of its //mapgen:ctype line, if any.
	directive string
	// what says why verify cannot compare it: "a generic type".
	what string
}

// candidates returns the named types of a package that can stand for C
// data: structs, arrays and numbers, not aliases or generic types; and
// the others.
func candidates(pkg *types.Package, files []*ast.File) ([]goType, []uncheckable) {
	type docs struct{ text, directive string }
	byName := make(map[string]docs)
	for _, f := range files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, s := range gd.Specs {
				ts, ok := s.(*ast.TypeSpec)
				if !ok {
					continue
				}
				var d docs
				for _, cg := range []*ast.CommentGroup{gd.Doc, ts.Doc} {
					if cg == nil || (cg == gd.Doc && len(gd.Specs) > 1) {
						continue
					}
					d.text += cg.Text()
					for _, c := range cg.List {
						if arg, ok := strings.CutPrefix(c.Text, directivePrefix); ok {
							d.directive = strings.TrimSpace(arg)
						}
					}
				}
				byName[ts.Name.Name] = d
			}
		}
	}
	var out []goType
	var refused []uncheckable
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok {
			continue
		}
		if what := notComparable(tn); what != "" {
			refused = append(refused, uncheckable{obj: tn, directive: byName[name].directive, what: what})
			continue
		}
		out = append(out, goType{obj: tn, doc: byName[name].text, directive: byName[name].directive})
	}
	return out, refused
}

// notComparable says why verify cannot compare the type tn names with a
// C type, or "" if it can.
func notComparable(tn *types.TypeName) string {
	if tn.IsAlias() {
		return "an alias (pair the type it stands for)"
	}
	named, ok := tn.Type().(*types.Named)
	if !ok {
		return "not a named type"
	}
	if named.TypeParams().Len() > 0 {
		return "a generic type (its layout depends on its type arguments)"
	}
	switch u := named.Underlying().(type) {
	case *types.Struct, *types.Array:
		return ""
	case *types.Basic:
		if u.Info()&(types.IsInteger|types.IsFloat|types.IsBoolean) != 0 {
			return ""
		}
	}
	return fmt.Sprintf("of underlying type %s, not a struct, array, number or bool", named.Underlying())
}

var (
	// mapgenDoc, typedefDoc, anonDoc and idDoc read the doc comments
	// mapgen writes.
	mapgenDoc  = regexp.MustCompile(`^\S+ is the C (struct|union|enum) (\S+?)[:.]?(?:\s|$)`)
	typedefDoc = regexp.MustCompile(`named by typedef (\S+?)[:.,]?(?:\s|$)`)
	anonDoc    = regexp.MustCompile(`^\S+ is the anonymous C (?:struct|union|enum) at (\S+?)[:.,]?(?:\s|$)`)
	idDoc      = regexp.MustCompile(`This one is BTF type ID (\d+)`)
)

// docCType returns the ctype a doc comment gives: a //mapgen:ctype
// directive, else what mapgen's own doc comment says ("X is the C struct
// foo", "... named by typedef foo_t", "the anonymous C struct at
// foo.bar", spelled "at foo.bar"). generated is true for the latter: a
// package may hold mapgen's output for several objects, so a C type
// missing from this one leaves the Go type unpaired instead of failing.
func docCType(directive, doc string) (spelling string, generated bool) {
	if directive != "" {
		return directive, false
	}
	doc = strings.Join(strings.Fields(doc), " ") // mapgen wraps lines anywhere
	if m := typedefDoc.FindStringSubmatch(doc); m != nil {
		return m[1], true
	}
	if m := anonDoc.FindStringSubmatch(doc); m != nil {
		return "at " + m[1], true
	}
	if m := mapgenDoc.FindStringSubmatch(doc); m != nil {
		s := m[1] + " " + m[2]
		if id := idDoc.FindStringSubmatch(doc); id != nil {
			s += "#" + id[1]
		}
		return s, true
	}
	return "", false
}

// memberType resolves "at foo.bar.baz": the type of member baz of member
// bar of the C type foo (its elements, for arrays), with anonymous
// members searched as C does.
func (x *cIndex) memberType(path string) (btf.Type, error) {
	segs := strings.Split(path, ".")
	t, err := x.lookup(segs[0])
	if err != nil {
		return nil, err
	}
	for _, name := range segs[1:] {
		m := findMember(elemType(t), name, 0)
		if m == nil {
			return nil, fmt.Errorf("%s: %w: no member %s", path, errUnknownCType, name)
		}
		t = m.Type
	}
	return elemType(t), nil
}

// elemType strips typedefs, qualifiers and array dimensions.
func elemType(t btf.Type) btf.Type {
	for range maxDepth {
		a, ok := layout.Underlying(t).(*btf.Array)
		if !ok {
			break
		}
		t = a.Type
	}
	return layout.Underlying(t)
}

// findMember finds member name of a struct or union, in its anonymous
// members too.
func findMember(t btf.Type, name string, depth int) *btf.Member {
	var members []btf.Member
	switch u := t.(type) {
	case *btf.Struct:
		members = u.Members
	case *btf.Union:
		members = u.Members
	}
	if depth > maxDepth {
		return nil
	}
	for i := range members {
		if members[i].Name == name {
			return &members[i]
		}
	}
	for i := range members {
		if members[i].Name == "" {
			if m := findMember(layout.Underlying(members[i].Type), name, depth+1); m != nil {
				return m
			}
		}
	}
	return nil
}

// choosePrefix returns the prefix that pairs the most of the unpaired
// names with C types by key (the shortest of equals), or "".
func choosePrefix(x *cIndex, names []string) string {
	count := make(map[string]int)
	for _, n := range names {
		seen := make(map[string]bool)
		for i, r := range n {
			if i == 0 || !(unicode.IsUpper(r) || r == '_') {
				continue
			}
			p := n[:i]
			if t, _ := x.byName(nameKey(n[i:])); t != nil && !seen[p] {
				seen[p] = true
				count[p]++
			}
		}
	}
	var prefixes []string
	for p := range count {
		prefixes = append(prefixes, p)
	}
	sort.Slice(prefixes, func(i, j int) bool {
		a, b := prefixes[i], prefixes[j]
		if count[a] != count[b] {
			return count[a] > count[b]
		}
		if utf8.RuneCountInString(a) != utf8.RuneCountInString(b) {
			return len(a) < len(b)
		}
		return a < b
	})
	if len(prefixes) == 0 {
		return ""
	}
	return prefixes[0]
}
