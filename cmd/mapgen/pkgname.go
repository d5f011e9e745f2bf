package main

import (
	"fmt"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/tools/go/packages"
)

// packageName finds the package of the directory output goes to, in this
// order: $GOPACKAGE (set by go generate) when the output goes to the
// current directory; the package go/packages finds there; the package
// clauses of the directory's Go files, read directly (outside a module, or
// without the go command); else the directory's name.
func packageName(output string) (string, error) {
	dir := "."
	if output != "-" {
		dir = filepath.Dir(output)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if name := os.Getenv("GOPACKAGE"); name != "" {
		if wd, err := os.Getwd(); err == nil && wd == abs {
			// The directive may sit in an external test file.
			if !strings.HasSuffix(output, "_test.go") {
				name = strings.TrimSuffix(name, "_test")
			}
			return name, nil
		}
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return sanitizePackage(filepath.Base(abs)), nil
	}
	if name := loadedPackage(abs); name != "" {
		return name, nil
	}
	name, err := parsedPackage(abs)
	if err != nil || name != "" {
		return name, err
	}
	return sanitizePackage(filepath.Base(abs)), nil
}

// loadedPackage is the name go/packages gives the package in dir, "" if it
// cannot say (no module, no go command, no Go files).
func loadedPackage(dir string) string {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedFiles, Dir: dir}, ".")
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		// Errors include files of several packages (a hand-written main.go
		// beside an earlier, wrongly named output): parsedPackage decides.
		return ""
	}
	return pkgs[0].Name
}

// parsedPackage reads the package clause of each Go file in dir ("_test"
// dropped from external test packages). One name is the answer. Several
// are narrowed to the files the build would use (a `//go:build ignore`
// generator is often package main), then to those of them mapgen did not
// generate; still several is an error.
func parsedPackage(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", nil
	}
	all := make(map[string][]string)   // package -> files
	built := make(map[string][]string) // the same, of files the build uses
	hand := make(map[string][]string)  // the same, of files mapgen did not write
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(n, ".go") || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, n), nil, parser.PackageClauseOnly)
		if err != nil {
			continue // not Go: the build would fail on it, not our concern
		}
		pkg := f.Name.Name
		if strings.HasSuffix(n, "_test.go") {
			pkg = strings.TrimSuffix(pkg, "_test")
		}
		all[pkg] = append(all[pkg], n)
		if ok, err := build.Default.MatchFile(dir, n); err == nil && ok {
			built[pkg] = append(built[pkg], n)
			if fi, err := e.Info(); err == nil {
				if gen, err := generatedByMapgen(filepath.Join(dir, n), fi); err == nil && !gen {
					hand[pkg] = append(hand[pkg], n)
				}
			}
		}
	}
	switch {
	case len(all) == 0:
		return "", nil
	case len(all) == 1:
		return onlyKey(all), nil
	case len(built) == 1:
		return onlyKey(built), nil
	case len(hand) == 1:
		// mapgen's own earlier output, under a name guessed before the
		// package had files, gives way to the files people wrote.
		return onlyKey(hand), nil
	}
	var names []string
	for p, files := range all {
		names = append(names, fmt.Sprintf("%s (%s)", p, files[0]))
	}
	sort.Strings(names)
	return "", fmt.Errorf("%s holds Go files of several packages: %s: pass -p NAME", dir, strings.Join(names, ", "))
}

func onlyKey(m map[string][]string) string {
	for k := range m {
		return k
	}
	return ""
}

// sanitizePackage makes a Go package name of a directory name.
func sanitizePackage(dir string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(dir) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			b.WriteRune(r)
		}
	}
	name := b.String()
	if name == "" || !unicode.IsLetter(rune(name[0])) {
		name = "bpf" + name
	}
	return name
}
