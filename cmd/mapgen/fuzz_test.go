package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mapgen/mapgen/internal/fuzzbound"
)

// FuzzArgs fuzzes the command line: the flags and the values mapgen parses
// itself (--event MAP=TYPE, --map-type MAP=KEY,VALUE, --type, --prefix,
// -p), then generation with them. The input is the arguments joined by
// NUL bytes. An input that does not parse must make run exit 2 with one
// line "mapgen: ... (see mapgen --help)"; one that parses is run with its
// objects replaced by test objects and its output by standard output, so
// that no input touches the file system: it must print Go that parses, or
// fail with one line and exit status 2, never 3 (a mapgen bug) or a panic.
func FuzzArgs(f *testing.F) {
	for _, args := range [][]string{
		{"-p", "probes", "el"},
		{"--event", "events=flow_event", "el"},
		{"--event", "events=struct flow_event", "--prefix", "Counter", "el", "eb"},
		{"--type", "flow_key", "--type", "flow_counters", "el"},
		{"--type", "struct flow_key", "--all-types", "eb"},
		{"--map-type", "legacy_hash=legacy_key,legacy_val", "legacy"},
		{"--map-type", "legacy_hash=,legacy_val", "--map-type", "legacy_array=legacy_key,", "legacy"},
		{"--event", "events=", "el"},
		{"--event=events=flow_event", "--event=events=flow_key", "el"},
		{"--prefix", "9x", "el"},
		{"-p", "func", "el"},
		{"--frobnicate", "el"},
		{"version"},
		{"--check", "-o", "-", "el"},
		{"layout", "el"},
		{"layout", "--format", "svg", "--row", "8", "el", "struct flow_key"},
		{"layout", "--format", "json", "--cacheline", "32", "eb", "flow_counters"},
		{"layout", "--all", "--format", "html", "legacy"},
		{"layout", "--format", "xml", "el"},
	} {
		f.Add(strings.Join(args, "\x00"))
	}
	objects := map[string]string{"el": counterEL, "eb": counterEB, "legacy": "../../testdata/obj/legacy_bpfel.o"}
	f.Fuzz(func(t *testing.T, joined string) {
		defer fuzzbound.Input(t, "FuzzArgs", 30*time.Second, 256<<20)()
		args := strings.Split(joined, "\x00")
		if args[0] == "layout" {
			fuzzLayoutArgs(t, args, objects)
			return
		}
		cfg, err := parseArgs(args)
		if err != nil {
			var stdout, stderr bytes.Buffer
			if code := run(args, &stdout, &stderr); code != exitBad {
				t.Errorf("parse error %q: exit status %d, want 2", err, code)
			}
			if msg := stderr.String(); !strings.HasPrefix(msg, "mapgen: ") || !strings.HasSuffix(msg, " (see mapgen --help)\n") || strings.Count(msg, "\n") != 1 {
				t.Errorf("parse error printed as %q", msg)
			}
			return
		}
		if cfg.help || cfg.version {
			return
		}
		// Objects: the test objects the arguments name (at most two, as
		// a pair), the counter program otherwise; output: standard output.
		var objs []string
		for _, o := range cfg.objects {
			if p, ok := objects[o]; ok && len(objs) < 2 {
				objs = append(objs, p)
			}
		}
		if len(objs) == 0 {
			objs = []string{counterEL}
		}
		cfg.objects, cfg.output, cfg.check, cfg.embed = objs, "-", false, false
		if len(objs) == 2 {
			cfg.output = t.TempDir() + "/out.go"
		}
		if cfg.pkg == "" {
			cfg.pkg = "p"
		}
		var stdout, stderr bytes.Buffer
		err = generate(cfg, &stdout, &stderr)
		if err != nil {
			var msg bytes.Buffer
			if code := exitStatus(err, &msg); code != exitBad {
				t.Errorf("exit status %d for %q: %s", code, args, msg.String())
			}
			if !strings.HasPrefix(msg.String(), "mapgen: ") || strings.Count(msg.String(), "\n") != 1 {
				t.Errorf("error printed as %q", msg.String())
			}
			return
		}
		if len(objs) == 1 {
			if _, err := parser.ParseFile(token.NewFileSet(), "out.go", stdout.Bytes(), parser.SkipObjectResolution); err != nil {
				t.Errorf("%q: output does not parse: %v", args, err)
			}
		}
	})
}

// fuzzLayoutArgs is FuzzArgs for mapgen layout: arguments that do not
// parse make run exit 2 with one line "mapgen layout: ..."; arguments that
// do are reported on, with the input replaced by the test object they name
// (the counter program otherwise), and fail, if at all, with an error of
// one line.
func fuzzLayoutArgs(t *testing.T, args []string, objects map[string]string) {
	cfg := &layoutConfig{}
	fs := newLayoutFlagSet(cfg)
	err := fs.Parse(args[1:])
	if err == nil && !cfg.help {
		err = cfg.check(fs.Args())
	}
	if err != nil {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != exitBad {
			t.Errorf("parse error %q: exit status %d, want 2", err, code)
		}
		if msg := stderr.String(); !strings.HasPrefix(msg, "mapgen layout: ") || strings.Count(msg, "\n") != 1 {
			t.Errorf("parse error printed as %q", msg)
		}
		return
	}
	if cfg.help {
		return
	}
	if p, ok := objects[cfg.input]; ok {
		cfg.input = p
	} else {
		cfg.input = counterEL
	}
	var out bytes.Buffer
	if err := layoutReport(cfg, &out, io.Discard); err != nil && strings.Contains(err.Error(), "\n") {
		t.Errorf("error of more than one line: %q", err)
	}
}
