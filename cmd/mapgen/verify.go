package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/internal/verify"
	"github.com/mapgen/mapgen/layout"
)

// mapgen verify: check Go types written by hand or by bpf2go against the C
// types of an object's BTF, on every GOARCH. The work is in
// internal/verify; this file is its command line.

const verifyUsageHead = `Usage:
  mapgen verify [flags] OBJECT|BTF PACKAGE...

mapgen verify loads the Go PACKAGEs (patterns as the go command takes them)
for each GOARCH, pairs their named types with C types of OBJECT (an eBPF
object, or raw BTF such as /sys/kernel/btf/vmlinux), and compares size,
every field's offset and size, and the class of every value (signed,
unsigned, float, pointer, bool) with BTF. It prints one line per mismatch:

  file:line: GoType.Field (GOARCH,...): what: Go offset X size Y, C offset X size Y

Pairing: --pair GoType=ctype; else a "//mapgen:ctype struct foo" line in the
type's doc comment (or the doc comment mapgen writes); else by name, with
case and underscores ignored (FlowKey is flow_key), after a common prefix
such as bpf2go's stem (counterFlowKey).

Flags:
`

const verifyUsageTail = `
Exit status: 0 every pair matches on every GOARCH, 1 a mismatch, 2 bad usage
or input (not ELF or BTF, a package that does not load, an unknown ctype,
no Go type paired), 3 internal error (a bug in mapgen; please report it).
`

// verifyConfig is what the verify command line asks for.
type verifyConfig struct {
	object   string
	patterns []string
	goarchs  []string
	pairs    map[string]string
	prefix   string
	format   string
	verbose  bool
	help     bool
}

func newVerifyFlagSet(cfg *verifyConfig, pairs *[]string) *pflag.FlagSet {
	fs := pflag.NewFlagSet("mapgen verify", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false
	fs.StringSliceVar(&cfg.goarchs, "goarch", nil, "check on these `GOARCH`es, a comma-separated list (default: all 13 of mapgen's targets, "+allGOARCH()+")")
	fs.StringArrayVar(pairs, "pair", nil, "pair Go type GoType with C type ctype: struct NAME, union NAME, enum NAME or a typedef NAME, optionally #ID (`GoType=ctype`); repeatable")
	fs.StringVar(&cfg.prefix, "prefix", "", "Go names paired by name start with `PREFIX` (default: the prefix that pairs the most types, e.g. bpf2go's stem)")
	fs.StringVar(&cfg.format, "format", "text", "output `FORMAT`: text (one line per mismatch) or json")
	fs.BoolVarP(&cfg.verbose, "verbose", "v", false, "also print every pair and the Go types that paired with no C type, on stderr")
	fs.BoolVarP(&cfg.help, "help", "h", false, "print this help and exit")
	return fs
}

// allGOARCH lists mapgen's targets, comma-separated.
func allGOARCH() string {
	var all []string
	for _, a := range layout.Archs {
		all = append(all, a.GOARCH)
	}
	return strings.Join(all, ",")
}

func verifyUsage() string {
	var b strings.Builder
	b.WriteString(verifyUsageHead)
	b.WriteString(newVerifyFlagSet(&verifyConfig{}, new([]string)).FlagUsagesWrapped(80))
	b.WriteString(verifyUsageTail)
	return b.String()
}

func parseVerifyArgs(args []string) (*verifyConfig, error) {
	cfg := &verifyConfig{}
	var pairs []string
	fs := newVerifyFlagSet(cfg, &pairs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if cfg.help {
		return cfg, nil
	}
	if cfg.format != "text" && cfg.format != "json" {
		return nil, fmt.Errorf("--format %q: want text or json", cfg.format)
	}
	known := make(map[string]bool)
	for _, a := range layout.Archs {
		known[a.GOARCH] = true
	}
	if !fs.Changed("goarch") {
		cfg.goarchs = strings.Split(allGOARCH(), ",")
	}
	if len(cfg.goarchs) == 0 {
		return nil, errors.New("--goarch: empty list")
	}
	for _, g := range cfg.goarchs {
		if !known[g] {
			return nil, fmt.Errorf("--goarch %q: not one of mapgen's targets", g)
		}
	}
	var err error
	if cfg.pairs, err = parseBindings(pairFlag, pairs, func(v string) (string, error) { return v, nil }); err != nil {
		return nil, err
	}
	if fs.NArg() < 2 {
		return nil, errors.New("want OBJECT and at least one PACKAGE")
	}
	cfg.object, cfg.patterns = fs.Arg(0), fs.Args()[1:]
	return cfg, nil
}

// count says "1 pair", "2 pairs".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// runVerify is the verify subcommand.
func runVerify(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseVerifyArgs(args)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "mapgen verify: %s (see mapgen verify --help)\n", firstLine(err.Error()))
		return exitBad
	case cfg.help:
		fmt.Fprint(stdout, verifyUsage())
		return exitOK
	}
	obj, err := btfread.Open(cfg.object)
	if err != nil {
		fmt.Fprintf(stderr, "mapgen verify: %s\n", firstLine(err.Error()))
		return exitBad
	}
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "mapgen verify: %s\n", err)
		return exitBad
	}
	// One GOARCH after the other, so that a package as large as
	// mapgen's output for vmlinux is not held 13 times.
	v := verify.NewVerifier(obj, verify.Options{Pairs: cfg.pairs, Prefix: cfg.prefix, Dir: dir})
	err = verify.LoadEach(dir, cfg.patterns, cfg.goarchs, func(l *verify.Loaded) error {
		if err := l.Err(); err != nil {
			return err
		}
		return v.Add(l)
	})
	var report *verify.Report
	if err == nil {
		report, err = v.Report()
	}
	if err != nil {
		fmt.Fprintf(stderr, "mapgen verify: %s\n", firstLine(err.Error()))
		return exitBad
	}
	if cfg.verbose {
		for _, p := range report.Pairs {
			fmt.Fprintf(stderr, "mapgen verify: %s is %s (by %s)\n", p.GoType, p.CType, p.How)
		}
		for _, u := range report.Unpaired {
			fmt.Fprintf(stderr, "mapgen verify: %s pairs with no C type of %s\n", u, cfg.object)
		}
	}
	if len(report.Pairs) == 0 {
		fmt.Fprintf(stderr, "mapgen verify: no Go type of %s pairs with a C type of %s (use --pair or //mapgen:ctype)\n", strings.Join(cfg.patterns, " "), cfg.object)
		return exitBad
	}
	if cfg.format == "json" {
		err = report.WriteJSON(stdout)
	} else {
		err = report.WriteText(stdout, dir)
	}
	if err != nil {
		fmt.Fprintf(stderr, "mapgen verify: writing the report: %s\n", err)
		return exitBad
	}
	if cfg.verbose {
		fmt.Fprintf(stderr, "mapgen verify: %s on %s (%s), %s\n", count(len(report.Pairs), "pair", "pairs"), count(len(report.GOARCHes), "GOARCH", "GOARCHes"), strings.Join(report.GOARCHes, ","), count(len(report.Mismatches), "mismatch", "mismatches"))
	}
	if len(report.Mismatches) > 0 {
		return exitDiffer
	}
	return exitOK
}
