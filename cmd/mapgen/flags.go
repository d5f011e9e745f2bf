package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mapgen/mapgen/gen"
)

// config is what the command line asks for.
type config struct {
	objects  []string
	output   string
	pkg      string
	types    []string
	allTypes bool
	prefix   string
	embed    bool
	events   map[string]string
	mapTypes map[string]gen.MapBinding
}

var errHelp = errors.New("help requested")

const usageHead = `Usage: mapgen [flags] OBJECT...

mapgen reads the BTF of compiled eBPF objects (or a raw BTF blob such as
/sys/kernel/btf/vmlinux) and writes Go whose types match the C layout byte for
byte on every Go target of the object's byte order.

Given the bpfel and bpfeb objects of one program, it writes one file for each,
selected by build constraints, with identical types.

Flags:
`

func parseArgs(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := pflag.NewFlagSet("mapgen", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.StringVarP(&cfg.output, "output", "o", "", "write to `FILE` (- for standard output); with objects of both byte orders, _bpfel/_bpfeb is added before .go (default: OBJECT with .go in place of .o)")
	fs.StringVarP(&cfg.pkg, "package", "p", "", "Go package `NAME` (default: the package already in the output directory, else the directory's name)")
	fs.StringArrayVar(&cfg.types, "type", nil, "also emit the C type `NAME` (struct, union, enum or typedef); repeatable")
	fs.BoolVar(&cfg.allTypes, "all-types", false, "emit every named struct, union and enum of the BTF")
	fs.StringVar(&cfg.prefix, "prefix", "", "start every package-level name with `PREFIX`, so that several objects can share a package")
	events := fs.StringArray("event", nil, "decode records of ring buffer or perf event array MAP as C type TYPE (`MAP=TYPE`); repeatable")
	mapTypes := fs.StringArray("map-type", nil, "bind a map whose definition has no BTF types to C types (`MAP=KEY,VALUE`; leave one empty to keep bytes); repeatable")
	fs.BoolVar(&cfg.embed, "embed", false, "embed the object with go:embed and generate Load and LoadSpec (the object must be in the output directory or below)")
	fs.Usage = func() {
		fmt.Fprint(stderr, usageHead)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil, errHelp
		}
		return nil, err
	}
	var err error
	if cfg.events, err = parseBindings("--event", *events, func(v string) (string, error) { return v, nil }); err != nil {
		return nil, err
	}
	if cfg.mapTypes, err = parseBindings("--map-type", *mapTypes, func(v string) (gen.MapBinding, error) {
		key, value, ok := strings.Cut(v, ",")
		if !ok || strings.Contains(value, ",") || (key == "" && value == "") {
			return gen.MapBinding{}, fmt.Errorf("want KEY,VALUE, got %q", v)
		}
		return gen.MapBinding{Key: key, Value: value}, nil
	}); err != nil {
		return nil, err
	}
	cfg.objects = fs.Args()
	if len(cfg.objects) == 0 {
		return nil, errors.New("no OBJECT given (see mapgen -h)")
	}
	return cfg, nil
}

// parseBindings parses repeated MAP=VALUE flags.
func parseBindings[V any](flag string, args []string, parse func(string) (V, error)) (map[string]V, error) {
	out := make(map[string]V)
	for _, a := range args {
		name, v, ok := strings.Cut(a, "=")
		if !ok || name == "" || v == "" {
			return nil, fmt.Errorf("%s %q: want MAP=...", flag, a)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("%s: map %s given twice", flag, name)
		}
		pv, err := parse(v)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", flag, name, err)
		}
		out[name] = pv
	}
	return out, nil
}
