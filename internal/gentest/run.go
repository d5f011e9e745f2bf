package gentest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Running binaries of other GOARCHes.
//
// Tests build test binaries for several GOARCHes and run them with [Run],
// which decides how once per GOARCH and test process:
//
//   - GOARCH is the host's: run the binary.
//   - Otherwise a tiny program is built for GOARCH and executed. Where the
//     host kernel runs it (386 on most amd64 kernels, arm on some arm64
//     ones, any GOARCH with qemu registered in binfmt_misc), binaries of
//     that GOARCH run directly.
//   - Otherwise, where qemu-user has the GOARCH's emulator (qemu-i386,
//     qemu-arm, qemu-aarch64, qemu-s390x, ...; Debian package qemu-user)
//     and it runs the tiny program, binaries run under it (retried when
//     the emulator crashes, for those known to: qemu-i386).
//   - Otherwise the test is skipped with a message saying why; with
//     MAPGEN_REQUIRE_QEMU=1 it fails instead.
//
// Only running is gated: a test builds its binaries, and checks whatever
// needs no running, before it asks how to run them.
//
// # What CI requires
//
// .ci/run sets two variables; each turns a class of skips into failures:
//
//   - MAPGEN_REQUIRE_KERNEL=1 (package internal/kerneltest): tests that
//     need bpf() (map and program round trips against the kernel) fail
//     instead of skipping where bpf() is not permitted or a kernel feature
//     is missing.
//   - MAPGEN_REQUIRE_QEMU=1 ([EnvRequireQemu]): a test binary built for
//     another GOARCH that can run neither natively nor under qemu-user
//     fails instead of skipping.
//
// CI may require every GOARCH to run, 386 included, because `make test`
// installs qemu-user first (Makefile, target deps), and qemu-user has an
// emulator for each GOARCH the tests run: 386 runs natively where the
// kernel has 32-bit support and under qemu-i386 where it has not. Without
// MAPGEN_REQUIRE_QEMU (a developer machine without qemu-user) such runs
// are skipped, and the skip says which binary did not run and why; builds,
// type checks and layout checks for that GOARCH still run.

// EnvRequireQemu names the environment variable that turns "cannot run a
// binary of this GOARCH here" from a skip into a failure (CI sets it).
const EnvRequireQemu = "MAPGEN_REQUIRE_QEMU"

// EnvNoNative names an environment variable holding a comma-separated list
// of GOARCHes this host is to treat as not running natively, as if the
// kernel lacked support for them (MAPGEN_NO_NATIVE=386 reproduces a kernel
// without 32-bit x86 support: 386 binaries then run under qemu-i386).
const EnvNoNative = "MAPGEN_NO_NATIVE"

// qemuFor maps a GOARCH to its qemu-user emulator.
var qemuFor = map[string]string{
	"386":      "qemu-i386",
	"amd64":    "qemu-x86_64",
	"arm":      "qemu-arm",
	"arm64":    "qemu-aarch64",
	"loong64":  "qemu-loongarch64",
	"mips":     "qemu-mips",
	"mipsle":   "qemu-mipsel",
	"mips64":   "qemu-mips64",
	"mips64le": "qemu-mips64el",
	"ppc64":    "qemu-ppc64",
	"ppc64le":  "qemu-ppc64le",
	"riscv64":  "qemu-riscv64",
	"s390x":    "qemu-s390x",
}

// qemuArgs are options for an emulator that Go binaries need. Under
// qemu-i386 (7.2), a Go program dies in about half of its runs with
// "fatal: bad g in signal handler" when the runtime's preemption signal
// arrives; without asynchronous preemption it runs (-E sets a variable in
// the emulated program's environment).
var qemuArgs = map[string][]string{
	"386": {"-E", "GODEBUG=asyncpreemptoff=1"},
}

// probeOutput is what the probe program prints.
const probeOutput = "mapgen probe ok"

// runners caches, per GOARCH, how binaries run on this host.
var runners struct {
	sync.Mutex
	m map[string]*runnerResult
}

type runnerResult struct {
	once   sync.Once
	prefix []string // nil: run the binary itself
	err    error    // why binaries of this GOARCH cannot run here
}

// Runner returns the command prefix that runs a linux/goarch binary on
// this host: none where the host runs it, or a qemu-user emulator. Where
// neither works, tb is skipped, or fails under MAPGEN_REQUIRE_QEMU=1.
func Runner(tb testing.TB, goarch string) []string {
	tb.Helper()
	prefix, err := runnerFor(goarch)
	if err != nil {
		cannotRun(tb, os.Getenv(EnvRequireQemu) == "1", err)
	}
	return prefix
}

// Run runs the linux/goarch binary bin with args in dir ("": the current
// directory), natively or under qemu-user as [Runner] decides, and returns
// its combined output and its command line (for messages). Under an
// emulator known to crash Go programs now and then (see qemuFlaky), a run
// that fails without a test failing ("--- FAIL") is logged and run again,
// three times at most.
func Run(tb testing.TB, goarch, dir, bin string, args ...string) (out []byte, cmdline string, err error) {
	tb.Helper()
	prefix := Runner(tb, goarch)
	argv := append(append(slices.Clone(prefix), bin), args...)
	out, err = runRetrying(tb, argv, dir, len(prefix) > 0 && qemuFlaky[goarch])
	return out, strings.Join(argv, " "), err
}

// qemuFlaky are the GOARCHes whose emulator crashes Go programs now and
// then. qemu-i386 7.2 (Debian 12), even without asynchronous preemption,
// kills about 2% of runs of a hello world and 3% of runs of a test binary
// of this repository with runtime errors such as "morestack on g0", "bad g
// in signal handler" or an uncaught SIGSEGV or SIGTRAP; qemu-arm,
// qemu-aarch64 and qemu-s390x ran 300 of 300.
var qemuFlaky = map[string]bool{"386": true}

// attempts bounds the runs of a binary under a flaky emulator.
const attempts = 3

// runRetrying runs argv in dir; if flaky, a failure without a failing
// test is retried (and logged to tb, if not nil).
func runRetrying(tb testing.TB, argv []string, dir string, flaky bool) ([]byte, error) {
	if tb != nil {
		tb.Helper()
	}
	for attempt := 1; ; attempt++ {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err == nil || !flaky || attempt == attempts || bytes.Contains(out, []byte("--- FAIL")) {
			return out, err
		}
		if tb != nil {
			tb.Logf("%s crashed (run %d of at most %d; the emulator does now and then), running it again: %v\n%s",
				strings.Join(argv, " "), attempt, attempts, err, lastLines(out, 10))
		}
	}
}

// lastLines is the end of out, at most n lines.
func lastLines(out []byte, n int) []byte {
	lines := bytes.SplitAfter(bytes.TrimRight(out, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return bytes.Join(lines, nil)
}

// cannotRun skips tb, or fails it when require is set.
func cannotRun(tb testing.TB, require bool, err error) {
	tb.Helper()
	if require {
		tb.Fatalf("%v (%s=1, so this fails instead of skipping)", err, EnvRequireQemu)
		return
	}
	tb.Skipf("skipping the run: %v (the build and the checks that need no run passed; set %s=1 to fail instead)", err, EnvRequireQemu)
}

func runnerFor(goarch string) ([]string, error) {
	runners.Lock()
	if runners.m == nil {
		runners.m = make(map[string]*runnerResult)
	}
	r := runners.m[goarch]
	if r == nil {
		r = new(runnerResult)
		runners.m[goarch] = r
	}
	runners.Unlock()
	r.once.Do(func() {
		if goarch == runtime.GOARCH && runtime.GOOS == "linux" {
			return // the test binary itself runs here
		}
		var bin string
		var native error
		bin, r.err = buildProbe(goarch)
		if r.err != nil {
			return
		}
		defer os.RemoveAll(filepath.Dir(bin))
		if noNative(goarch) {
			native = fmt.Errorf("%s=%s says this host does not run them", EnvNoNative, os.Getenv(EnvNoNative))
		} else {
			native = runProbe(nil, bin, false)
		}
		r.prefix, r.err = decide(goarch, native, exec.LookPath, func(prefix []string) error {
			return runProbe(prefix, bin, qemuFlaky[goarch])
		})
	})
	return r.prefix, r.err
}

func noNative(goarch string) bool {
	return slices.Contains(strings.Split(os.Getenv(EnvNoNative), ","), goarch)
}

// decide chooses how binaries of goarch run, given the result of running
// one natively (native), a lookup of commands (lookPath) and a way to run
// one under an emulator command (tryQemu).
func decide(goarch string, native error, lookPath func(string) (string, error), tryQemu func(prefix []string) error) ([]string, error) {
	if native == nil {
		return nil, nil
	}
	name, ok := qemuFor[goarch]
	if !ok {
		return nil, fmt.Errorf("this host does not run GOARCH=%s binaries (%v), and no qemu-user emulator is known for %s", goarch, native, goarch)
	}
	path, err := lookPath(name)
	if err != nil {
		return nil, fmt.Errorf("this host does not run GOARCH=%s binaries (%v), and %s is not installed (Debian package qemu-user): %v", goarch, native, name, err)
	}
	prefix := append([]string{path}, qemuArgs[goarch]...)
	if err := tryQemu(prefix); err != nil {
		return nil, fmt.Errorf("this host does not run GOARCH=%s binaries (%v), and %s fails to run one: %v", goarch, native, strings.Join(prefix, " "), err)
	}
	return prefix, nil
}

// buildProbe builds a program that prints probeOutput for linux/goarch,
// in a new temporary directory, and returns the binary's path.
func buildProbe(goarch string) (string, error) {
	dir, err := os.MkdirTemp("", "mapgen-probe-"+goarch+"-")
	if err != nil {
		return "", err
	}
	src := "package main\n\nfunc main() { println(\"" + probeOutput + "\") }\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module probe\n\ngo 1.21\n"), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "probe")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+goarch, "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("building a GOARCH=%s probe program: %v\n%s", goarch, err, out)
	}
	return bin, nil
}

// runProbe runs the probe binary bin (under prefix, retrying if flaky)
// and checks its output.
func runProbe(prefix []string, bin string, flaky bool) error {
	argv := append(slices.Clone(prefix), bin)
	out, err := runRetrying(nil, argv, "", flaky)
	if err != nil {
		if len(out) > 0 {
			return fmt.Errorf("%w: %s", err, lastLines(out, 5))
		}
		return err
	}
	if !bytes.Contains(out, []byte(probeOutput)) {
		return errors.New("the probe program ran but printed " + fmt.Sprintf("%q", out))
	}
	return nil
}
