package gen

import (
	"fmt"
	"go/token"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/layout"
)

// Options control what Generate writes.
type Options struct {
	// Package is the Go package name of the file.
	Package string
	// Types are C type names to emit besides those maps and variables
	// use: a struct, union or enum tag ("flow_key", or "struct flow_key")
	// or a typedef name.
	Types []string
	// AllTypes emits every named struct, union and enum of the BTF, and
	// every typedef of one.
	AllTypes bool
	// Prefix starts the name of every package-level type and constant
	// and follows the verb of every function (NewPMaps), so that files
	// generated from several objects can share one Go package. It must
	// start with an upper-case letter.
	Prefix string
	// Events names the C type of the records of ring buffer and perf
	// event array maps, by map name, for typed readers. For an array or
	// hash of maps whose inner maps are ring buffers or perf event
	// arrays, it names the records of the inner maps.
	Events map[string]string
	// MapTypes binds maps whose definitions carry no BTF key or value type
	// (key_size/value_size, legacy maps) to C types, by map name.
	MapTypes map[string]MapBinding
	// Embed is the path of the object relative to the output file's
	// directory; if set, the file embeds the object with go:embed and
	// offers loaders.
	Embed string
	// Command is the command line that generates the file, as given
	// (mapgen and its arguments, without paths that change from run to
	// run), for its header; empty for none.
	Command []string
	// Version is the version of mapgen for the header; empty for none.
	Version string
}

// MapBinding names the C types of a map's key and value; an empty name
// keeps the map's own type (or bytes, where it has none).
type MapBinding struct {
	Key, Value string
}

// OptionError is an Options field that does not fit the object: a map
// that does not exist, a type that contradicts BTF, a prefix that makes
// no Go name. Option is the field ("Events", "MapTypes", "Prefix", ...)
// and Key the map or type it is about, so that a command line can name
// its own flag.
type OptionError struct {
	Option string
	Key    string
	Err    error
}

func (e *OptionError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("option %s: %v", e.Option, e.Err)
	}
	return fmt.Sprintf("option %s %s: %v", e.Option, e.Key, e.Err)
}

func (e *OptionError) Unwrap() error { return e.Err }

func optionErr(option, key string, format string, args ...any) error {
	return &OptionError{Option: option, Key: key, Err: fmt.Errorf(format, args...)}
}

// validate checks every option against the object before anything is
// planned or written: an error here is always the caller's, never the
// object's or mapgen's.
func (g *generator) validate() error {
	o := g.opts
	if !token.IsIdentifier(o.Package) || o.Package == "_" {
		return optionErr("Package", "", "%q is not a Go package name", o.Package)
	}
	if o.Prefix != "" && !validPrefix(o.Prefix) {
		return optionErr("Prefix", "", "%q: a prefix must start with an upper-case letter and hold only letters, digits and underscores", o.Prefix)
	}
	if o.Embed != "" {
		if !fs.ValidPath(o.Embed) || o.Embed == "." || strings.ContainsAny(o.Embed, "*?[\\\"`") || !utf8.ValidString(o.Embed) || strings.IndexFunc(o.Embed, unicode.IsControl) >= 0 {
			return optionErr("Embed", "", "%q is not a path go:embed accepts (a relative, slash-separated path below the output directory, without glob characters)", o.Embed)
		}
		if g.obj.Raw {
			return optionErr("Embed", "", "%s is raw BTF, not an eBPF object: there is nothing to load", g.obj.Path)
		}
	}
	for _, name := range o.Types {
		if _, err := g.lookupType(name, false); err != nil {
			return &OptionError{Option: "Types", Key: name, Err: err}
		}
	}
	for _, name := range sortedKeys(o.Events) {
		if err := g.validateEvent(name, o.Events[name]); err != nil {
			return &OptionError{Option: "Events", Key: name, Err: err}
		}
	}
	for _, name := range sortedKeys(o.MapTypes) {
		if err := g.validateBinding(name, o.MapTypes[name]); err != nil {
			return &OptionError{Option: "MapTypes", Key: name, Err: err}
		}
	}
	return nil
}

// validPrefix reports whether p starts exported Go names: an upper-case
// letter, then letters, digits and underscores.
func validPrefix(p string) bool {
	for i, r := range p {
		switch {
		case i == 0 && !unicode.IsUpper(r):
			return false
		case !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_':
			return false
		}
	}
	return true
}

// findMap is the map called name, or an error that lists the object's
// maps.
func (g *generator) findMap(name string) (*btfread.Map, error) {
	var names []string
	for _, m := range g.obj.Maps {
		if m.Name == name {
			return m, nil
		}
		names = append(names, m.Name)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no map of that name: the object has no maps")
	}
	return nil, fmt.Errorf("no map of that name%s; the object has %s", suggest(name, names), strings.Join(names, ", "))
}

// isEventMap reports whether a map kind carries records read by a
// reader rather than keys and values.
func isEventMap(t ebpf.MapType) bool {
	return t == ebpf.RingBuf || t == ebpf.PerfEventArray
}

// eventMap is the map whose records an Events entry for m describes: m, or
// its inner map template for an array or hash of maps.
func eventMap(m *btfread.Map) *btfread.Map {
	if (m.Type == ebpf.ArrayOfMaps || m.Type == ebpf.HashOfMaps) && m.Inner != nil {
		return m.Inner
	}
	return m
}

func (g *generator) validateEvent(mapName, cname string) error {
	m, err := g.findMap(mapName)
	if err != nil {
		return err
	}
	em := eventMap(m)
	if !isEventMap(em.Type) {
		if em != m {
			return fmt.Errorf("map %s is a %s of %s maps, not of ring buffers or perf event arrays", m.Name, m.Type, em.Type)
		}
		return fmt.Errorf("map %s is a %s, not a ring buffer or perf event array", m.Name, m.Type)
	}
	t, err := g.lookupType(cname, true)
	if err != nil {
		return err
	}
	if declared := em.Value; declared != nil && em.Type == ebpf.RingBuf {
		// A ring buffer may declare its record type (__type(value, ...)),
		// which cilium/ebpf accepts and drops when creating the map.
		if err := sameSize(t, declared, "the ring buffer's declared record type"); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) validateBinding(mapName string, b MapBinding) error {
	m, err := g.findMap(mapName)
	if err != nil {
		return err
	}
	if b.Key == "" && b.Value == "" {
		return fmt.Errorf("names neither a key nor a value type")
	}
	if kw, ok := wrappers[m.Type]; ok && (kw.shape == events || kw.shape == noTypes) || m.Type == ebpf.ArrayOfMaps || m.Type == ebpf.HashOfMaps {
		hint := ""
		if kw.shape == events {
			hint = "; --event types its records"
		}
		return fmt.Errorf("map %s is a %s: its keys and values are not data mapgen types%s", m.Name, m.Type, hint)
	}
	check := func(cname string, own btf.Type, size uint32, what string) error {
		if cname == "" {
			return nil
		}
		t, err := g.lookupType(cname, true)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if own != nil {
			if layout.Underlying(own) != layout.Underlying(t) {
				return fmt.Errorf("%s: the map's definition declares %s, which %s contradicts", what, layout.CType(own), layout.CType(t))
			}
			return nil
		}
		n, err := btf.Sizeof(t)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", what, layout.CType(t), err)
		}
		if uint64(n) != uint64(size) {
			return fmt.Errorf("%s: %s is %d bytes, but the map's %s size is %d", what, layout.CType(t), n, what, size)
		}
		return nil
	}
	if err := check(b.Key, m.Key, m.KeySize, "key"); err != nil {
		return err
	}
	return check(b.Value, m.Value, m.ValueSize, "value")
}

// sameSize fails if a and b differ in size, naming both.
func sameSize(a, b btf.Type, what string) error {
	sa, errA := btf.Sizeof(a)
	sb, errB := btf.Sizeof(b)
	if errA != nil || errB != nil || sa != sb {
		return fmt.Errorf("%s is %d bytes, but %s %s is %d bytes", layout.CType(a), sa, what, layout.CType(b), sb)
	}
	return nil
}

// lookupType finds the C type a user names: a struct, union or enum tag
// with or without its keyword ("data_t", "struct data_t"), or a typedef;
// with scalars, also an integer type name ("__u32"). Several types of one
// name (a struct and a typedef of it) resolve to the first struct, union
// or enum, else the typedef.
func (g *generator) lookupType(name string, scalars bool) (btf.Type, error) {
	kind, bare := "", strings.TrimSpace(name)
	for _, k := range []string{"struct", "union", "enum"} {
		if rest, ok := strings.CutPrefix(bare, k+" "); ok {
			kind, bare = k, strings.TrimSpace(rest)
		}
	}
	types, _ := g.obj.Spec.AnyTypesByName(bare)
	var typedef, scalar btf.Type
	for _, t := range types {
		switch t := t.(type) {
		case *btf.Struct, *btf.Union, *btf.Enum:
			if kind == "" || kindOf(t) == kind {
				return t, nil
			}
		case *btf.Typedef:
			if kind == "" && typedef == nil {
				typedef = t
			}
		case *btf.Int:
			if kind == "" && scalars && scalar == nil {
				scalar = t
			}
		}
	}
	switch {
	case typedef != nil:
		return typedef, nil
	case scalar != nil:
		return scalar, nil
	}
	return nil, g.notFound(name, bare, kind)
}

// describeKind says what kind of C type t is, for messages.
func describeKind(t btf.Type) string {
	switch t.(type) {
	case *btf.Struct:
		return "a struct"
	case *btf.Union:
		return "a union"
	case *btf.Enum:
		return "an enum"
	case *btf.Typedef:
		return "a typedef"
	case *btf.Int:
		return "an integer type"
	case *btf.Float:
		return "a floating-point type"
	case *btf.Func:
		return "a function"
	case *btf.Var:
		return "a variable"
	case *btf.Datasec:
		return "a data section"
	case *btf.Fwd:
		return "a forward declaration"
	}
	return fmt.Sprintf("a %T", t)
}

func kindOf(t btf.Type) string {
	switch t.(type) {
	case *btf.Struct:
		return "struct"
	case *btf.Union:
		return "union"
	case *btf.Enum:
		return "enum"
	}
	return ""
}

// notFound explains why a named type is missing: clang writes BTF only for
// types that something in the object uses.
func (g *generator) notFound(name, bare, kind string) error {
	var names []string
	for t, err := range g.obj.Spec.All() {
		if err != nil {
			break
		}
		switch t.(type) {
		case *btf.Struct, *btf.Union, *btf.Enum, *btf.Typedef:
			if n := t.TypeName(); n != "" {
				names = append(names, n)
			}
		}
	}
	what := "type"
	if kind != "" {
		what = kind
	}
	if others, _ := g.obj.Spec.AnyTypesByName(bare); len(others) > 0 {
		// The name is there, as something the option does not take: say
		// what it is rather than that it is missing.
		var kinds []string
		for _, t := range others {
			kinds = append(kinds, describeKind(t))
		}
		sort.Strings(kinds)
		takes := "a struct, union, enum or typedef"
		if kind != "" {
			takes = "a " + kind
		}
		return fmt.Errorf("%s %q: the BTF has %s of that name, not %s", what, bare, strings.Join(slices.Compact(kinds), " and "), takes)
	}
	if g.obj.Raw {
		return fmt.Errorf("%s %q: not in the BTF%s", what, bare, suggest(bare, names))
	}
	if kind == "" {
		kind = "struct"
	}
	return fmt.Errorf("%s %q: not in the BTF%s; clang writes BTF only for types that a map, a global variable or a function signature uses (a type only local variables use has none): declare a global that uses it, such as `%s %s *unused_%s __attribute__((unused));` (without %q for a typedef)",
		what, bare, suggest(bare, names), kind, bare, identifier(bare), kind)
}

// suggest offers up to three names close to want: ", did you mean ...?"
// or "".
func suggest(want string, names []string) string {
	type scored struct {
		name string
		d    int
	}
	var close []scored
	seen := make(map[string]bool)
	lw := strings.ToLower(want)
	limit := max(1, len(want)/3)
	for _, n := range names {
		if seen[n] || n == want {
			continue
		}
		seen[n] = true
		ln := strings.ToLower(n)
		d := editDistance(lw, ln, limit)
		if d <= limit || (len(lw) >= 3 && (strings.Contains(ln, lw) || strings.Contains(lw, ln) && len(ln) >= 3)) {
			close = append(close, scored{n, d})
		}
	}
	if len(close) == 0 {
		return ""
	}
	sort.Slice(close, func(i, j int) bool {
		if close[i].d != close[j].d {
			return close[i].d < close[j].d
		}
		return close[i].name < close[j].name
	})
	var quoted []string
	for i := 0; i < len(close) && i < 3; i++ {
		quoted = append(quoted, fmt.Sprintf("%q", close[i].name))
	}
	return " (did you mean " + strings.Join(quoted, " or ") + "?)"
}

// editDistance is the Levenshtein distance of a and b, or limit+1 if it
// exceeds limit (which keeps comparing against every vmlinux name cheap).
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
