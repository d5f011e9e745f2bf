package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// coldBuild times `go build` of the generated file src as package vmlinux
// of a temporary module that uses the repository at root, for linux/goarch,
// with an empty build cache. The package's dependencies (templates,
// cilium/ebpf) are built first, so that the figure is the generated code's.
func coldBuild(root, tmp, src, goarch string) (usage, error) {
	mod := filepath.Join(tmp, "buildmod")
	if err := os.MkdirAll(filepath.Join(mod, "vmlinux"), 0o755); err != nil {
		return usage{}, err
	}
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return usage{}, err
	}
	var b strings.Builder
	b.WriteString("module benchcmp.test\n\n")
	for line := range strings.SplitSeq(string(goMod), "\n") {
		if !strings.HasPrefix(line, "module ") {
			b.WriteString(line + "\n")
		}
	}
	b.WriteString("\nrequire github.com/mapgen/mapgen v0.0.0\n\nreplace github.com/mapgen/mapgen => " + root + "\n")
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return usage{}, err
	}
	code, err := os.ReadFile(src)
	if err != nil {
		return usage{}, err
	}
	for path, data := range map[string][]byte{
		"go.mod":             []byte(b.String()),
		"go.sum":             sum,
		"vmlinux/vmlinux.go": code,
	} {
		if err := os.WriteFile(filepath.Join(mod, path), data, 0o644); err != nil {
			return usage{}, err
		}
	}
	cache, err := os.MkdirTemp(tmp, "gocache-")
	if err != nil {
		return usage{}, err
	}
	env := []string{"GOCACHE=" + cache, "GOFLAGS=-mod=mod", "GOWORK=off", "GOOS=linux", "GOARCH=" + goarch, "CGO_ENABLED=0"}
	deps := exec.Command("go", "build", "github.com/mapgen/mapgen/templates")
	deps.Dir, deps.Env = mod, append(os.Environ(), env...)
	if out, err := deps.CombinedOutput(); err != nil {
		return usage{}, fmt.Errorf("building the generated package's dependencies: %w\n%s", err, out)
	}
	return run("", env, mod, "go", "build", "-o", os.DevNull, "./vmlinux")
}
