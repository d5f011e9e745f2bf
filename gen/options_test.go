package gen_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
)

// TestOptionErrors: every option is checked against the object before
// anything is generated, whatever the object holds, and a contradiction
// with BTF is refused naming both sides.
func TestOptionErrors(t *testing.T) {
	open := func(path string) *btfread.Object {
		obj, err := btfread.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		return obj
	}
	maps := open("../testdata/obj/maps_bpfel.o")
	events := open("../testdata/obj/events_bpfel.o")
	data := open("../testdata/obj/data_bpfel.o") // no maps
	counter := open("../examples/counter/counter_bpfel.o")

	for _, tc := range []struct {
		name string
		obj  *btfread.Object
		opts gen.Options
		want []string // in the error, in order; nil: no error
	}{
		{"event on an object without maps", data, gen.Options{Events: map[string]string{"nosuch": "limits"}},
			[]string{"Events nosuch", "the object has no maps"}},
		{"event on a missing map", maps, gen.Options{Events: map[string]string{"event_rb": "event"}},
			[]string{"Events event_rb", "no map of that name", `did you mean "events_rb"`}},
		{"event on a hash", maps, gen.Options{Events: map[string]string{"flows": "event"}},
			[]string{"map flows is a Hash, not a ring buffer or perf event array"}},
		{"event type only a local variable uses", counter, gen.Options{Events: map[string]string{"events": "data_t"}},
			[]string{`type "data_t": not in the BTF`, "clang writes BTF only for types that a map, a global variable or a function signature uses", "struct data_t *unused_data_t"}},
		{"event type close to a real one", counter, gen.Options{Events: map[string]string{"events": "flow_evnt"}},
			[]string{`did you mean "flow_event"`}},
		{"event type with its keyword", counter, gen.Options{Events: map[string]string{"events": "struct flow_event"}}, nil},
		{"event type of the wrong keyword", counter, gen.Options{Events: map[string]string{"events": "union flow_event"}},
			[]string{`union "flow_event": the BTF has a struct of that name, not a union`}},
		{"type that is an integer", counter, gen.Options{Types: []string{"int"}},
			[]string{`type "int": the BTF has an integer type of that name, not a struct, union, enum or typedef`}},
		{"map type on a ring buffer", counter, gen.Options{MapTypes: map[string]gen.MapBinding{"events": {Key: "__u32", Value: "__u32"}}},
			[]string{"map events is a RingBuf: its keys and values are not data mapgen types; --event types its records"}},
		{"event contradicting the declared record type", events, gen.Options{Events: map[string]string{"declared_rb": "other_event"}},
			[]string{"struct other_event is 2 bytes", "the ring buffer's declared record type struct event is 32 bytes"}},
		{"event agreeing with the declared record type", events, gen.Options{Events: map[string]string{"declared_rb": "event"}}, nil},
		{"event for the inner maps of an array of ring buffers", events, gen.Options{Events: map[string]string{"rbs": "event"}}, nil},
		{"map type replacing a BTF value type", maps, gen.Options{MapTypes: map[string]gen.MapBinding{"flows": {Value: "counters"}}},
			[]string{"MapTypes flows", "value: the map's definition declares struct flow_stats, which struct counters contradicts"}},
		{"map type restating the BTF value type", maps, gen.Options{MapTypes: map[string]gen.MapBinding{"flows": {Value: "flow_stats"}}}, nil},
		{"map type of the wrong size", maps, gen.Options{MapTypes: map[string]gen.MapBinding{"sized_array": {Value: "flow_key"}}},
			[]string{"struct flow_key is", "the map's value size is 24"}},
		{"map type naming nothing", maps, gen.Options{MapTypes: map[string]gen.MapBinding{"sized_array": {}}},
			[]string{"names neither a key nor a value type"}},
		{"map type on an object without maps", data, gen.Options{MapTypes: map[string]gen.MapBinding{"x": {Value: "limits"}}},
			[]string{"has no maps"}},
		{"prefix that starts with a digit", counter, gen.Options{Prefix: "1"}, []string{`Prefix: "1"`}},
		{"prefix in lower case", counter, gen.Options{Prefix: "foo"}, []string{`Prefix: "foo"`}},
		{"prefix with a dash", counter, gen.Options{Prefix: "Foo-"}, []string{`Prefix: "Foo-"`}},
		{"good prefix", counter, gen.Options{Prefix: "Foo"}, nil},
		{"package keyword", counter, gen.Options{Package: "func"}, []string{`"func" is not a Go package name`}},
		{"embed outside the directory", counter, gen.Options{Embed: "../counter_bpfel.o"}, []string{"go:embed"}},
		{"embed with a glob", counter, gen.Options{Embed: "*.o"}, []string{"go:embed"}},
		{"type not found", counter, gen.Options{Types: []string{"flow_kee"}}, []string{`did you mean "flow_key"`}},
		{"type with its keyword", counter, gen.Options{Types: []string{"struct flow_key"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.opts.Package == "" {
				tc.opts.Package = "p"
			}
			_, err := gen.Generate(tc.obj, tc.opts)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			var oe *gen.OptionError
			if !errors.As(err, &oe) {
				t.Errorf("%v: not an *OptionError", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			msg := err.Error()
			for _, w := range tc.want {
				i := strings.Index(msg, w)
				if i < 0 {
					t.Fatalf("error %q lacks %q", err, w)
				}
				msg = msg[i+len(w):]
			}
		})
	}
}

// TestRawBTFEmbed: a raw BTF blob has nothing to load.
func TestRawBTFEmbed(t *testing.T) {
	obj := &btfread.Object{Path: "vmlinux", Raw: true}
	_, err := gen.Generate(obj, gen.Options{Package: "p", Embed: "vmlinux"})
	if err == nil || !strings.Contains(err.Error(), "raw BTF") {
		t.Errorf("Embed of raw BTF: %v", err)
	}
}
