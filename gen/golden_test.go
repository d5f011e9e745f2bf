package gen_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output (read the diff before committing)")

// goldenObjects are the corpus objects with a golden file, and the options
// they are generated with.
func goldenObjects(t *testing.T) map[string]gen.Options {
	t.Helper()
	objs, err := filepath.Glob("../testdata/obj/*.o")
	if err != nil {
		t.Fatal(err)
	}
	objs = append(objs, "../examples/counter/counter_bpfel.o", "../examples/counter/counter_bpfeb.o")
	out := make(map[string]gen.Options)
	for _, o := range objs {
		if strings.HasPrefix(filepath.Base(o), "btfread_bad_") {
			continue // rejected on purpose; see btfread.TestBadValues
		}
		// A fixed command line: the header records what it is given.
		opts := gen.Options{Package: "golden", Command: []string{"mapgen", "-p", "golden", filepath.Base(o)}}
		if strings.HasPrefix(filepath.Base(o), "layout_") {
			// Types asked for by name: typedefs of an anonymous struct,
			// of a scalar (through a chain) and of a named struct.
			opts.Types = []string{"version_t", "final_pid_t", "point_t"}
		}
		switch base := filepath.Base(o); {
		case strings.HasPrefix(base, "maps_"):
			opts.Events = map[string]string{"events_rb": "event", "perf_events": "event"}
			opts.MapTypes = map[string]gen.MapBinding{"sized_array": {Value: "counters"}, "sized_only": {Value: "lru_val"}}
		case strings.HasPrefix(base, "dupnames_"):
			opts.AllTypes = true // two struct console, a typedef of one
		case strings.HasPrefix(base, "events_"):
			// Records of the inner ring buffers of an array of maps, and
			// of a ring buffer without a declared record type.
			opts.Events = map[string]string{"rbs": "event", "plain_rb": "other_event"}
		case strings.HasPrefix(base, "counter_"):
			opts.Events = map[string]string{"events": "flow_event"}
			opts.Embed = base // the golden file is compiled beside a copy
			opts.Command = []string{"mapgen", "--embed", "--event", "events=flow_event", "-p", "golden", "-o", "counter.go", "counter_bpfel.o", "counter_bpfeb.o"}
			opts.Version = "v1.2.3"
		}
		out[o] = opts
	}
	return out
}

func TestGolden(t *testing.T) {
	for path, opts := range goldenObjects(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".o")
		t.Run(name, func(t *testing.T) {
			obj, err := btfread.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := gen.Generate(obj, opts)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("..", "testdata", "golden", name+".go")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./gen -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s; run `go test ./gen -run TestGolden -update` and read the diff:\n%s",
					golden, firstDiff(string(want), string(got)))
			}
		})
	}
}

// firstDiff shows the first differing line with context.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(no line differs)"
}
