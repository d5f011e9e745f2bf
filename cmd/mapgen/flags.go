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
	force    bool
	check    bool
	help     bool
	version  bool
	// command is the command line for the header of generated files.
	command []string
}

const usageHead = `Usage:
  mapgen [flags] OBJECT...
  mapgen layout [flags] OBJECT|BTF [TYPE...]   (mapgen layout --help)
  mapgen verify [flags] OBJECT|BTF PACKAGE...  (mapgen verify --help)
  mapgen version

mapgen reads the BTF of compiled eBPF objects (or a raw BTF blob such as
/sys/kernel/btf/vmlinux) and writes Go whose types match the C layout byte for
byte on every Go target of the object's byte order.

Given the bpfel and bpfeb objects of one program, it writes one file for each,
selected by build constraints, with identical types; it refuses a pair that
does not declare the same maps, variables and types.

Flags:
`

const usageTail = `
Exit status: 0 success (with --check: up to date), 1 --check found a
difference, 2 bad usage or input or an output mapgen will not replace,
3 internal error (a bug in mapgen; please report it).

mapgen writes only regular files (or standard output), never over an input,
a symbolic link or a file it did not generate (unless --force), and writes
nothing with --check or when any output of the run fails.
`

// examples holds one example per flag, shown by --help.
var examples = map[string]string{
	"output":    "mapgen -o counter.go counter_bpfel.o counter_bpfeb.o",
	"package":   "mapgen -p probes counter_bpfel.o",
	"type":      "mapgen --type flow_key --type flow_counters counter_bpfel.o",
	"all-types": "mapgen --all-types -p vmlinux -o vmlinux.go /sys/kernel/btf/vmlinux",
	"prefix":    "mapgen --prefix Counter counter_bpfel.o",
	"event":     "mapgen --event events=flow_event counter_bpfel.o",
	"map-type":  "mapgen --map-type legacy_hash=legacy_key,legacy_val legacy_bpfel.o",
	"embed":     "mapgen --embed -o counter.go counter_bpfel.o counter_bpfeb.o",
	"force":     "mapgen --force -o main.go counter_bpfel.o",
	"check":     "mapgen --check -o counter.go counter_bpfel.o counter_bpfeb.o",
	"version":   "mapgen --version",
	"help":      "mapgen --help",
}

// newFlagSet declares the flags into cfg; events and mapTypes receive the
// raw MAP=... arguments.
func newFlagSet(cfg *config, events, mapTypes *[]string) *pflag.FlagSet {
	fs := pflag.NewFlagSet("mapgen", pflag.ContinueOnError)
	// Errors are reported by run, help is printed by run on stdout.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false
	fs.StringVarP(&cfg.output, "output", "o", "", "write to `FILE` (- for standard output); with objects of both byte orders, _bpfel/_bpfeb is added before .go (default: OBJECT with .go in place of .o)")
	fs.StringVarP(&cfg.pkg, "package", "p", "", "Go package `NAME` (default: $GOPACKAGE when the output goes to the current directory, else the package already in the output directory, else the directory's name)")
	fs.StringArrayVar(&cfg.types, "type", nil, "also emit the C type `NAME` (struct, union, enum or typedef); repeatable")
	fs.BoolVar(&cfg.allTypes, "all-types", false, "emit every named struct, union and enum of the BTF")
	fs.StringVar(&cfg.prefix, "prefix", "", "start every package-level name with `PREFIX`, so that several objects can share a package")
	fs.StringArrayVar(events, "event", nil, "decode records of ring buffer or perf event array MAP as C type TYPE (`MAP=TYPE`); repeatable")
	fs.StringArrayVar(mapTypes, "map-type", nil, "bind a map whose definition has no BTF types to C types (`MAP=KEY,VALUE`; leave one empty to keep bytes); repeatable")
	fs.BoolVar(&cfg.embed, "embed", false, "embed the object with go:embed and generate Load, LoadWith and LoadSpec (the object must be in the output directory or below)")
	fs.BoolVar(&cfg.force, "force", false, "replace an output file even if mapgen did not generate it (never an input, a link or a special file)")
	fs.BoolVar(&cfg.check, "check", false, "write nothing; print a unified diff of what would change on stdout and exit 1 if anything would")
	fs.BoolVar(&cfg.version, "version", false, "print mapgen's version and exit")
	fs.BoolVarP(&cfg.help, "help", "h", false, "print this help and exit")
	return fs
}

// usage is the text of --help.
func usage() string {
	var b strings.Builder
	b.WriteString(usageHead)
	newFlagSet(&config{}, new([]string), new([]string)).VisitAll(func(f *pflag.Flag) {
		arg, text := pflag.UnquoteUsage(f)
		if f.Shorthand != "" {
			fmt.Fprintf(&b, "  -%s, ", f.Shorthand)
		} else {
			b.WriteString("      ")
		}
		fmt.Fprintf(&b, "--%s", f.Name)
		if arg != "" && f.Value.Type() != "bool" {
			b.WriteString(" " + arg)
		}
		b.WriteString("\n")
		for _, l := range wrap(text, 70) {
			b.WriteString("        " + l + "\n")
		}
		if ex := examples[f.Name]; ex != "" {
			b.WriteString("        e.g. " + ex + "\n")
		}
	})
	b.WriteString(usageTail)
	return b.String()
}

// wrap breaks text into lines of at most width bytes at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

func parseArgs(args []string) (*config, error) {
	cfg := &config{}
	if len(args) > 0 && (args[0] == "version" || args[0] == "help") {
		// Subcommands; an object file of that name is still reachable as
		// ./version.
		if len(args) > 1 {
			return nil, fmt.Errorf("%s takes no arguments", args[0])
		}
		cfg.version, cfg.help = args[0] == "version", args[0] == "help"
		return cfg, nil
	}
	var events, mapTypes []string
	fs := newFlagSet(cfg, &events, &mapTypes)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if cfg.help || cfg.version {
		return cfg, nil
	}
	var err error
	if cfg.events, err = parseBindings(eventFlag, events, func(v string) (string, error) { return v, nil }); err != nil {
		return nil, err
	}
	if cfg.mapTypes, err = parseBindings(mapTypeFlag, mapTypes, func(v string) (gen.MapBinding, error) {
		key, value, ok := strings.Cut(v, ",")
		if !ok || strings.Contains(value, ",") || (key == "" && value == "") {
			return gen.MapBinding{}, fmt.Errorf("want KEY,VALUE, got %q", v)
		}
		return gen.MapBinding{Key: key, Value: value}, nil
	}); err != nil {
		return nil, err
	}
	cfg.objects = fs.Args()
	cfg.command = commandLine(args)
	if len(cfg.objects) == 0 {
		return nil, errors.New("no OBJECT given")
	}
	if cfg.check && cfg.output == "-" {
		return nil, errors.New("--check compares files on disk; -o - names none")
	}
	return cfg, nil
}

// bindingFlag names the parts of a repeatable NAME=VALUE flag, so that its
// errors use the flag's own words.
type bindingFlag struct {
	// flag is the flag, "--event"; syntax its argument, "MAP=TYPE";
	// example one argument, "events=flow_event".
	flag, syntax, example string
	// key says what NAME is: "map", "Go type".
	key string
}

var (
	eventFlag   = bindingFlag{flag: "--event", syntax: "MAP=TYPE", example: "events=flow_event", key: "map"}
	mapTypeFlag = bindingFlag{flag: "--map-type", syntax: "MAP=KEY,VALUE", example: "legacy_hash=legacy_key,legacy_val", key: "map"}
	pairFlag    = bindingFlag{flag: "--pair", syntax: "GOTYPE=CTYPE", example: `FlowKey="struct flow_key"`, key: "Go type"}
)

// parseBindings parses the arguments of a repeated NAME=VALUE flag.
func parseBindings[V any](b bindingFlag, args []string, parse func(string) (V, error)) (map[string]V, error) {
	out := make(map[string]V)
	for _, a := range args {
		name, v, ok := strings.Cut(a, "=")
		if !ok || name == "" || v == "" {
			return nil, fmt.Errorf("%s %q: want %s, e.g. %s", b.flag, a, b.syntax, b.example)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("%s: %s %s given twice", b.flag, b.key, name)
		}
		pv, err := parse(v)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", b.flag, name, err)
		}
		out[name] = pv
	}
	return out, nil
}
