package gen_test

import (
	"encoding/binary"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
	"github.com/mapgen/mapgen/internal/gentest"
	"github.com/mapgen/mapgen/layout"
)

// Structs nested by value, generated as BTF: the layout proof of each type
// must cost the compiler time linear in the size of the type. Asked about
// the type itself, go/types takes time exponential in the depth of nesting
// (go.dev/issue/65540): a chain of 24 structs each ending with the next
// took 27 s to build, 16 levels of a struct made of two of the previous
// one 207 s, and 100 levels did not build in 10 minutes.

var (
	u32 = &btf.Int{Name: "unsigned int", Size: 4, Encoding: btf.Unsigned}
	u64 = &btf.Int{Name: "unsigned long long", Size: 8, Encoding: btf.Unsigned}
)

// nested returns the BTF of struct s_0 (one __u64) to s_<depth>, each made
// of members of the one before by next, which returns the members of s_i
// and its size given s_{i-1} and its size.
func nested(depth int, next func(prev btf.Type, size uint32) ([]btf.Member, uint32)) []btf.Type {
	var prev btf.Type = &btf.Struct{Name: "s_0", Size: 8, Members: []btf.Member{{Name: "a", Type: u64}}}
	size := uint32(8)
	types := []btf.Type{prev}
	for i := 1; i <= depth; i++ {
		members, n := next(prev, size)
		s := &btf.Struct{Name: fmt.Sprintf("s_%d", i), Size: n, Members: members}
		types = append(types, s)
		prev, size = s, n
	}
	return types
}

// nestedObject opens the BTF of nested(depth, next) as a raw BTF blob.
func nestedObject(tb testing.TB, depth int, next func(btf.Type, uint32) ([]btf.Member, uint32)) *btfread.Object {
	tb.Helper()
	b, err := btf.NewBuilder(nested(depth, next), nil)
	if err != nil {
		tb.Fatal(err)
	}
	raw, err := b.Marshal(nil, &btf.MarshalOptions{Order: binary.LittleEndian})
	if err != nil {
		tb.Fatal(err)
	}
	obj, err := btfread.OpenBytes("nested.btf", raw)
	if err != nil {
		tb.Fatal(err)
	}
	return obj
}

// nestings are the shapes that blew up, and a wide one.
var nestings = []struct {
	name  string
	depth int
	next  func(prev btf.Type, size uint32) ([]btf.Member, uint32)
}{
	// struct s_i { __u32 c; struct s_{i-1} x; }: on 32-bit targets the
	// hole after c is explicit padding.
	{"chain", 100, func(prev btf.Type, size uint32) ([]btf.Member, uint32) {
		return []btf.Member{{Name: "c", Type: u32}, {Name: "x", Type: prev, Offset: 64}}, 8 + size
	}},
	// struct s_i { struct s_{i-1} x, y; }: 512 KiB at depth 16.
	{"doubling", 16, func(prev btf.Type, size uint32) ([]btf.Member, uint32) {
		return []btf.Member{{Name: "x", Type: prev}, {Name: "y", Type: prev, Offset: btf.Bits(8 * size)}}, 2 * size
	}},
	// struct s_i { __u32 c; struct s_{i-1} x[3]; }
	{"arrays", 10, func(prev btf.Type, size uint32) ([]btf.Member, uint32) {
		arr := &btf.Array{Index: u32, Type: prev, Nelems: 3}
		return []btf.Member{{Name: "c", Type: u32}, {Name: "x", Type: arr, Offset: 64}}, 8 + 3*size
	}},
	// struct s_i { struct s_{i-1} a, b, c, d, e, f, g, h; }
	{"wide", 5, func(prev btf.Type, size uint32) ([]btf.Member, uint32) {
		var ms []btf.Member
		for i, n := range "abcdefgh" {
			ms = append(ms, btf.Member{Name: string(n), Type: prev, Offset: btf.Bits(8 * size * uint32(i))})
		}
		return ms, 8 * size
	}},
}

// generateNested generates each nesting into a package of its own in mod
// and returns the package patterns.
func generateNested(t *testing.T, mod string) []string {
	t.Helper()
	var patterns []string
	for _, n := range nestings {
		obj := nestedObject(t, n.depth, n.next)
		out, err := gen.GenerateFile(obj, gen.Options{Package: n.name, AllTypes: true})
		if err != nil {
			t.Fatalf("%s: %v", n.name, err)
		}
		if got, want := len(out.Types), n.depth+1; got != want {
			t.Fatalf("%s: %d types generated, want %d", n.name, got, want)
		}
		checkFormatted(t, n.name, out.Source)
		gentest.AddPackage(t, mod, n.name, map[string][]byte{n.name + ".go": out.Source})
		patterns = append(patterns, "./"+n.name)
	}
	return patterns
}

// TestDeepNesting type-checks the generated nestings for every
// little-endian GOARCH (which evaluates their layout proofs) and builds
// them with the compiler for amd64 and 386.
func TestDeepNesting(t *testing.T) {
	mod := gentest.Module(t)
	patterns := generateNested(t, mod)
	for _, arch := range layout.Archs {
		if arch.ByteOrder != binary.LittleEndian {
			continue
		}
		pkgs, err := gentest.TypeCheck(mod, arch.GOARCH, patterns...)
		if err != nil {
			t.Fatal(err)
		}
		for path, p := range pkgs {
			if errs := packageErrors(p, 10); len(errs) > 0 {
				t.Errorf("GOARCH=%s: %s does not type-check:\n%s", arch.GOARCH, path, strings.Join(errs, "\n"))
			}
		}
	}
	if testing.Short() {
		return
	}
	for _, arch := range []string{"amd64", "386"} {
		env := []string{"GOOS=linux", "GOARCH=" + arch, "CGO_ENABLED=0"}
		if out, err := gentest.Go(t, mod, env, append([]string{"build"}, patterns...)...); err != nil {
			t.Errorf("GOARCH=%s go build: %v\n%s", arch, err, out)
		}
	}
}

// TestDeepNestingProofDetects: the proofs of deeply nested types still fail
// where the layout differs. The chain's generated file is edited as a
// mapgen bug could: without the explicit padding after c (Go puts x at 8
// on 64-bit targets by itself, at 4 on 32-bit ones), or with a member of
// another type. Each edit must make the file fail to type-check, and the
// padding edit exactly on 32-bit targets, in the proofs of the deep types
// too.
func TestDeepNestingProofDetects(t *testing.T) {
	chain := nestings[0]
	obj := nestedObject(t, chain.depth, chain.next)
	out, err := gen.GenerateFile(obj, gen.Options{Package: "chain", AllTypes: true})
	if err != nil {
		t.Fatal(err)
	}
	src := string(out.Source)
	top := fmt.Sprintf("S%d", chain.depth)
	check := "\t_ = [0]struct{}([" + top + "_changed_in_C_rerun_mapgen(unsafe.Offsetof(c.X)) - 8]struct{}{})\n"
	for _, w := range []string{"\t\t_ [4]byte\n", check, "}(" + top + "{})\n", "\tX S99\n"} {
		if !strings.Contains(src, w) {
			t.Fatalf("generated chain lacks %q; the edits below test nothing", w)
		}
	}
	mod := gentest.Module(t)
	edits := []struct {
		name string
		src  string
		fail map[string][]string // GOARCH -> substrings of one error
		pass []string            // GOARCHes that must still type-check
	}{{
		name: "no padding",
		src:  regexp.MustCompile(`(?m)^\s*_ \[4\]byte\n`).ReplaceAllString(src, ""),
		fail: map[string][]string{
			"386": {top + "_changed_in_C_rerun_mapgen(unsafe.Offsetof(c.X)) - 8", "overflows"},
			"arm": {top + "_changed_in_C_rerun_mapgen(unsafe.Offsetof(c.X)) - 8", "overflows"},
		},
		pass: []string{"amd64", "arm64"},
	}, {
		name: "member of another type",
		src:  strings.Replace(src, "\tX S99\n", "\tX S98\n", 1),
		fail: map[string][]string{
			"amd64": {"cannot convert", top},
			"386":   {"cannot convert", top},
		},
	}}
	for _, e := range edits {
		if e.src == src {
			t.Fatalf("%s: the edit changed nothing", e.name)
		}
		dir := strings.ReplaceAll(e.name, " ", "_")
		gentest.AddPackage(t, mod, dir, map[string][]byte{"chain.go": []byte(e.src)})
		for arch, wants := range e.fail {
			pkgs, err := gentest.TypeCheck(mod, arch, "./"+dir)
			if err != nil {
				t.Fatal(err)
			}
			var errs []string
			for _, p := range pkgs {
				for _, err := range p.Errors {
					errs = append(errs, err.Error())
				}
			}
			found := false
			for _, msg := range errs {
				ok := true
				for _, w := range wants {
					ok = ok && strings.Contains(msg, w)
				}
				found = found || ok
			}
			if !found {
				t.Errorf("%s: GOARCH=%s: no error with %q; errors:\n%s", e.name, arch, wants, strings.Join(errs, "\n"))
			}
		}
		for _, arch := range e.pass {
			pkgs, err := gentest.TypeCheck(mod, arch, "./"+dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range pkgs {
				if len(p.Errors) > 0 {
					t.Errorf("%s: GOARCH=%s: the edit is right here, yet: %v", e.name, arch, p.Errors[0])
				}
			}
		}
	}
	if testing.Short() {
		return
	}
	// The compiler proper agrees.
	env := []string{"GOOS=linux", "GOARCH=386", "CGO_ENABLED=0"}
	if out, err := gentest.Go(t, mod, env, "build", "./no_padding"); err == nil || !strings.Contains(out, "_changed_in_C_rerun_mapgen(unsafe.Offsetof(v.X)) - 8") || !strings.Contains(out, "overflows") {
		t.Errorf("GOARCH=386 go build of the chain without padding: %v\n%s", err, truncate(out, 2000))
	}
}

// BenchmarkTypeCheckNested type-checks the generated doubling nesting at
// growing depths: the time should about double with each level, as the
// size of the type does.
func BenchmarkTypeCheckNested(b *testing.B) {
	doubling := nestings[1]
	for _, depth := range []int{12, 14, 16, 18} {
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			obj := nestedObject(b, depth, doubling.next)
			out, err := gen.GenerateFile(obj, gen.Options{Package: "doubling", AllTypes: true})
			if err != nil {
				b.Fatal(err)
			}
			mod := gentest.Module(b)
			gentest.AddPackage(b, mod, "doubling", map[string][]byte{"doubling.go": out.Source})
			for b.Loop() {
				pkgs, err := gentest.TypeCheck(mod, "amd64", "./doubling")
				if err != nil {
					b.Fatal(err)
				}
				for _, p := range pkgs {
					if len(p.Errors) > 0 {
						b.Fatal(p.Errors[0])
					}
				}
			}
		})
	}
}
