package gen_test

import (
	"debug/elf"
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
	"github.com/mapgen/mapgen/internal/badbtf"
	"github.com/mapgen/mapgen/internal/fuzzbound"
)

// Bounds of one input of FuzzPipeline and FuzzRawBTF: the corpus objects
// take milliseconds, and opening one and generating twice allocates at most
// 7 MiB (layout_bpfeb.o, 10 KiB). Allocation must stay linear in the input:
// 64 MiB plus 1 KiB per input byte, 100 times what the corpus needs.
const pipelineTimeout = 30 * time.Second

func pipelineMaxAlloc(data []byte) uint64 { return 64<<20 + 1024*uint64(len(data)) }

// FuzzPipeline runs the whole pipeline on object bytes: btfread.OpenBytes,
// then gen.Generate by default and with every type. An error is fine if it
// is one line naming the input and not a mapgen bug (gen.ErrInternal); a
// panic, a hang or output that does not parse as Go is a failure.
//
// Seeds: every object of the test corpus, and in testdata/fuzz/FuzzPipeline
// the bad inputs of issue 8 that fit in a few kilobytes (types that refer
// to themselves, sizes that overflow 32 bits; see btfread's TestTypeLoops,
// TestTypeLoopsInObjects and TestVariableBeyond32Bits, which build them).
func FuzzPipeline(f *testing.F) {
	objs, err := filepath.Glob("../testdata/obj/*.o")
	if err != nil {
		f.Fatal(err)
	}
	objs = append(objs, "../examples/counter/counter_bpfel.o", "../examples/counter/counter_bpfeb.o")
	for _, o := range objs {
		data, err := os.ReadFile(o)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzbound.Input(t, "FuzzPipeline", pipelineTimeout, pipelineMaxAlloc(data))()
		generateChecked(t, "fuzz.o", data)
	})
}

// FuzzRawBTF is FuzzPipeline for raw BTF blobs, where every mutation
// lands in the type graph: seeds are the .BTF sections of the test
// objects and the bad blobs of package badbtf (type loops, absurd sizes,
// arrays of 2^40 elements, nesting 5000 levels deep, unsupported kinds,
// names that collide in Go).
func FuzzRawBTF(f *testing.F) {
	objs, err := filepath.Glob("../testdata/obj/*_bpfel.o")
	if err != nil {
		f.Fatal(err)
	}
	for _, o := range objs {
		ef, err := elf.Open(o)
		if err != nil {
			f.Fatal(err)
		}
		if s := ef.Section(".BTF"); s != nil {
			data, err := s.Data()
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
		ef.Close()
	}
	blobs, err := badbtf.Blobs()
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range blobs {
		f.Add(b.Data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzbound.Input(t, "FuzzRawBTF", pipelineTimeout, pipelineMaxAlloc(data))()
		generateChecked(t, "fuzz.btf", data)
	})
}

// generateChecked opens data as name and generates Go from it, by default
// and with every type. An error must be one line naming the input and not
// a mapgen bug (gen.ErrInternal); the output must parse as Go.
func generateChecked(t *testing.T, name string, data []byte) {
	t.Helper()
	checkErr := func(err error) {
		t.Helper()
		msg := err.Error()
		if !strings.HasPrefix(msg, name+": ") || strings.Contains(msg, "\n") {
			t.Errorf("error is not one line naming the input: %q", msg)
		}
		if errors.Is(err, gen.ErrInternal) {
			t.Errorf("mapgen bug: %v", err)
		}
	}
	obj, err := btfread.OpenBytes(name, data)
	if err != nil {
		checkErr(err)
		return
	}
	for _, opts := range []gen.Options{{Package: "p"}, {Package: "p", AllTypes: true}} {
		src, err := gen.Generate(obj, opts)
		if err != nil {
			checkErr(err)
			continue
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "out.go", src, parser.SkipObjectResolution); err != nil {
			t.Errorf("AllTypes %v: output does not parse: %v", opts.AllTypes, err)
		}
	}
}
