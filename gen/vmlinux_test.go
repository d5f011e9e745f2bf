package gen_test

import (
	"fmt"
	"os"
	"regexp"
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

const vmlinuxBTF = "/sys/kernel/btf/vmlinux"

// vmlinuxArchs are the targets the vmlinux package is type-checked for:
// both 64-bit and 32-bit (4-byte aligned 64-bit integers) layouts.
var vmlinuxArchs = []string{"amd64", "arm64", "386", "arm"}

// TestVmlinux generates every named struct, union and enum of the running
// kernel's BTF, type-checks the result for 64- and 32-bit targets, runs the
// layout oracle on every type, and builds it with the compiler.
func TestVmlinux(t *testing.T) {
	if _, err := os.Stat(vmlinuxBTF); err != nil {
		t.Skipf("no kernel BTF: %v", err)
	}
	if testing.Short() {
		t.Skip("generates and type-checks all of vmlinux")
	}
	start := time.Now()
	obj, err := btfread.Open(vmlinuxBTF)
	if err != nil {
		t.Fatal(err)
	}
	out, err := gen.GenerateFile(obj, gen.Options{Package: "vmlinux", AllTypes: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %d types, %d bytes of Go in %v", len(out.Types), len(out.Source), time.Since(start).Round(time.Millisecond))
	checkFormatted(t, "vmlinux", out.Source)

	// Every named struct and union of the BTF has a Go type.
	infos := make(map[btf.Type]*gen.TypeInfo, len(out.Types))
	for _, ti := range out.Types {
		infos[ti.C] = ti
	}
	var named, missing, accessors int
	for typ, err := range obj.Spec.All() {
		if err != nil {
			t.Fatal(err)
		}
		switch typ.(type) {
		case *btf.Struct, *btf.Union:
		default:
			continue
		}
		if typ.TypeName() == "" {
			continue
		}
		named++
		ti := infos[typ]
		if ti == nil {
			if missing++; missing <= 20 {
				t.Errorf("%s %s: no generated type", kindOf(typ), typ.TypeName())
			}
			continue
		}
		for _, mi := range ti.Members {
			if mi.Access != layout.AccessField {
				accessors++
				break
			}
		}
	}
	if missing > 20 {
		t.Errorf("%d more named structs and unions without a generated type", missing-20)
	}
	checkVmlinuxNames(t, obj, out)

	mod := gentest.Module(t)
	gentest.AddPackage(t, mod, "vmlinux", map[string][]byte{"vmlinux.go": out.Source})

	// Build with the compiler proper for amd64 and 386 (it catches what
	// the type checker does not) while the package is type-checked (with
	// go/types, which evaluates the layout proofs too) and the oracle run
	// for every target in turn.
	type result struct {
		arch   string
		o      *gentest.Oracle
		errs   []string
		err    error
		loaded time.Duration
	}
	results := make([]result, len(vmlinuxArchs))
	type build struct {
		arch string
		out  string
		err  error
		took time.Duration
	}
	builds := []build{{arch: "amd64"}, {arch: "386"}}
	var wg sync.WaitGroup
	start = time.Now()
	for i := range builds {
		b := &builds[i]
		wg.Go(func() {
			t0 := time.Now()
			env := []string{"GOOS=linux", "GOARCH=" + b.arch, "CGO_ENABLED=0"}
			b.out, b.err = gentest.Go(t, mod, env, "build", "./vmlinux")
			b.took = time.Since(t0)
		})
	}
	for i, arch := range vmlinuxArchs {
		r := &results[i]
		r.arch = arch
		t0 := time.Now()
		pkgs, err := gentest.TypeCheck(mod, arch, "./vmlinux")
		r.loaded = time.Since(t0)
		if err != nil {
			r.err = err
			continue
		}
		p := pkgs[gentest.ModulePath+"/vmlinux"]
		if p == nil {
			r.errs = []string{"package not loaded"}
			continue
		}
		if r.errs = packageErrors(p, 20); len(r.errs) > 0 {
			continue
		}
		r.o = &gentest.Oracle{Arch: arch, Pkg: p.Types, Sizes: p.Sizes, Limit: 50}
		for _, ti := range out.Types {
			r.o.Check(ti)
		}
	}
	wg.Wait()
	t.Logf("type-checked for %s and built for amd64, 386 in %v", strings.Join(vmlinuxArchs, ", "), time.Since(start).Round(time.Millisecond))

	// Composites that pass the oracle on every target.
	allPass := named - missing
	for _, r := range results {
		t.Run(r.arch, func(t *testing.T) {
			t.Logf("type-checked in %v", r.loaded.Round(time.Millisecond))
			if r.err != nil {
				t.Fatal(r.err)
			}
			if len(r.errs) > 0 {
				t.Fatalf("GOARCH=%s: generated vmlinux package does not type-check:\n%s", r.arch, strings.Join(r.errs, "\n"))
			}
			r.o.Report(t)
			t.Logf("%d types checked, %d pass, %d members", r.o.Types, r.o.Passed, r.o.Members)
		})
		if r.o == nil {
			allPass = 0
			continue
		}
		failed := 0
		for _, ti := range out.Types {
			if r.o.Failed(ti.Name) {
				if _, ok := ti.C.(*btf.Enum); !ok && ti.C.TypeName() != "" {
					failed++
				}
			}
		}
		allPass = min(allPass, named-missing-failed)
	}
	t.Logf("vmlinux: %d named structs and unions generated (%d missing), %d of them need accessors (bitfields, packed or union members, flexible arrays); layout equal to BTF on %s: %d",
		named-missing, missing, accessors, strings.Join(vmlinuxArchs, ", "), allPass)

	for _, b := range builds {
		t.Run("build/"+b.arch, func(t *testing.T) {
			if b.err != nil {
				t.Fatalf("GOARCH=%s go build: %v\n%s", b.arch, b.err, truncate(b.out, 4000))
			}
			t.Logf("go build in %v", b.took.Round(time.Millisecond))
		})
	}
}

func kindOf(t btf.Type) string {
	if _, ok := t.(*btf.Union); ok {
		return "union"
	}
	return "struct"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "\n..."
}

// checkVmlinuxNames: every typedef of a struct or union has a Go name (the
// anonymous type it names, or an alias), and structs and unions that share
// a C name each say their BTF type ID in their doc comment.
func checkVmlinuxNames(t *testing.T, obj *btfread.Object, out *gen.Output) {
	t.Helper()
	// Doc comments wrap: read each as one line.
	src := strings.ReplaceAll(string(out.Source), "\n// ", " ")
	declared := make(map[string]bool)
	for _, m := range regexp.MustCompile(`(?m)^type (\w+) `).FindAllStringSubmatch(src, -1) {
		declared[m[1]] = true
	}
	ids := make(map[string]bool)
	for _, m := range regexp.MustCompile(`This one is BTF type ID (\d+),`).FindAllStringSubmatch(src, -1) {
		ids[m[1]] = true
	}
	var typedefs, unnamed int
	sameName := make(map[string][]btf.Type)
	for typ, err := range obj.Spec.All() {
		if err != nil {
			t.Fatal(err)
		}
		switch typ := typ.(type) {
		case *btf.Typedef:
			switch layout.Underlying(typ).(type) {
			case *btf.Struct, *btf.Union:
			default:
				continue
			}
			typedefs++
			if goName, ok := out.Typedefs[typ.Name]; !ok || !declared[goName] {
				if unnamed++; unnamed <= 10 {
					t.Errorf("typedef %s of a %s has no Go name", typ.Name, kindOf(layout.Underlying(typ)))
				}
			}
		case *btf.Struct, *btf.Union:
			if typ.TypeName() != "" {
				key := kindOf(typ) + " " + typ.TypeName()
				sameName[key] = append(sameName[key], typ)
			}
		}
	}
	var dupes int
	for key, types := range sameName {
		if len(types) < 2 {
			continue
		}
		for _, typ := range types {
			dupes++
			id, err := obj.Spec.TypeID(typ)
			if err != nil {
				t.Fatal(err)
			}
			if !ids[fmt.Sprint(id)] {
				t.Errorf("%s (BTF type ID %d) shares its name with %d others, but its doc comment does not give its ID", key, id, len(types)-1)
			}
		}
	}
	t.Logf("%d typedefs of structs and unions, %d without a Go name; %d structs and unions share a name with another, each told apart by BTF type ID", typedefs, unnamed, dupes)
}
