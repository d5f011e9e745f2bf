package gen_test

import (
	"fmt"
	"os"
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

// BenchmarkPlan computes the C layout and Go plan of every named struct,
// union and enum of the input.
func BenchmarkPlan(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) {
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
			b.ReportMetric(float64(len(types)), "types")
		})
	}
}

// BenchmarkGenerate writes the Go source of an opened input: planning,
// naming, emission, formatting. cpu-ns/op is the CPU time of all threads
// per op (generation uses every core, and a shared machine inflates wall
// time).
func BenchmarkGenerate(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) {
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
				b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			}
			b.ReportMetric(float64(len(out.Source)), "bytes-out")
			b.ReportMetric(float64(len(out.Types)), "types")
		})
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
