// Package verify checks Go types written by hand or by other generators
// (bpf2go) against the C types of an eBPF object's BTF, on every GOARCH:
// size, every field's offset and size, and the class of every value
// (signed, unsigned, float, pointer, bool), comparing flattened types leaf
// by leaf. cmd/mapgen's verify subcommand is its user interface.
//
// The work is split by concern: pairing Go and C types (pair.go),
// flattening each side (cflat.go, goflat.go), comparing the flattened
// types (compare.go) and reporting mismatches grouped across GOARCHes
// (report.go).
package verify

import (
	"errors"
	"fmt"
	"go/types"
	"slices"
	"sort"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/layout"
)

// Options say what to pair.
type Options struct {
	// Pairs maps Go type names to ctypes ("struct flow_key"); a name
	// applies in every package checked that declares it.
	Pairs map[string]string
	// Prefix is the prefix of Go names paired by name; "" chooses one
	// (see pair.go).
	Prefix string
	// Dir, if set, is the directory that file names in errors are
	// relative to (when that is shorter), as Report.WriteText's.
	Dir string
	// Packages limits the check to these import paths; nil checks every
	// package loaded.
	Packages []string
}

// ErrBadInput is wrapped by errors about the input: a ctype that names
// no C type, a --pair naming no Go type, a C type without a layout.
var ErrBadInput = errors.New("bad input")

// Pair is a Go type and the C type it was paired with.
type Pair struct {
	// GoType is "importpath.Name".
	GoType string `json:"go_type"`
	CType  string `json:"c_type"`
	// How is "--pair", "comment" or "name".
	How string `json:"how"`
}

// Verify pairs the Go types of every loaded GOARCH with C types of obj and
// compares each pair.
func Verify(obj *btfread.Object, loaded []*Loaded, opts Options) (*Report, error) {
	v := NewVerifier(obj, opts)
	for _, l := range loaded {
		if err := v.Add(l); err != nil {
			return nil, err
		}
	}
	return v.Report()
}

// Verifier compares the Go types of one GOARCH after the other with C
// types, so that a caller need not keep every GOARCH's packages in memory.
type Verifier struct {
	obj       *btfread.Object
	opts      Options
	x         *cIndex
	r         *Report
	usedPairs map[string]bool
	// cache holds flattened C types, the same for every GOARCH.
	cache map[btf.Type]cFlat
}

// NewVerifier returns a Verifier of Go types against obj's C types.
func NewVerifier(obj *btfread.Object, opts Options) *Verifier {
	return &Verifier{obj: obj, opts: opts, x: newCIndex(obj.Spec), r: newReport(),
		usedPairs: make(map[string]bool), cache: make(map[btf.Type]cFlat)}
}

// Add pairs and compares the types of one GOARCH; GOARCHes are reported
// in the order they are added.
func (v *Verifier) Add(l *Loaded) error {
	obj, opts, r := v.obj, v.opts, v.r
	for path, err := range l.Broken {
		if opts.Packages == nil || contains(opts.Packages, path) {
			return fmt.Errorf("%w: GOARCH=%s: %w", ErrBadInput, l.GOARCH, err)
		}
	}
	for _, p := range l.Packages {
		if opts.Packages != nil && !contains(opts.Packages, p.PkgPath) {
			continue
		}
		gts, refused := candidates(p.Types, p.Syntax)
		if err := v.refuseExplicit(l, refused); err != nil {
			return err
		}
		paired, err := pairTypes(v.x, gts, opts, v.usedPairs)
		if err != nil {
			return fmt.Errorf("%s: %w", obj.Path, err)
		}
		for _, gt := range gts {
			pr, ok := paired[gt.obj]
			name := p.PkgPath + "." + gt.obj.Name()
			if !ok {
				r.unpaired[name] = true
				continue
			}
			r.addPair(Pair{GoType: name, CType: layout.CType(pr.c), How: pr.how})
			cf, ok := v.cache[pr.c]
			if !ok {
				cf.items, cf.err = flattenC(pr.c)
				cf.size, _ = btf.Sizeof(pr.c)
				v.cache[pr.c] = cf
			}
			if cf.err != nil {
				return fmt.Errorf("%s: %w: %s: %s: %w", obj.Path, ErrBadInput, name, layout.CType(pr.c), cf.err)
			}
			fs, err := check(gt.obj, cf, l.Sizes)
			if err != nil {
				return fmt.Errorf("%s: GOARCH=%s: %w", name, l.GOARCH, err)
			}
			r.add(l, gt.obj, fs)
		}
	}
	return nil
}

// refuseExplicit fails on the first type of refused that --pair or a
// //mapgen:ctype line pairs: asked for, it cannot be left out unchecked.
func (v *Verifier) refuseExplicit(l *Loaded, refused []uncheckable) error {
	for _, u := range refused {
		name := u.obj.Name()
		how, spelling := "", ""
		if s, ok := v.opts.Pairs[name]; ok {
			how, spelling = "--pair", s
			v.usedPairs[name] = true
		} else if u.directive != "" {
			how, spelling = "//mapgen:ctype", u.directive
		}
		if how == "" {
			continue
		}
		return fmt.Errorf("%s: %w: %s (%s %s): verify cannot compare %s: %s is %s",
			v.position(l, u.obj), ErrBadInput, name, how, spelling, name, name, u.what)
	}
	return nil
}

// position spells where obj is declared, as Mismatch.Format spells files.
func (v *Verifier) position(l *Loaded, obj types.Object) string {
	m := Mismatch{File: l.Fset.Position(obj.Pos()).Filename}
	return fmt.Sprintf("%s:%d", m.relFile(v.opts.Dir), l.Fset.Position(obj.Pos()).Line)
}

// Report returns what the GOARCHes added so far show; a --pair that named
// no Go type on any of them is bad input.
func (v *Verifier) Report() (*Report, error) {
	r := v.r
	for name := range v.opts.Pairs {
		if !v.usedPairs[name] {
			return nil, fmt.Errorf("--pair %s: %w: no Go type %s in the packages checked", name, ErrBadInput, name)
		}
	}
	for name := range r.unpaired {
		if r.paired[name] {
			delete(r.unpaired, name)
		}
	}
	r.finish()
	return r, nil
}

// cFlat is a flattened C type, shared by every GOARCH.
type cFlat struct {
	items []cItem
	size  int
	err   error
}

type pairing struct {
	c   btf.Type
	how string
}

// pairTypes pairs the Go types of one package (pair.go has the rules).
func pairTypes(x *cIndex, gts []goType, opts Options, usedPairs map[string]bool) (map[*types.TypeName]pairing, error) {
	out := make(map[*types.TypeName]pairing)
	var rest []goType
	for _, gt := range gts {
		name := gt.obj.Name()
		how, spelling, generated := "", "", false
		if s, ok := opts.Pairs[name]; ok {
			how, spelling = "--pair", s
			usedPairs[name] = true
		} else if s, gen := docCType(gt.directive, gt.doc); s != "" {
			how, spelling, generated = "comment", s, gen
		}
		if how == "" {
			rest = append(rest, gt)
			continue
		}
		t, err := x.lookup(spelling)
		switch {
		case err != nil && generated:
			continue // mapgen's output for another object: unpaired
		case err != nil:
			return nil, fmt.Errorf("%w: %s (%s): %w", ErrBadInput, name, how, err)
		}
		out[gt.obj] = pairing{t, how}
	}
	// A C type a doc comment claims pairs with no other type by name:
	// mapgen names a C struct maps Maps_2 when its API has a Maps.
	claimed := make(map[btf.Type]bool)
	for _, p := range out {
		if p.how == "comment" {
			claimed[p.c] = true
		}
	}
	// Types that cannot be C data (a Go Config with strings beside a C
	// struct config) pair by name with nothing.
	rest = slices.DeleteFunc(rest, func(gt goType) bool { return !cData(gt.obj.Type(), 0) })
	var unpaired []string
	for _, gt := range rest {
		if t, _ := x.byName(nameKey(gt.obj.Name())); t != nil && !claimed[t] {
			out[gt.obj] = pairing{t, "name"}
			continue
		}
		unpaired = append(unpaired, gt.obj.Name())
	}
	prefix := opts.Prefix
	if prefix == "" {
		prefix = choosePrefix(x, unpaired)
	}
	if prefix == "" {
		return out, nil
	}
	for _, gt := range rest {
		name := gt.obj.Name()
		if _, done := out[gt.obj]; done || len(name) <= len(prefix) || name[:len(prefix)] != prefix {
			continue
		}
		if t, _ := x.byName(nameKey(name[len(prefix):])); t != nil && !claimed[t] {
			out[gt.obj] = pairing{t, "name"}
		}
	}
	return out, nil
}

// cData reports whether t can hold C data: numbers, bools, pointers and
// structs and arrays of them; not strings, slices, maps, channels,
// functions or interfaces.
func cData(t types.Type, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString == 0 && u.Kind() != types.UntypedNil
	case *types.Pointer:
		return true
	case *types.Array:
		return cData(u.Elem(), depth+1)
	case *types.Struct:
		for i := range u.NumFields() {
			if !cData(u.Field(i).Type(), depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// check compares one Go type with its C type on one GOARCH.
func check(obj *types.TypeName, cf cFlat, sizes types.Sizes) ([]finding, error) {
	leaves, zeroTail, err := flattenGo(obj.Type(), sizes)
	if err != nil {
		return nil, err
	}
	fs := compare(cf.items, leaves, int64(cf.size))
	if goSize := sizes.Sizeof(obj.Type()); goSize != int64(cf.size) {
		f := finding{what: "size differs", goSize: goSize, cSize: int64(cf.size)}
		if zeroTail != nil {
			f.field, f.path = zeroTail, zeroTail.Name()
			f.what = "size differs: Go pads the struct after its final zero-size field"
		}
		fs = append([]finding{f}, fs...)
	}
	return fs, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
