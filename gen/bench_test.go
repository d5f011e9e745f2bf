package gen_test

import (
	"os"
	"testing"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
)

func benchmarkGenerate(b *testing.B, path string, opts gen.Options) {
	b.Run("Open", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := btfread.Open(path); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Generate", func(b *testing.B) {
		obj, err := btfread.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		var size int
		for b.Loop() {
			out, err := gen.GenerateFile(obj, opts)
			if err != nil {
				b.Fatal(err)
			}
			size = len(out.Source)
		}
		b.ReportMetric(float64(size), "bytes/op-out")
	})
}

// BenchmarkGenerateVmlinux: every named type of the running kernel (run
// with -benchtime=3x).
func BenchmarkGenerateVmlinux(b *testing.B) {
	if _, err := os.Stat(vmlinuxBTF); err != nil {
		b.Skipf("no kernel BTF: %v", err)
	}
	benchmarkGenerate(b, vmlinuxBTF, gen.Options{Package: "vmlinux", AllTypes: true})
}

// BenchmarkGenerateCounter: a typical object.
func BenchmarkGenerateCounter(b *testing.B) {
	benchmarkGenerate(b, "../examples/counter/counter_bpfel.o", gen.Options{Package: "counter"})
}
