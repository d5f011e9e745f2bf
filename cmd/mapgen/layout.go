package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/cilium/ebpf/btf"
	"github.com/spf13/pflag"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/layout"
	"github.com/mapgen/mapgen/layout/report"
)

const layoutUsageHead = `Usage:
  mapgen layout [flags] OBJECT|BTF [TYPE...]

mapgen layout reports the C layout of structs and unions as compiled for the
BPF target, read from the BTF of an eBPF object or a raw BTF blob such as
/sys/kernel/btf/vmlinux: members with byte offset, bit offset and size,
holes, bit holes, tail padding, cache-line boundaries and totals, and a
member order that removes avoidable holes, shown as C.

TYPE is a name (flow_key), or a name with its kind (struct flow_key,
union num; one argument, quoted), of a struct, a union or a typedef of one
(sigset_t). Without TYPE, every named struct and union of an object is
reported (none is no error: the report is empty and a note goes to stderr);
a raw BTF blob needs TYPE or --all.

Flags:
`

const layoutUsageTail = `
Exit status: 0 success, 2 bad usage or input (an unknown TYPE is named).
`

// layoutConfig is what the layout command line asks for.
type layoutConfig struct {
	input     string
	types     []string
	format    string
	cacheLine uint32
	row       uint32
	all       bool
	help      bool
}

func newLayoutFlagSet(cfg *layoutConfig) *pflag.FlagSet {
	fs := pflag.NewFlagSet("mapgen layout", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false
	fs.StringVar(&cfg.format, "format", "text", "output `FORMAT`: text, json, svg (a picture of the bytes) or html (every type on one page)")
	fs.Uint32Var(&cfg.cacheLine, "cacheline", 64, "cache-line size in `BYTES`")
	fs.Uint32Var(&cfg.row, "row", 16, "`BYTES` per row of the svg and html pictures: 8 or 16")
	fs.BoolVar(&cfg.all, "all", false, "report every named struct and union, also of a raw BTF blob")
	fs.BoolVarP(&cfg.help, "help", "h", false, "print this help and exit")
	return fs
}

func layoutUsage() string {
	var b strings.Builder
	b.WriteString(layoutUsageHead)
	b.WriteString(newLayoutFlagSet(&layoutConfig{}).FlagUsages())
	b.WriteString(layoutUsageTail)
	return b.String()
}

// runLayout is `mapgen layout`; args follow the subcommand.
func runLayout(args []string, stdout, stderr io.Writer) int {
	cfg := &layoutConfig{}
	fs := newLayoutFlagSet(cfg)
	err := fs.Parse(args)
	if err == nil && !cfg.help {
		err = cfg.check(fs.Args())
	}
	if err != nil {
		fmt.Fprintf(stderr, "mapgen layout: %s (see mapgen layout --help)\n", firstLine(err.Error()))
		return exitBad
	}
	if cfg.help {
		fmt.Fprint(stdout, layoutUsage())
		return exitOK
	}
	var out bytes.Buffer
	if err := layoutReport(cfg, &out, stderr); err != nil {
		fmt.Fprintf(stderr, "mapgen layout: %s\n", firstLine(err.Error()))
		return exitBad
	}
	// Written in one piece once complete: bad input never leaves half a
	// report behind.
	if _, err := stdout.Write(out.Bytes()); err != nil {
		fmt.Fprintf(stderr, "mapgen layout: writing the report: %s\n", firstLine(err.Error()))
		return exitBad
	}
	return exitOK
}

func (cfg *layoutConfig) check(args []string) error {
	switch cfg.format {
	case "text", "json", "svg", "html":
	default:
		return fmt.Errorf("--format %q: want text, json, svg or html", cfg.format)
	}
	if cfg.row != 8 && cfg.row != 16 {
		return fmt.Errorf("--row %d: want 8 or 16", cfg.row)
	}
	if cfg.cacheLine == 0 || cfg.cacheLine > 1<<20 {
		return fmt.Errorf("--cacheline %d: want 1 to %d bytes", cfg.cacheLine, 1<<20)
	}
	if len(args) == 0 {
		return errors.New("no OBJECT or BTF given")
	}
	cfg.input, cfg.types = args[0], args[1:]
	if cfg.all && len(cfg.types) > 0 {
		return errors.New("--all reports every type; give it no TYPE")
	}
	return nil
}

// layoutReport writes the report cfg asks for to out, and notes to stderr.
func layoutReport(cfg *layoutConfig, out, stderr io.Writer) error {
	obj, err := btfread.Open(cfg.input)
	if err != nil {
		return err
	}
	types, err := selectTypes(obj, cfg)
	if err != nil {
		return err
	}
	if len(types) == 0 {
		// An object without structs (only scalar maps) has nothing to
		// lay out; that is an empty report, not bad input.
		fmt.Fprintf(stderr, "mapgen layout: %s: no named struct or union\n", cfg.input)
	}
	var ls []*report.Layout
	for _, t := range types {
		l, err := report.New(t, report.Options{CacheLine: cfg.cacheLine})
		if err != nil {
			return fmt.Errorf("%s: %s: %w", cfg.input, layout.CType(t), err)
		}
		ls = append(ls, l)
	}
	name := filepath.Base(cfg.input)
	switch cfg.format {
	case "json":
		return report.WriteJSON(out, name, cfg.cacheLine, ls)
	case "svg":
		return report.WriteSVG(out, ls, report.SVGOptions{Row: cfg.row})
	case "html":
		return report.WriteHTML(out, name, ls, report.SVGOptions{Row: cfg.row})
	}
	return report.WriteText(out, ls)
}

// selectTypes returns the structs and unions to report: those cfg names,
// or every named one of the input.
func selectTypes(obj *btfread.Object, cfg *layoutConfig) ([]btf.Type, error) {
	if len(cfg.types) > 0 {
		types, err := report.Lookup(obj.Spec, cfg.types)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cfg.input, err)
		}
		return types, nil
	}
	if obj.Raw && !cfg.all {
		return nil, fmt.Errorf("%s: raw BTF: name the types to report, or give --all for every struct and union", cfg.input)
	}
	types, err := report.Named(obj.Spec)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.input, err)
	}
	return types, nil
}
