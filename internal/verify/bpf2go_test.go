package verify

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	b2g "github.com/cilium/ebpf/cmd/bpf2go/gen"

	"github.com/mapgen/mapgen/internal/gentest"
	"github.com/mapgen/mapgen/layout"
)

// bpf2goPkg is bpf2go's output for one corpus program, or why bpf2go
// cannot make it.
type bpf2goPkg struct {
	name string
	objs [2]string
	err  string
	// refused are the types bpf2go cannot format, with its reason.
	refused []string
}

// addBpf2go writes, for every corpus program in testdata/obj, what
// `bpf2go bpf NAME.c` writes (cmd/bpf2go/gen.Generate with the maps,
// programs, variables and types bpf2go collects: every map key and value
// type and every global variable's type) for bpfel and bpfeb into
// mod/bpf2go/NAME.
func addBpf2go(t *testing.T, root, mod string) []bpf2goPkg {
	t.Helper()
	els, err := filepath.Glob(filepath.Join(root, "testdata", "obj", "*_bpfel.o"))
	if err != nil {
		t.Fatal(err)
	}
	var out []bpf2goPkg
	for _, el := range els {
		name := strings.TrimSuffix(filepath.Base(el), "_bpfel.o")
		if strings.HasPrefix(name, "btfread_bad_") {
			continue // not valid programs
		}
		p := bpf2goPkg{name: name, objs: [2]string{el, strings.TrimSuffix(el, "_bpfel.o") + "_bpfeb.o"}}
		dir := filepath.Join(mod, "bpf2go", name)
		var srcs [][]byte
		for i, target := range []string{"bpfel", "bpfeb"} {
			src, refused, err := bpf2goOutput(p.objs[i], target)
			if err != nil {
				p.err = err.Error()
				break
			}
			if i == 0 {
				p.refused = refused
			}
			srcs = append(srcs, src)
		}
		if p.err == "" {
			for i, target := range []string{"bpfel", "bpfeb"} {
				gentest.AddPackage(t, mod, filepath.Join("bpf2go", name), map[string][]byte{"bpf_" + target + ".go": srcs[i]})
				copyFile(t, p.objs[i], dir)
			}
		}
		out = append(out, p)
	}
	return out
}

// bpf2goOutput is what bpf2go writes for one object.
func bpf2goOutput(obj, target string) (src []byte, refused []string, err error) {
	spec, err := ebpf.LoadCollectionSpec(obj)
	if err != nil {
		return nil, nil, fmt.Errorf("bpf2go cannot load the object: %w", err)
	}
	_, arches, err := b2g.FindTarget(target)
	if err != nil {
		return nil, nil, err
	}
	var maps, programs, variables []string
	for n := range spec.Maps {
		if !strings.HasPrefix(n, ".") {
			maps = append(maps, n)
		}
	}
	for n := range spec.Programs {
		programs = append(programs, n)
	}
	for n := range spec.Variables {
		variables = append(variables, n)
	}
	slices.Sort(maps)
	slices.Sort(programs)
	slices.Sort(variables)
	// bpf2go refuses the whole object for one type it cannot format;
	// `-type` per type would format the others, so leave out those it
	// refuses (and the types that contain them) and say which.
	types := b2g.CollectGlobalTypes(spec)
	for {
		names := make(map[btf.Type]string)
		for _, typ := range types {
			names[typ] = "bpf" + typ.TypeName()
		}
		gf := &btf.GoFormatter{Names: names}
		kept := types[:0:0]
		for _, typ := range types {
			if _, err := gf.TypeDeclaration(names[typ], typ); err != nil {
				refused = append(refused, fmt.Sprintf("%s (%v)", layout.CType(typ), err))
				continue
			}
			kept = append(kept, typ)
		}
		if len(kept) == len(types) {
			break
		}
		types = kept
	}
	var buf bytes.Buffer
	err = b2g.Generate(b2g.GenerateArgs{
		Package:     "bpf",
		Stem:        "bpf",
		Constraints: arches.Constraint(),
		Maps:        maps,
		Programs:    programs,
		Variables:   variables,
		Types:       types,
		ObjectFile:  filepath.Base(obj),
		Output:      &buf,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("bpf2go: %w", err)
	}
	return buf.Bytes(), refused, nil
}

// testBpf2go runs verify on bpf2go's output for every corpus program and
// compares what it finds with testdata/verify/bpf2go.golden (rewritten by
// -update), the record README.md summarises.
func testBpf2go(t *testing.T, root, mod string, loaded []*Loaded, pkgs []bpf2goPkg) {
	var b strings.Builder
	b.WriteString("# What mapgen verify finds in bpf2go's output (cilium/ebpf v0.22.0) for the\n")
	b.WriteString("# corpus: internal/verify TestVerify/bpf2go; go test ./internal/verify -update rewrites it.\n")
	for _, p := range pkgs {
		fmt.Fprintf(&b, "\n## %s\n", p.name)
		if p.err != "" {
			// The object's path is relative to the repository, so the record
			// does not depend on where the checkout is.
			fmt.Fprintf(&b, "not generated: %s\n", strings.ReplaceAll(firstLineOf(p.err), root+string(filepath.Separator), ""))
			continue
		}
		if err := brokenIn(loaded, gentest.ModulePath+"/bpf2go/"+p.name); err != nil {
			fmt.Fprintf(&b, "does not type-check: %s\n", strings.ReplaceAll(firstLineOf(err.Error()), mod+string(filepath.Separator), ""))
			continue
		}
		for _, r := range p.refused {
			fmt.Fprintf(&b, "bpf2go refuses %s\n", r)
		}
		seen := make(map[string]bool)
		pairs := 0
		for i, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			obj := openObject(t, p.objs[i])
			r, err := Verify(obj, archsOf(loaded, order), Options{Packages: []string{gentest.ModulePath + "/bpf2go/" + p.name}})
			if err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			if i == 0 {
				pairs = len(r.Pairs)
				var unpaired []string
				for _, u := range r.Unpaired {
					name := u[strings.LastIndex(u, ".")+1:]
					if !bpf2goAPI[name] {
						unpaired = append(unpaired, name)
					}
				}
				if len(unpaired) > 0 {
					fmt.Fprintf(&b, "not paired: %s\n", strings.Join(unpaired, ", "))
				}
			}
			for _, l := range lines(r, filepath.Join(mod, "bpf2go")) {
				if !seen[l] {
					seen[l] = true
					b.WriteString(l + "\n")
				}
			}
		}
		fmt.Fprintf(&b, "%d types paired, %d mismatches\n", pairs, len(seen))
	}
	golden := filepath.Join(root, "testdata", "verify", "bpf2go.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./internal/verify -run TestVerify -update writes it)", err)
	}
	if string(want) != b.String() {
		diffLines(t, "bpf2go findings (go test ./internal/verify -run TestVerify -update, then read the diff)", strings.Split(b.String(), "\n"), strings.Split(string(want), "\n"))
	}
}

// bpf2goAPI are the types bpf2go declares for its loader.
var bpf2goAPI = map[string]bool{
	"bpfMapSpecs": true, "bpfMaps": true, "bpfObjects": true, "bpfProgramSpecs": true, "bpfPrograms": true,
	"bpfSpecs": true, "bpfVariableSpecs": true, "bpfVariables": true,
}

// brokenIn returns the error of package path on the first GOARCH where it
// does not type-check.
func brokenIn(loaded []*Loaded, path string) error {
	for _, l := range loaded {
		if err := l.Broken[path]; err != nil {
			return fmt.Errorf("GOARCH=%s: %w", l.GOARCH, err)
		}
	}
	return nil
}

func firstLineOf(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
