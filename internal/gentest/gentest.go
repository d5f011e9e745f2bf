// Package gentest builds generated Go in tests: it lays generated files out
// as a package of a temporary module that uses this repository's module,
// so the go command (and go/packages) can compile, vet and run them for any
// GOARCH.
package gentest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// ModulePath is the import path of the temporary module's root package.
const ModulePath = "mapgen.test/generated"

// RepoRoot returns the root of this repository (where go.mod is).
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("gentest: cannot locate source file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Module creates a temporary module whose go.mod requires this repository
// through a replace directive and reuses its go.sum, so no network is
// needed. It returns the module's directory.
func Module(tb testing.TB) string {
	tb.Helper()
	root := RepoRoot(tb)
	dir := tb.TempDir()
	tb.Cleanup(func() { forgetParsed(dir) })
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		tb.Fatal(err)
	}
	// Same requirements as the repository, plus the repository itself.
	var b strings.Builder
	b.WriteString("module " + ModulePath + "\n\n")
	for line := range strings.SplitSeq(string(goMod), "\n") {
		if strings.HasPrefix(line, "module ") {
			continue
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\nrequire github.com/mapgen/mapgen v0.0.0\n")
	b.WriteString("\nreplace github.com/mapgen/mapgen => " + root + "\n")
	write(tb, filepath.Join(dir, "go.mod"), []byte(b.String()))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		tb.Fatal(err)
	}
	write(tb, filepath.Join(dir, "go.sum"), sum)
	return dir
}

// AddPackage writes files (name -> contents) into the directory pkg of the
// module and returns that directory.
func AddPackage(tb testing.TB, module, pkg string, files map[string][]byte) string {
	tb.Helper()
	dir := filepath.Join(module, pkg)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	for name, data := range files {
		write(tb, filepath.Join(dir, name), data)
	}
	return dir
}

// Go runs the go command in dir with extra environment entries and
// returns its combined output.
func Go(tb testing.TB, dir string, env []string, args ...string) (string, error) {
	tb.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func write(tb testing.TB, path string, data []byte) {
	tb.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// BuildTest compiles the tests of pkg (relative to dir) for linux/goarch
// without cgo, so the binary runs natively or under qemu-user, and writes
// it to out (a file, or a directory ending in / for several packages).
func BuildTest(tb testing.TB, dir, goarch, pkg, out string) {
	tb.Helper()
	env := []string{"GOOS=linux", "GOARCH=" + goarch, "CGO_ENABLED=0"}
	if o, err := Go(tb, dir, env, "test", "-c", "-o", out, pkg); err != nil {
		tb.Fatalf("GOARCH=%s go test -c %s: %v\n%s", goarch, pkg, err, o)
	}
}
