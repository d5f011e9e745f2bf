// Package gencheck lets the test of an example check that the generated Go
// committed next to it is what mapgen generates now from the committed
// objects.
package gencheck

import (
	"bufio"
	"bytes"
	"errors"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Command is how the examples' go:generate lines run mapgen.
const Command = "go run github.com/mapgen/mapgen/cmd/mapgen"

// UpToDate finds the //go:generate lines of the Go files in the current
// directory (a test's working directory is its package's) that run mapgen,
// runs each again with --check, as go generate would run it (same directory,
// $GOPACKAGE set), and fails t with mapgen's diff if a generated file is
// stale or missing.
func UpToDate(t *testing.T) {
	t.Helper()
	pkg, lines, err := directives(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) == 0 {
		t.Fatalf("no //go:generate line in this directory runs %q", Command)
	}
	for _, args := range lines {
		argv := append([]string{"run", "github.com/mapgen/mapgen/cmd/mapgen", "--check"}, args...)
		cmd := exec.Command("go", argv...) // go test puts its own go first in $PATH
		cmd.Env = append(os.Environ(), "GOPACKAGE="+pkg)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &exit) && exit.ExitCode() == 1:
			t.Errorf("generated Go is stale: run go generate in %s\n%s%s", dir(), stderr.String(), stdout.String())
		default:
			t.Errorf("mapgen --check %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
	}
}

// directives returns the package name of the Go files in dir and the
// arguments of each of their go:generate lines that run mapgen.
func directives(dir string) (pkg string, lines [][]string, err error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return "", nil, err
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return "", nil, err
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.PackageClauseOnly)
		if err != nil {
			return "", nil, err
		}
		if !strings.HasSuffix(name, "_test.go") {
			pkg = f.Name.Name
		}
		sc := bufio.NewScanner(bytes.NewReader(src))
		for sc.Scan() {
			rest, ok := strings.CutPrefix(sc.Text(), "//go:generate "+Command+" ")
			if !ok {
				continue
			}
			if strings.ContainsAny(rest, `"'$`) {
				return "", nil, errors.New(name + ": gencheck cannot run a go:generate line with quotes or variables: " + rest)
			}
			lines = append(lines, strings.Fields(rest))
		}
	}
	return pkg, lines, nil
}

func dir() string {
	d, err := os.Getwd()
	if err != nil {
		return "."
	}
	return d
}
