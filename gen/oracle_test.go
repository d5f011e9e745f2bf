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
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
	"github.com/mapgen/mapgen/internal/gentest"
	"github.com/mapgen/mapgen/layout"
)

// The layout oracle (gentest.Oracle) on the corpus: generated packages are
// type-checked for every GOARCH of their byte order, and every Go type is
// compared with BTF, member by member.

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
					o := &gentest.Oracle{Arch: arch.GOARCH, Pkg: lp.Types, Sizes: lp.Sizes, Limit: 100}
					for _, ti := range p.out.Types {
						o.Check(ti)
					}
					o.Report(t)
					t.Logf("GOARCH=%s: %d types, %d members checked", arch.GOARCH, o.Types, o.Members)
				})
			}
		})
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
		o := &gentest.Oracle{Arch: arch, Pkg: pkg, Sizes: sizes, Limit: 100}
		o.Check(ti)
		got := strings.Join(o.Errors(), "\n")
		want := []string{"Go size", "C member c is missing", "Go fields [Extra] hold no C member"}
		if arch == "amd64" {
			want = append(want, "member b: field B at Go offset 8, BTF offset 4", "Go inserted padding")
		}
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("GOARCH=%s: oracle did not report %q; it reported:\n%s", arch, w, got)
			}
		}
		if o.Passed != 0 {
			t.Errorf("GOARCH=%s: wrong type passed", arch)
		}
	}
}
