package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"
	"github.com/spf13/pflag"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
)

// TestInternalError makes generation panic or fail with gen.ErrInternal:
// exit 3, "mapgen bug: ...; please report it", no source on stderr, no
// output written.
func TestInternalError(t *testing.T) {
	source := "package x\n\nfunc broken( {\n" + strings.Repeat("// more source\n", 100)
	tests := []struct {
		name string
		fail func(*btfread.Object, gen.Options) ([]byte, error)
		want string
	}{
		{"panic", func(*btfread.Object, gen.Options) ([]byte, error) { panic("index out of range\nsecond line") },
			"mapgen bug: panic: index out of range [...]; please report it\n"},
		{"ErrInternal", func(o *btfread.Object, _ gen.Options) ([]byte, error) {
			return nil, fmt.Errorf("%s: %w: generated Go does not parse: %s", o.Path, gen.ErrInternal, source)
		}, "mapgen bug: " + counterEL + ": generated Go does not parse: package x [...]; please report it\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			generateFile = tt.fail
			t.Cleanup(func() { generateFile = gen.Generate })
			dir := t.TempDir()
			out := writeFile(t, dir, "out.go", sentinel)
			code, stdout, stderr := mapgen(t, "-p", "x", "-o", out, counterEL)
			if code != exitInternal {
				t.Errorf("exit %d, want 3", code)
			}
			if !strings.HasPrefix(stderr, tt.want) {
				t.Errorf("stderr starts %.200q, want %q", stderr, tt.want)
			}
			if strings.Contains(stderr, "more source") || stdout != "" {
				t.Errorf("source printed: stdout %.80q, stderr %.300q", stdout, stderr)
			}
			if readFile(out) != sentinel || len(tempFiles(t, dir)) != 0 {
				t.Error("output or temporary file written")
			}
		})
	}
}

// TestExitCodeOfProcess checks what the process returns, not just run.
func TestExitCodeOfProcess(t *testing.T) {
	dir := t.TempDir()
	gen := filepath.Join(dir, "c.go")
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"-p", "c", "-o", gen, counterEL}, 0},
		{[]string{"--check", "-p", "c", "-o", gen, counterEL}, 0},
		{[]string{"--check", "-p", "c", "-o", filepath.Join(dir, "other.go"), counterEL}, 1},
		{[]string{"/no/such/object.o"}, 2},
		{[]string{"--frobnicate"}, 2},
		{[]string{"-h"}, 0},
		{[]string{"version"}, 0},
		{[]string{"help"}, 0},
		{[]string{"version", "extra"}, 2},
		{[]string{"-p", "type", "-o", gen, counterEL}, 2},
	}
	for _, tt := range tests {
		err := command(t, tt.args...).Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tt.code {
			t.Errorf("mapgen %q: exit %d, want %d", tt.args, code, tt.code)
		}
	}
}

// TestHelp: --help and -h print usage on stdout with an example for every
// flag, and exit 0.
func TestHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		code, stdout, stderr := mapgen(t, arg)
		if code != 0 || stderr != "" {
			t.Errorf("%s: exit %d, stderr %q", arg, code, stderr)
		}
		if !strings.HasPrefix(stdout, "Usage:") || !strings.Contains(stdout, "Exit status") {
			t.Errorf("%s: stdout %.200q", arg, stdout)
		}
	}
	_, help, _ := mapgen(t, "--help")
	newFlagSet(&config{}, new([]string), new([]string)).VisitAll(func(f *pflag.Flag) {
		ex := examples[f.Name]
		if ex == "" || !strings.Contains(ex, "--"+f.Name) && !(f.Shorthand != "" && strings.Contains(ex, "-"+f.Shorthand+" ")) {
			t.Errorf("--%s: no example using it (%q)", f.Name, ex)
		}
		if !strings.Contains(help, "--"+f.Name) || !strings.Contains(help, "e.g. "+ex+"\n") {
			t.Errorf("--%s or its example missing from --help", f.Name)
		}
	})
}

// TestBadUsage: a bad flag is one line on stderr and exit 2, nothing on
// stdout.
func TestBadUsage(t *testing.T) {
	for _, args := range [][]string{{"--frobnicate", counterEL}, {"--check", "-o", "-", counterEL}, {"--event", "x", counterEL}} {
		code, stdout, stderr := mapgen(t, args...)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "mapgen: ") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, stdout, stderr := mapgen(t, args...)
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "mapgen ") || strings.Count(stdout, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	tests := []struct {
		info debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-00010101000000-000000000000", Replace: &debug.Module{Path: "/src/mapgen", Version: "(devel)"}}},
			"v0.0.0-00010101000000-000000000000 (replaced by /src/mapgen)"},
		{debug.BuildInfo{Main: debug.Module{Version: "v0.1.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v0.1.1"}}},
			"v0.1.0 (replaced by example.com/fork@v0.1.1)"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "(devel)"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"},
		}}, "(devel) revision 0123456789ab, modified"},
	}
	for _, tt := range tests {
		if got := describeBuild(&tt.info); got != tt.want {
			t.Errorf("describeBuild = %q, want %q", got, tt.want)
		}
	}
}

// TestRawBTFNeedsTypes: raw BTF has no maps or variables; without --type
// or --all-types the output would be an empty package.
func TestRawBTFNeedsTypes(t *testing.T) {
	raw := rawBTF(t, &btf.Struct{Name: "s", Size: 4, Members: []btf.Member{{Name: "x", Type: &btf.Int{Name: "int", Size: 4}}}})
	out := filepath.Join(t.TempDir(), "out.go")
	code, _, stderr := mapgen(t, "-p", "x", "-o", out, raw)
	if code != 2 || !strings.Contains(stderr, "types.btf") || !strings.Contains(stderr, "--type") || !strings.Contains(stderr, "--all-types") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("output written")
	}
	if code, _, stderr := mapgen(t, "-p", "x", "-o", out, "--type", "s", raw); code != 0 {
		t.Errorf("with --type: exit %d: %s", code, stderr)
	}
}

// TestPairOfTwoPrograms gives the objects of two programs as a pair.
func TestPairOfTwoPrograms(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := mapgen(t, "-p", "x", "-o", filepath.Join(dir, "c.go"), counterEL, "../../testdata/obj/maps_bpfeb.o")
	if code != 2 || !strings.Contains(stderr, "counter_bpfel.o and ../../testdata/obj/maps_bpfeb.o are not one program") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("wrote %v", entries)
	}
}

// TestCheckBrokenPipe: --check whose diff reader goes away (--check | head
// -1) still exits 1 for a difference, instead of dying of SIGPIPE (which
// go tool reports as status 0).
func TestCheckBrokenPipe(t *testing.T) {
	out := filepath.Join(t.TempDir(), "missing.go")
	cmd := command(t, "--check", "-p", "c", "-o", out, counterEL)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // nobody reads the diff
	cmd.Stdout = w
	err = cmd.Run()
	w.Close()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Errorf("--check into a closed pipe: %v, want exit status 1", err)
	}
}
