package main

import (
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

func TestCommandLine(t *testing.T) {
	tests := []struct {
		args, want []string
	}{
		{[]string{"--embed", "-o", "c.go", "c_bpfel.o"}, []string{"mapgen", "--embed", "-o", "c.go", "c_bpfel.o"}},
		{[]string{"--check", "--force=true", "-o", "c.go", "c.o"}, []string{"mapgen", "-o", "c.go", "c.o"}},
		{[]string{"-o", "c.go", "--", "--check"}, []string{"mapgen", "-o", "c.go", "--", "--check"}},
	}
	for _, tt := range tests {
		if got := commandLine(tt.args); !slices.Equal(got, tt.want) {
			t.Errorf("commandLine(%q) = %q, want %q", tt.args, got, tt.want)
		}
	}
}

func TestReleaseVersion(t *testing.T) {
	tests := []struct {
		m    debug.Module
		want string
	}{
		{debug.Module{Version: "v1.2.3"}, "v1.2.3"},
		{debug.Module{Version: "v0.1.0-rc.1"}, "v0.1.0-rc.1"},
		{debug.Module{Version: "(devel)"}, "(devel)"},
		{debug.Module{Version: "v0.0.0-20260101120000-abcdefabcdef"}, "(devel)"},
		{debug.Module{Version: "v1.2.4-0.20260101120000-abcdefabcdef+dirty"}, "(devel)"},
		{debug.Module{Version: "v1.2.3", Replace: &debug.Module{Path: "/src/mapgen"}}, "(devel)"},
	}
	for _, tt := range tests {
		if got := releaseVersion(tt.m); got != tt.want {
			t.Errorf("releaseVersion(%+v) = %q, want %q", tt.m, got, tt.want)
		}
	}
}

// TestHeaderRecordsCommand: the generated file's header holds the command
// line as given, whatever the run's temporary paths, and --check of the same
// command line finds it up to date.
func TestHeaderRecordsCommand(t *testing.T) {
	dir := t.TempDir()
	obj := mustAbs(t, counterEL)
	t.Chdir(dir)
	if code, _, stderr := mapgen(t, "-p", "c", "-o", "c.go", obj); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	src := readFile(filepath.Join(dir, "c.go"))
	for _, want := range []string{
		"\n// Command: mapgen -p c -o c.go " + obj + "\n",
		"\n// mapgen version: (devel)\n",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("header lacks %q:\n%s", want, src[:min(len(src), 400)])
		}
	}
	if code, stdout, stderr := mapgen(t, "--check", "-p", "c", "-o", "c.go", obj); code != 0 {
		t.Errorf("--check of the same command: exit %d: %s%s", code, stdout, stderr)
	}
}
