package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
)

// generateFile is gen.Generate; tests replace it to make internal errors.
var generateFile = gen.Generate

// job is one object and the file generated from it.
type job struct {
	obj    *btfread.Object
	output string // path, or "-" for standard output
	source []byte
	// onDisk is the existing output file, nil if there is none.
	onDisk os.FileInfo
}

// generate reads every object, generates every file in memory, and only
// then writes them (or compares them, with --check), so that bad input
// leaves all outputs untouched.
func generate(cfg *config, stdout, stderr io.Writer) error {
	tuneGC(cfg.objects)
	jobs := make([]*job, len(cfg.objects))
	for i, path := range cfg.objects {
		obj, err := btfread.Open(path)
		if err != nil {
			return err
		}
		for _, w := range obj.Warnings {
			fmt.Fprintf(stderr, "mapgen: warning: %s: %s\n", path, w)
		}
		if obj.Raw && len(cfg.types) == 0 && !cfg.allTypes {
			return fmt.Errorf("%s is raw BTF, which has types but no maps or variables: pass --type NAME for each type you want, or --all-types", path)
		}
		jobs[i] = &job{obj: obj}
	}
	if err := assignOutputs(cfg, jobs); err != nil {
		return err
	}
	// Refuse outputs before the (possibly long) generation; writing checks
	// them again.
	if err := checkOutputs(cfg, jobs); err != nil {
		return err
	}
	if err := comparePair(cfg, jobs); err != nil {
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
		what := "not a Go identifier"
		if token.IsKeyword(pkg) {
			what = "a Go keyword"
		}
		return fmt.Errorf("package name %q is %s", pkg, what)
	}
	for _, j := range jobs {
		opts := gen.Options{
			Package: pkg, Types: cfg.types, AllTypes: cfg.allTypes, Prefix: cfg.prefix,
			Events: cfg.events, MapTypes: cfg.mapTypes,
			Command: cfg.command, Version: headerVersion(),
		}
		if cfg.embed {
			rel, err := embedPath(j)
			if err != nil {
				return err
			}
			opts.Embed = rel
		}
		src, err := generateFile(j.obj, opts)
		var oe *gen.OptionError
		if errors.As(err, &oe) {
			if oe.Key == "" {
				// --prefix, --package, --embed: the flag is wrong
				// whatever the object.
				return fmt.Errorf("%s: %w", cfg.flagOf(oe), oe.Err)
			}
			return fmt.Errorf("%s: %s: %w", j.obj.Path, cfg.flagOf(oe), oe.Err)
		}
		if err != nil {
			return err
		}
		j.source = src
	}
	if cfg.check {
		return check(cfg, jobs, stdout, stderr)
	}
	if len(jobs) == 1 && jobs[0].output == "-" {
		if _, err := stdout.Write(jobs[0].source); err != nil {
			return fmt.Errorf("writing standard output: %w", err)
		}
		return nil
	}
	return writeOutputs(cfg, jobs)
}

// comparePair refuses a bpfel/bpfeb pair made of two different programs:
// their files would declare different types per byte order.
func comparePair(cfg *config, jobs []*job) error {
	if len(jobs) != 2 || jobs[0].obj.ByteOrder == jobs[1].obj.ByteOrder {
		return nil
	}
	a, b := jobs[0].obj, jobs[1].obj
	if err := btfread.ComparePair(a, b); err != nil {
		return err
	}
	switch {
	case cfg.allTypes:
		return btfread.CompareTypes(a, b, nil)
	case len(cfg.types) > 0:
		return btfread.CompareTypes(a, b, cfg.types)
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
		key := outputKey(j.output)
		if prev, dup := seen[key]; dup {
			return fmt.Errorf("%s and %s would both be written to %s", prev, j.obj.Path, j.output)
		}
		seen[key] = j.obj.Path
	}
	return nil
}

// outputKey identifies an output path: absolute, its directory with
// symbolic links resolved where it exists, so that two spellings of one
// file compare equal.
func outputKey(path string) string {
	if path == "-" {
		return path
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

// embedPath is the object's path relative to the output's directory, as
// the embed directive needs it: inside that directory.
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

// flagOf spells the command-line flag behind a gen option, as the user gave
// it.
func (cfg *config) flagOf(oe *gen.OptionError) string {
	switch oe.Option {
	case "Events":
		return fmt.Sprintf("--event %s=%s", oe.Key, cfg.events[oe.Key])
	case "MapTypes":
		b := cfg.mapTypes[oe.Key]
		return fmt.Sprintf("--map-type %s=%s,%s", oe.Key, b.Key, b.Value)
	case "Types":
		return "--type " + oe.Key
	case "Prefix":
		return "--prefix"
	case "Package":
		return "--package"
	case "Embed":
		return "--embed"
	}
	return oe.Option
}
