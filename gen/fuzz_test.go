package gen_test

import (
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
)

// pipelineTimeout bounds one input of FuzzPipeline: the corpus objects
// take milliseconds, so an input still running after this is a hang.
const pipelineTimeout = 30 * time.Second

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
		// A hang must end the run with this input on record: the fuzzing
		// engine keeps the input of a worker that crashes.
		watchdog := time.AfterFunc(pipelineTimeout, func() {
			panic("FuzzPipeline: input still running after " + pipelineTimeout.String())
		})
		defer watchdog.Stop()

		const name = "fuzz.o"
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
	})
}
