package gen_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
	"github.com/mapgen/mapgen/internal/gentest"
	"github.com/mapgen/mapgen/layout"
)

// The layout oracle: generated packages are type-checked for every GOARCH
// of their byte order, and every Go type is compared with BTF, member by
// member. The C side is computed here from BTF alone (not through package
// layout's plan), so a planning bug cannot hide itself.

// oraclePkg is one generated file in a package of the test module.
type oraclePkg struct {
	dir   string // package directory in the module, also the test name
	order binary.ByteOrder
	out   *gen.Output
}

func (p *oraclePkg) importPath() string { return gentest.ModulePath + "/" + p.dir }

// generateCorpus generates every corpus object (as TestGolden does) into a
// package of its own in mod.
func generateCorpus(t *testing.T, mod string) []*oraclePkg {
	t.Helper()
	var pkgs []*oraclePkg
	for path, opts := range goldenObjects(t) {
		opts.Package = "p"
		name := strings.TrimSuffix(filepath.Base(path), ".o")
		obj, err := btfread.Open(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out, err := gen.GenerateFile(obj, opts)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		checkFormatted(t, name, out.Source)
		// The generated file may //go:embed the object it came from.
		objBytes, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		gentest.AddPackage(t, mod, name, map[string][]byte{
			name + ".go":        out.Source,
			filepath.Base(path): objBytes,
		})
		pkgs = append(pkgs, &oraclePkg{dir: name, order: obj.ByteOrder, out: out})
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].dir < pkgs[j].dir })
	return pkgs
}

// checkFormatted fails if src is not gofmt'ed.
func checkFormatted(t *testing.T, name string, src []byte) {
	t.Helper()
	formatted, err := format.Source(src)
	if err != nil {
		t.Errorf("%s: generated source does not parse: %v", name, err)
		return
	}
	if !bytes.Equal(formatted, src) {
		t.Errorf("%s: generated source is not gofmt'ed:\n%s", name, firstDiff(string(formatted), string(src)))
	}
}

// packageErrors lists the type errors of a package, at most limit of them.
func packageErrors(p *gentest.Package, limit int) []string {
	var errs []string
	for _, e := range p.Errors {
		if len(errs) == limit {
			errs = append(errs, fmt.Sprintf("... and %d more", len(p.Errors)-limit))
			break
		}
		errs = append(errs, e.Error())
	}
	return errs
}

// TestOracleCorpus type-checks every generated corpus package for every
// GOARCH of its byte order (go/types with that GOARCH's sizes, so the
// compile-time layout proofs are evaluated as the compiler would) and runs
// the layout oracle on every type. (go vet of the same files, for a little-
// and a big-endian target, is in TestGoldenVetStaticcheck: TestGolden
// proves the golden files are this output.)
func TestOracleCorpus(t *testing.T) {
	mod := gentest.Module(t)
	pkgs := generateCorpus(t, mod)
	if t.Failed() {
		t.FailNow()
	}

	for _, arch := range layout.Archs {
		t.Run(arch.GOARCH, func(t *testing.T) {
			t.Parallel()
			var mine []*oraclePkg
			var patterns []string
			for _, p := range pkgs {
				if p.order == arch.ByteOrder {
					mine = append(mine, p)
					patterns = append(patterns, "./"+p.dir)
				}
			}
			start := time.Now()
			loaded, err := gentest.TypeCheck(mod, arch.GOARCH, patterns...)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("type-checked %d packages in %v", len(patterns), time.Since(start).Round(time.Millisecond))
			for _, p := range mine {
				t.Run(p.dir, func(t *testing.T) {
					lp := loaded[p.importPath()]
					if lp == nil {
						t.Fatalf("package %s not loaded", p.importPath())
					}
					if errs := packageErrors(lp, 20); len(errs) > 0 {
						t.Fatalf("GOARCH=%s: generated package does not type-check:\n%s", arch.GOARCH, strings.Join(errs, "\n"))
					}
					o := &oracle{arch: arch.GOARCH, pkg: lp.Types, sizes: lp.Sizes, limit: 100}
					for _, ti := range p.out.Types {
						o.check(ti)
					}
					o.report(t)
					t.Logf("GOARCH=%s: %d types, %d members checked", arch.GOARCH, o.types, o.members)
				})
			}
		})
	}
}

// cMember is a named C member with its place in the outermost composite,
// computed from BTF alone.
type cMember struct {
	name    string
	typ     btf.Type
	bitOff  uint32
	bitSize uint32 // 0 unless a bitfield
	size    uint32 // btf.Sizeof(typ)
}

// byteRange is [start, end) of the bytes the member occupies.
func (m cMember) byteRange() (uint32, uint32) {
	if m.bitSize > 0 {
		return m.bitOff / 8, (m.bitOff + m.bitSize + 7) / 8
	}
	return m.bitOff / 8, m.bitOff/8 + m.size
}

// isPlainBitfield: a "bitfield" as wide as its type at a byte offset is an
// ordinary member.
func (m cMember) isPlainBitfield() bool {
	return m.bitSize == 8*m.size && m.bitOff%8 == 0
}

// cMembers walks members, descending into anonymous structs and unions,
// and appends every named member with its offset from the outermost type.
func cMembers(members []btf.Member, base uint32, out []cMember) ([]cMember, error) {
	for _, m := range members {
		off := base + uint32(m.Offset)
		if m.Name == "" {
			switch u := btf.UnderlyingType(m.Type).(type) {
			case *btf.Struct:
				var err error
				if out, err = cMembers(u.Members, off, out); err != nil {
					return nil, err
				}
			case *btf.Union:
				var err error
				if out, err = cMembers(u.Members, off, out); err != nil {
					return nil, err
				}
			}
			continue // unnamed bitfield: padding
		}
		size, err := btf.Sizeof(m.Type)
		if err != nil {
			return nil, fmt.Errorf("member %s: %w", m.Name, err)
		}
		out = append(out, cMember{name: m.Name, typ: m.Type, bitOff: off, bitSize: uint32(m.BitfieldSize), size: uint32(size)})
	}
	return out, nil
}

// oracle checks generated Go types of one package on one GOARCH.
type oracle struct {
	arch  string
	pkg   *types.Package
	sizes types.Sizes
	limit int // errors reported in detail

	mu       sync.Mutex
	errs     []string
	nerrs    int
	types    int // types checked
	passed   int // types without error
	members  int
	failedTy map[string]bool
}

func (o *oracle) errorf(typ, format string, args ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.nerrs++
	if o.failedTy == nil {
		o.failedTy = make(map[string]bool)
	}
	o.failedTy[typ] = true
	if len(o.errs) < o.limit {
		o.errs = append(o.errs, fmt.Sprintf("GOARCH=%s: type %s: %s", o.arch, typ, fmt.Sprintf(format, args...)))
	}
}

func (o *oracle) report(t *testing.T) {
	t.Helper()
	for _, e := range o.errs {
		t.Error(e)
	}
	if o.nerrs > len(o.errs) {
		t.Errorf("GOARCH=%s: %d more errors in %d types", o.arch, o.nerrs-len(o.errs), len(o.failedTy))
	}
}

// check compares the Go type ti.Name with its C type ti.C.
func (o *oracle) check(ti *gen.TypeInfo) {
	o.types++
	before := o.nerrs
	defer func() {
		if o.nerrs == before {
			o.passed++
		}
	}()
	sizes := o.sizes
	obj, ok := o.pkg.Scope().Lookup(ti.Name).(*types.TypeName)
	if !ok {
		o.errorf(ti.Name, "not declared as a type in the generated package")
		return
	}
	named := obj.Type()
	switch c := ti.C.(type) {
	case *btf.Enum:
		basic, ok := named.Underlying().(*types.Basic)
		if !ok || basic.Info()&types.IsInteger == 0 {
			o.errorf(ti.Name, "enum is %s, not an integer type", named.Underlying())
			return
		}
		if got := sizes.Sizeof(named); got != int64(c.Size) {
			o.errorf(ti.Name, "enum size %d, BTF %d", got, c.Size)
		}
		if signed := basic.Info()&types.IsUnsigned == 0; signed != c.Signed {
			o.errorf(ti.Name, "enum signed=%v, BTF signed=%v", signed, c.Signed)
		}
		return
	case *btf.Struct:
		o.checkComposite(ti, named, c.Size, c.Members)
	case *btf.Union:
		o.checkComposite(ti, named, c.Size, c.Members)
	default:
		o.errorf(ti.Name, "TypeInfo.C is %T", ti.C)
	}
}

func (o *oracle) checkComposite(ti *gen.TypeInfo, named types.Type, size uint32, members []btf.Member) {
	sizes := o.sizes
	st, ok := named.Underlying().(*types.Struct)
	if !ok {
		o.errorf(ti.Name, "is %s, not a struct", named.Underlying())
		return
	}
	if got := sizes.Sizeof(named); got != int64(size) {
		o.errorf(ti.Name, "Go size %d, BTF size %d", got, size)
	}

	// The Go fields: in order, without any padding Go inserts itself.
	fields := make([]*types.Var, st.NumFields())
	for i := range fields {
		fields[i] = st.Field(i)
	}
	offsets := sizes.Offsetsof(fields)
	type goField struct {
		off, size int64
		typ       types.Type
	}
	byName := make(map[string]goField)
	var cursor int64
	for i, f := range fields {
		fs := sizes.Sizeof(f.Type())
		if offsets[i] != cursor {
			o.errorf(ti.Name, "field %s at offset %d, previous field ends at %d (Go inserted padding)", f.Name(), offsets[i], cursor)
		}
		cursor = offsets[i] + fs
		if f.Name() != "_" {
			byName[f.Name()] = goField{offsets[i], fs, f.Type()}
		}
	}
	if cursor != int64(size) {
		o.errorf(ti.Name, "fields end at %d, BTF size %d (Go tail padding or missing bytes)", cursor, size)
	}

	cms, err := cMembers(members, 0, nil)
	if err != nil {
		o.errorf(ti.Name, "walking BTF: %v", err)
		return
	}
	mset := types.NewMethodSet(types.NewPointer(named))
	method := func(name string) *types.Signature {
		sel := mset.Lookup(o.pkg, name)
		if sel == nil {
			return nil
		}
		return sel.Type().(*types.Signature)
	}
	used := make(map[string]bool)
	seen := make(map[string]bool)
	for _, cm := range cms {
		o.members++
		seen[cm.name] = true
		mi, ok := ti.Members[cm.name]
		if !ok {
			o.errorf(ti.Name, "C member %s is missing from TypeInfo.Members (dropped)", cm.name)
			continue
		}
		start, end := cm.byteRange()
		if mi.Field != "" {
			used[mi.Field] = true
		}
		switch mi.Access {
		case layout.AccessField:
			if cm.bitSize > 0 && !cm.isPlainBitfield() {
				o.errorf(ti.Name, "member %s: a %d-bit bitfield at bit %d is a plain field %s", cm.name, cm.bitSize, cm.bitOff, mi.Field)
			}
			if cm.bitOff%8 != 0 {
				o.errorf(ti.Name, "member %s: plain field at bit offset %d", cm.name, cm.bitOff)
			}
			gf, ok := byName[mi.Field]
			if !ok {
				o.errorf(ti.Name, "member %s: Go field %q does not exist", cm.name, mi.Field)
				continue
			}
			if gf.off != int64(start) {
				o.errorf(ti.Name, "member %s: field %s at Go offset %d, BTF offset %d", cm.name, mi.Field, gf.off, start)
			}
			if gf.size != int64(cm.size) {
				o.errorf(ti.Name, "member %s: field %s has Go size %d, BTF size %d", cm.name, mi.Field, gf.size, cm.size)
			}
			if mi.Accessor != "" && method(mi.Accessor) == nil {
				o.errorf(ti.Name, "member %s: accessor %s does not exist", cm.name, mi.Accessor)
			}
		case layout.AccessBits, layout.AccessCopy:
			if mi.Access == layout.AccessCopy && cm.bitSize > 0 && !cm.isPlainBitfield() {
				o.errorf(ti.Name, "member %s: a %d-bit bitfield has a copy accessor", cm.name, cm.bitSize)
			}
			gf, ok := byName[mi.Field]
			if !ok {
				o.errorf(ti.Name, "member %s: storage field %q does not exist", cm.name, mi.Field)
			} else if gf.off > int64(start) || gf.off+gf.size < int64(end) {
				o.errorf(ti.Name, "member %s: storage %s covers [%d, %d), member needs [%d, %d)", cm.name, mi.Field, gf.off, gf.off+gf.size, start, end)
			}
			sig := method(mi.Accessor)
			if sig == nil {
				o.errorf(ti.Name, "member %s: accessor %q does not exist on *%s", cm.name, mi.Accessor, ti.Name)
				continue
			}
			if sig.Params().Len() != 0 || sig.Results().Len() != 1 {
				o.errorf(ti.Name, "member %s: accessor %s has signature %s", cm.name, mi.Accessor, sig)
				continue
			}
			if got := sizes.Sizeof(sig.Results().At(0).Type()); got != int64(cm.size) {
				o.errorf(ti.Name, "member %s: accessor %s returns %s (%d bytes), BTF size %d", cm.name, mi.Accessor, sig.Results().At(0).Type(), got, cm.size)
			}
		case layout.AccessZero:
			if end != start {
				o.errorf(ti.Name, "member %s: %d bytes, but reached as zero-size", cm.name, end-start)
			}
			sig := method(mi.Accessor)
			if sig == nil {
				o.errorf(ti.Name, "member %s: accessor %q does not exist on *%s", cm.name, mi.Accessor, ti.Name)
				continue
			}
			// A flexible array's accessor returns a slice of its elements.
			if arr, ok := btf.UnderlyingType(cm.typ).(*btf.Array); ok && sig.Results().Len() == 1 {
				if sl, ok := sig.Results().At(0).Type().(*types.Slice); ok {
					want, _ := btf.Sizeof(arr.Type)
					if got := sizes.Sizeof(sl.Elem()); got != int64(want) {
						o.errorf(ti.Name, "member %s: accessor %s returns elements of %d bytes, BTF %d", cm.name, mi.Accessor, got, want)
					}
				}
			}
		default:
			o.errorf(ti.Name, "member %s: unknown access %v", cm.name, mi.Access)
		}
	}
	for name := range ti.Members {
		if !seen[name] {
			o.errorf(ti.Name, "TypeInfo.Members has %q, which is no named C member", name)
		}
	}
	var unaccounted []string
	for name := range byName {
		if !used[name] {
			unaccounted = append(unaccounted, name)
		}
	}
	if len(unaccounted) > 0 {
		slices.Sort(unaccounted)
		o.errorf(ti.Name, "Go fields %v hold no C member", unaccounted)
	}
}

// TestOracleDetects feeds the oracle hand-written wrong Go, to show it is
// not vacuous: a packed C struct {u32 a; u64 b;} (12 bytes, b at 4) as a
// plain Go struct, plus a dropped member and a stray field.
func TestOracleDetects(t *testing.T) {
	u32 := &btf.Int{Name: "u32", Size: 4}
	u64 := &btf.Int{Name: "u64", Size: 8}
	cs := &btf.Struct{Name: "packed", Size: 12, Members: []btf.Member{
		{Name: "a", Type: u32, Offset: 0},
		{Name: "b", Type: u64, Offset: 32},
		{Name: "c", Type: &btf.Array{Type: u32, Nelems: 0}, Offset: 96},
	}}
	src := `package p
type Packed struct { A uint32; B uint64; Extra uint8 }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	ti := &gen.TypeInfo{Name: "Packed", C: cs, Members: map[string]gen.MemberInfo{
		"a": {Field: "A", Access: layout.AccessField},
		"b": {Field: "B", Access: layout.AccessField},
		// c dropped
	}}
	for _, arch := range []string{"amd64", "386"} {
		sizes := types.SizesFor("gc", arch)
		conf := types.Config{Sizes: sizes}
		pkg, err := conf.Check("p", fset, []*ast.File{f}, nil)
		if err != nil {
			t.Fatal(err)
		}
		o := &oracle{arch: arch, pkg: pkg, sizes: sizes, limit: 100}
		o.check(ti)
		got := strings.Join(o.errs, "\n")
		want := []string{"Go size", "C member c is missing", "Go fields [Extra] hold no C member"}
		if arch == "amd64" {
			want = append(want, "member b: field B at Go offset 8, BTF offset 4", "Go inserted padding")
		}
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("GOARCH=%s: oracle did not report %q; it reported:\n%s", arch, w, got)
			}
		}
		if o.passed != 0 {
			t.Errorf("GOARCH=%s: wrong type passed", arch)
		}
	}
}
