// Command mapgen generates Go types and typed map wrappers from the BTF of
// compiled eBPF objects, exact to the byte on every Go target.
//
// Usage:
//
//	mapgen [flags] OBJECT...
//
// Typical use is a go:generate line beside the eBPF program:
//
//	//go:generate mapgen -o counter_bpfel.go counter_bpfel.o
//
// Exit status is 0 on success and 2 on bad usage or bad input; an existing
// output file is never left half-written.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK  = 0
	exitBad = 2
)

// run is the whole command, testable without a process.
func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(args, stderr)
	if err == errHelp {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "mapgen: %v\n", err)
		return exitBad
	}
	if err := generate(cfg, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "mapgen: %v\n", err)
		return exitBad
	}
	return exitOK
}
