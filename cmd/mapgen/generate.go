package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"golang.org/x/tools/go/packages"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
)

// job is one object and the file generated from it.
type job struct {
	obj    *btfread.Object
	output string // path, or "-" for standard output
	source []byte
}

// generate reads every object, generates every file, and only then writes
// them, so that bad input leaves all outputs untouched.
func generate(cfg *config, stdout, stderr io.Writer) error {
	jobs := make([]*job, len(cfg.objects))
	for i, path := range cfg.objects {
		obj, err := btfread.Open(path)
		if err != nil {
			return err
		}
		for _, w := range obj.Warnings {
			fmt.Fprintf(stderr, "mapgen: warning: %s: %s\n", path, w)
		}
		jobs[i] = &job{obj: obj}
	}
	if err := assignOutputs(cfg, jobs); err != nil {
		return err
	}
	pkg := cfg.pkg
	if pkg == "" {
		var err error
		if pkg, err = packageName(jobs[0].output); err != nil {
			return err
		}
	}
	if !token.IsIdentifier(pkg) || pkg == "_" {
		return fmt.Errorf("package name %q is not a Go identifier", pkg)
	}
	for _, j := range jobs {
		opts := gen.Options{
			Package: pkg, Types: cfg.types, AllTypes: cfg.allTypes, Prefix: cfg.prefix,
			Events: cfg.events, MapTypes: cfg.mapTypes,
		}
		if cfg.embed {
			rel, err := embedPath(j)
			if err != nil {
				return err
			}
			opts.Embed = rel
		}
		src, err := gen.Generate(j.obj, opts)
		if err != nil {
			return err
		}
		j.source = src
	}
	for _, j := range jobs {
		if j.output == "-" {
			if _, err := stdout.Write(j.source); err != nil {
				return fmt.Errorf("writing standard output: %w", err)
			}
			continue
		}
		if err := writeAtomic(j.output, j.source); err != nil {
			return err
		}
	}
	return nil
}

// assignOutputs decides each object's output file. Objects of both byte
// orders share -o with a _bpfel/_bpfeb suffix; two outputs may never be the
// same file.
func assignOutputs(cfg *config, jobs []*job) error {
	if cfg.output == "-" && len(jobs) > 1 {
		return fmt.Errorf("-o - writes one file, but %d objects were given", len(jobs))
	}
	seen := make(map[string]string)
	for _, j := range jobs {
		switch {
		case cfg.output == "":
			j.output = strings.TrimSuffix(j.obj.Path, filepath.Ext(j.obj.Path)) + ".go"
		case len(jobs) == 1:
			j.output = cfg.output
		default:
			suffix := "_bpfel"
			if j.obj.ByteOrder == binary.BigEndian {
				suffix = "_bpfeb"
			}
			base := strings.TrimSuffix(cfg.output, ".go")
			base = strings.TrimSuffix(strings.TrimSuffix(base, "_bpfel"), "_bpfeb")
			j.output = base + suffix + ".go"
		}
		if prev, dup := seen[j.output]; dup {
			return fmt.Errorf("%s and %s would both be written to %s", prev, j.obj.Path, j.output)
		}
		seen[j.output] = j.obj.Path
	}
	return nil
}

// packageName finds the package of the directory output goes to: the name
// of the Go package already there, else the directory's name.
func packageName(output string) (string, error) {
	dir := "."
	if output != "-" {
		dir = filepath.Dir(output)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if st, err := os.Stat(abs); err == nil && st.IsDir() {
		pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedFiles, Dir: abs}, ".")
		if err == nil && len(pkgs) == 1 && pkgs[0].Name != "" {
			return pkgs[0].Name, nil
		}
	}
	return sanitizePackage(filepath.Base(abs)), nil
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

// writeAtomic replaces path with data, or leaves it untouched on failure:
// it writes a temporary file in the same directory and renames it.
func writeAtomic(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil // unchanged: keep the modification time for make
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// embedPath is the object's path relative to the output's directory, as
// go:embed needs it: inside that directory.
func embedPath(j *job) (string, error) {
	dir := "."
	if j.output != "-" {
		dir = filepath.Dir(j.output)
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	absObj, err := filepath.Abs(j.obj.Path)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absDir, absObj)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: --embed: the object must be in the output directory %s or below it", j.obj.Path, absDir)
	}
	return filepath.ToSlash(rel), nil
}
