// Command mapgen generates Go types and typed map wrappers from the BTF of
// compiled eBPF objects, exact to the byte on every Go target.
//
// Usage:
//
//	mapgen [flags] OBJECT...
//	mapgen version
//	mapgen layout [flags] OBJECT|BTF [TYPE...]
//	mapgen verify [flags] OBJECT|BTF PACKAGE...
//
// Typical use is a go:generate line beside the eBPF program:
//
//	//go:generate mapgen -o counter.go counter_bpfel.o counter_bpfeb.o
//
// Exit status:
//
//	0  success; with --check, the files on disk are up to date
//	1  --check found a difference (a missing output file is one)
//	2  bad usage or bad input, or an output mapgen will not replace
//	3  internal error, a bug in mapgen: "mapgen bug: ...; please report it"
//
// What mapgen never writes: anything but regular files (or standard output
// for -o -); over one of its inputs; over a symbolic link (it would replace
// the link, not the file it points to); over a non-empty file that mapgen did
// not generate, unless --force; any file at all with --check, or when any
// output of the run fails. It writes every output to a temporary file
// (.mapgen-PID-N.tmp in the output's directory) and renames all of them
// only when all are written, so outputs are never half-written and a run
// with two outputs replaces both or neither. Concurrent runs rename into a
// directory one at a time (a flock on the directory), so both files of a
// pair come from one run. Killed by SIGINT, SIGTERM or
// SIGHUP, it removes its temporary files and dies of the same signal; a
// later run removes those left by a process that is gone (SIGKILL).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/mapgen/mapgen/gen"
)

func main() {
	// A reader that stops early (--check ... | head) must not kill mapgen
	// with SIGPIPE: the exit status would then say nothing of what --check
	// found (and go tool turns the signal into status 0). Writes to a
	// closed pipe fail with EPIPE instead, which run handles.
	signal.Ignore(syscall.SIGPIPE)
	stop := cleanUpOnSignals()
	code := run(os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK       = 0
	exitDiffer   = 1
	exitBad      = 2
	exitInternal = 3
)

// errDiffer reports that --check found a difference; the diff is already
// printed.
var errDiffer = errors.New("outputs differ")

// run is the whole command, testable without a process.
func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		// A panic anywhere in generation is a bug in mapgen, not bad
		// input: say so, and let scripts tell the two apart.
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "mapgen bug: panic: %s; please report it\n%s", firstLine(fmt.Sprint(r)), debug.Stack())
			code = exitInternal
		}
	}()
	if len(args) > 0 && args[0] == "layout" {
		return runLayout(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "verify" {
		return runVerify(args[1:], stdout, stderr)
	}
	if len(args) == 2 && args[0] == "help" && (args[1] == "layout" || args[1] == "verify") {
		// mapgen help SUBCOMMAND is SUBCOMMAND's --help.
		return run([]string{args[1], "--help"}, stdout, stderr)
	}
	cfg, err := parseArgs(args)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "mapgen: %s (see mapgen --help)\n", firstLine(err.Error()))
		return exitBad
	case cfg.help:
		fmt.Fprint(stdout, usage())
		return exitOK
	case cfg.version:
		fmt.Fprintln(stdout, versionLine())
		return exitOK
	}
	return exitStatus(generate(cfg, stdout, stderr), stderr)
}

// exitStatus prints the error of a run, if any, and returns the exit status.
func exitStatus(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errDiffer):
		return exitDiffer
	case errors.Is(err, gen.ErrInternal):
		msg := strings.Replace(firstLine(err.Error()), gen.ErrInternal.Error()+": ", "", 1)
		fmt.Fprintf(stderr, "mapgen bug: %s; please report it\n", msg)
		return exitInternal
	}
	fmt.Fprintf(stderr, "mapgen: %s\n", firstLine(err.Error()))
	return exitBad
}

// maxMessage bounds an error line: a message is one line naming the file
// and what is wrong, never a dump of generated source.
const maxMessage = 4096

// firstLine returns the first line of s, at most maxMessage bytes.
func firstLine(s string) string {
	s, _, cut := strings.Cut(s, "\n")
	if len(s) > maxMessage {
		n := maxMessage
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s, cut = s[:n], true
	}
	if cut {
		s += " [...]"
	}
	return s
}
