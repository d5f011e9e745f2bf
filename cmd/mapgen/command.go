package main

import (
	"runtime/debug"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// commandLine is the command a generated file records in its header: mapgen
// and args as given, without the flags that change how it writes rather
// than what (--check, --force), so that the check of a file and the run
// that wrote it record the same line.
func commandLine(args []string) []string {
	out := []string{"mapgen"}
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		name, _, _ := strings.Cut(a, "=")
		if name == "--check" || name == "--force" {
			continue
		}
		out = append(out, a)
	}
	return out
}

// headerVersion is the version a generated file records: the module
// version of a released mapgen, else "(devel)". Never a VCS revision or a
// local path, which would change the file with every commit or machine.
func headerVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	return releaseVersion(info.Main)
}

func releaseVersion(m debug.Module) string {
	v := m.Version
	if m.Replace != nil || !semver.IsValid(v) || module.IsPseudoVersion(v) || semver.Build(v) != "" {
		return "(devel)"
	}
	return v
}
