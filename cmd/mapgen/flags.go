package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

// config is what the command line asks for.
type config struct {
	objects  []string
	output   string
	pkg      string
	types    []string
	allTypes bool
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
	cfg.objects = fs.Args()
	if len(cfg.objects) == 0 {
		return nil, errors.New("no OBJECT given (see mapgen -h)")
	}
	return cfg, nil
}
