package gen_test

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
	"github.com/mapgen/mapgen/internal/benchdata"
	"github.com/mapgen/mapgen/layout"
)

// The benchmarks of the pipeline, on a typical object (examples/counter)
// and on the committed kernel BTF (internal/benchdata), whole and in
// fractions, so that figures compare across machines and show how cost
// grows with the number of types. `make bench` runs them.

const counterObject = "../examples/counter/counter_bpfel.o"

// benchInput is one input of the benchmarks.
type benchInput struct {
	name string
	// open reads the input.
	open func() (*btfread.Object, error)
	opts gen.Options
}

func benchInputs(b *testing.B) []benchInput {
	raw, err := benchdata.Vmlinux()
	if err != nil {
		b.Fatal(err)
	}
	inputs := []benchInput{{
		name: "counter",
		open: func() (*btfread.Object, error) { return btfread.Open(counterObject) },
		opts: gen.Options{Package: "counter"},
	}}
	for _, den := range []int{4, 2, 1} {
		part := raw
		if den != 1 {
			if part, _, err = benchdata.Fraction(raw, 1, den); err != nil {
				b.Fatal(err)
			}
		}
		inputs = append(inputs, benchInput{
			name: fmt.Sprintf("vmlinux-1of%d", den),
			open: func() (*btfread.Object, error) { return btfread.OpenBytes(benchdata.VmlinuxName, part) },
			opts: gen.Options{Package: "vmlinux", AllTypes: true},
		})
	}
	return inputs
}

// BenchmarkOpen reads an object or raw BTF into btfread's model.
func BenchmarkOpen(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := in.open(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The metrics the benchmarks report besides time and allocations; each
// name says what it counts, which differs between them: BenchmarkPlan
// plans the named structs, unions and enums of the input's BTF;
// BenchmarkGenerate declares a Go type for each struct, union and enum it
// emits, anonymous ones (the types of members) included, typedef aliases
// not. (internal/benchcmp's inputs count a third thing: the named
// structs, unions, enums and typedefs of them a fraction was cut from.)
const (
	metricNamedTypes = "named-structs-unions-enums/op"
	metricTypeDecls  = "struct-union-enum-decls/op"
	metricBytesOut   = "bytes-out"
	metricCPU        = "cpu-ns/op"
)

// BenchmarkPlan computes the C layout and Go plan of every named struct,
// union and enum of the input.
func BenchmarkPlan(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) { benchPlan(b, in) })
	}
}

func benchPlan(b *testing.B, in benchInput) {
	obj, err := in.open()
	if err != nil {
		b.Fatal(err)
	}
	var types []btf.Type
	for t, err := range obj.Spec.All() {
		if err != nil {
			b.Fatal(err)
		}
		switch t.(type) {
		case *btf.Struct, *btf.Union, *btf.Enum:
			if t.TypeName() != "" {
				types = append(types, t)
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		p := layout.NewPlanner()
		for _, t := range types {
			if _, err := p.Decl(t); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(types)), metricNamedTypes)
}

// BenchmarkGenerate writes the Go source of an opened input: planning,
// naming, emission, formatting. cpu-ns/op is the CPU time of all threads
// per op (generation uses every core, and a shared machine inflates wall
// time).
func BenchmarkGenerate(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) { benchGenerate(b, in) })
	}
}

func benchGenerate(b *testing.B, in benchInput) {
	obj, err := in.open()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var out *gen.Output
	cpu := processCPU()
	for b.Loop() {
		if out, err = gen.GenerateFile(obj, in.opts); err != nil {
			b.Fatal(err)
		}
	}
	if cpu > 0 {
		b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), metricCPU)
	}
	b.ReportMetric(float64(len(out.Source)), metricBytesOut)
	b.ReportMetric(float64(len(out.Types)), metricTypeDecls)
}

// TestBenchMetrics runs the bodies of BenchmarkPlan and BenchmarkGenerate
// once on a small input that has anonymous types and requires each
// count to be what its name says, counted here another way: the named
// structs, unions and enums of the BTF, and the Go type declarations of
// the output whose doc comment gives their C struct, union or enum.
func TestBenchMetrics(t *testing.T) {
	in := benchInput{
		name: "layout",
		open: func() (*btfread.Object, error) { return btfread.Open("../testdata/obj/layout_bpfel.o") },
		opts: gen.Options{Package: "layout", AllTypes: true},
	}
	obj, err := in.open()
	if err != nil {
		t.Fatal(err)
	}
	named := 0
	for typ := range obj.Spec.All() {
		switch typ.(type) {
		case *btf.Struct, *btf.Union, *btf.Enum:
			if typ.TypeName() != "" {
				named++
			}
		}
	}
	out, err := gen.GenerateFile(obj, in.opts)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "out.go", out.Source, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	decls, anonymous := 0, 0
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE || gd.Doc == nil {
			continue
		}
		for _, s := range gd.Specs {
			ts := s.(*ast.TypeSpec)
			doc := gd.Doc.Text()
			if ts.Assign.IsValid() {
				continue // a typedef's alias
			}
			if strings.HasPrefix(doc, ts.Name.Name+" is the anonymous C ") {
				anonymous++
				decls++
			} else if strings.HasPrefix(doc, ts.Name.Name+" is the C ") {
				decls++
			}
		}
	}
	if anonymous == 0 || decls == named {
		t.Fatalf("input has %d anonymous types, %d declarations for %d named types: want a test input where the counts differ", anonymous, decls, named)
	}
	t.Logf("%d named structs, unions and enums; %d Go declarations for them (%d anonymous)", named, decls, anonymous)
	// One iteration each: the counts, not the time, are under test.
	benchtime := flag.Lookup("test.benchtime")
	old := benchtime.Value.String()
	if err := benchtime.Value.Set("1x"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { benchtime.Value.Set(old) })
	for _, tc := range []struct {
		bench  func(*testing.B, benchInput)
		metric string
		want   int
	}{
		// The names as README.md's "Performance" section quotes them.
		{benchPlan, "named-structs-unions-enums/op", named},
		{benchGenerate, "struct-union-enum-decls/op", decls},
	} {
		r := testing.Benchmark(func(b *testing.B) {
			tc.bench(b, in)
		})
		if got, ok := r.Extra[tc.metric]; !ok || got != float64(tc.want) {
			t.Errorf("metric %s: %v (reported: %v), want %d", tc.metric, got, r.Extra, tc.want)
		}
	}
}

// BenchmarkGenerateRunningKernel: every named type of the running kernel,
// for comparison with the committed one (run with -benchtime=3x).
func BenchmarkGenerateRunningKernel(b *testing.B) {
	if _, err := os.Stat(vmlinuxBTF); err != nil {
		b.Skipf("no kernel BTF: %v", err)
	}
	obj, err := btfread.Open(vmlinuxBTF)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := gen.GenerateFile(obj, gen.Options{Package: "vmlinux", AllTypes: true}); err != nil {
			b.Fatal(err)
		}
	}
}
