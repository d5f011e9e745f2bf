package gentest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
)

var errExecFormat = &os.PathError{Op: "fork/exec", Path: "/tmp/x/386.test", Err: syscall.ENOEXEC}

// TestDecide: every way the choice between native, qemu-user and "cannot
// run" can go, with faked exec failures.
func TestDecide(t *testing.T) {
	found := func(name string) (string, error) { return "/usr/bin/" + name, nil }
	missing := func(name string) (string, error) { return "", &exec.Error{Name: name, Err: exec.ErrNotFound} }
	works := func([]string) error { return nil }
	fails := func([]string) error { return errors.New("qemu: uncaught target signal 11") }
	for _, tc := range []struct {
		name     string
		goarch   string
		native   error
		lookPath func(string) (string, error)
		tryQemu  func([]string) error
		want     []string // runner prefix when err is nil
		wantErr  []string // substrings of the error
	}{
		{name: "native", goarch: "386", native: nil, lookPath: missing, tryQemu: fails, want: nil},
		{name: "qemu", goarch: "386", native: errExecFormat, lookPath: found, tryQemu: works, want: []string{"/usr/bin/qemu-i386", "-E", "GODEBUG=asyncpreemptoff=1"}},
		{name: "s390x", goarch: "s390x", native: errExecFormat, lookPath: found, tryQemu: works, want: []string{"/usr/bin/qemu-s390x"}},
		{name: "no qemu", goarch: "386", native: errExecFormat, lookPath: missing, tryQemu: works,
			wantErr: []string{"does not run GOARCH=386", "exec format error", "qemu-i386 is not installed", "qemu-user"}},
		{name: "qemu fails", goarch: "arm", native: errExecFormat, lookPath: found, tryQemu: fails,
			wantErr: []string{"does not run GOARCH=arm", "exec format error", "/usr/bin/qemu-arm fails", "signal 11"}},
		{name: "unknown GOARCH", goarch: "wasm", native: errExecFormat, lookPath: found, tryQemu: works,
			wantErr: []string{"no qemu-user emulator is known for wasm"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decide(tc.goarch, tc.native, tc.lookPath, tc.tryQemu)
			if tc.wantErr == nil {
				if err != nil || !slices.Equal(got, tc.want) {
					t.Fatalf("decide = %q, %v; want %q, nil", got, err, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("decide = %q, nil; want an error", got)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestRunProbe: the probe fails on a binary the host cannot execute, on a
// runner that fails, and on a program that runs but is not the probe.
func TestRunProbe(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage")
	if err := os.WriteFile(garbage, []byte("\x7fELF not really an executable"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := runProbe(nil, garbage, false); err == nil || !errors.Is(err, syscall.ENOEXEC) {
		t.Errorf("runProbe(garbage) = %v, want exec format error", err)
	}
	for _, flaky := range []bool{false, true} {
		if err := runProbe([]string{"false"}, garbage, flaky); err == nil {
			t.Errorf("runProbe under a failing runner passed (flaky %v)", flaky)
		}
	}
	if err := runProbe([]string{"echo"}, garbage, false); err == nil || !strings.Contains(err.Error(), "printed") {
		t.Errorf("runProbe of a program that is not the probe = %v, want an error", err)
	}
}

// TestRunRetrying: under a flaky emulator, a run that crashes is run
// again, at most three times, and each crash is logged; a run whose test
// fails is not; and nothing is retried under a reliable one.
func TestRunRetrying(t *testing.T) {
	dir := t.TempDir()
	count := filepath.Join(dir, "count")
	// A program that crashes (exit 2, no test verdict) on its first n
	// runs, counting them in a file, then passes.
	script := func(n int, crash string) []string {
		return []string{"sh", "-c", fmt.Sprintf(`echo x >> %s; test $(wc -l < %s) -gt %d && echo PASS && exit 0; echo "%s"; exit 2`, count, count, n, crash)}
	}
	runs := func() int {
		b, _ := os.ReadFile(count)
		return strings.Count(string(b), "x")
	}
	for _, tc := range []struct {
		name    string
		n       int // crashing runs before passing
		crash   string
		flaky   bool
		wantErr bool
		runs    int
		logged  int
	}{
		{"flaky, passes on the second run", 1, "fatal: morestack on g0", true, false, 2, 1},
		{"flaky, crashes every run", 5, "fatal: bad g in signal handler", true, true, attempts, attempts - 1},
		{"flaky, a test fails", 5, "--- FAIL: TestDecode", true, true, 1, 0},
		{"reliable, crashes once", 1, "fatal: morestack on g0", false, true, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(count)
			log := &fakeTB{}
			out, err := runRetrying(log, script(tc.n, tc.crash), dir, tc.flaky)
			if (err != nil) != tc.wantErr {
				t.Errorf("err = %v, want error %v; output:\n%s", err, tc.wantErr, out)
			}
			if got := runs(); got != tc.runs {
				t.Errorf("%d runs, want %d", got, tc.runs)
			}
			if len(log.logs) != tc.logged {
				t.Errorf("%d retries logged, want %d: %q", len(log.logs), tc.logged, log.logs)
			}
			for _, l := range log.logs {
				if !strings.Contains(l, tc.crash) {
					t.Errorf("retry log %q lacks the crash output %q", l, tc.crash)
				}
			}
		})
	}
}

// fakeTB records what cannotRun and runRetrying do with a test.
type fakeTB struct {
	testing.TB
	skipped, failed string
	logs            []string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Logf(format string, args ...any) {
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Skipf(format string, args ...any)  { f.skipped = fmt.Sprintf(format, args...) }
func (f *fakeTB) Fatalf(format string, args ...any) { f.failed = fmt.Sprintf(format, args...) }

// TestCannotRun: a binary that cannot run skips the test, and fails it
// under MAPGEN_REQUIRE_QEMU=1, saying why either way.
func TestCannotRun(t *testing.T) {
	why := errors.New("this host does not run GOARCH=386 binaries (exec format error), and qemu-i386 is not installed")
	skip := &fakeTB{}
	cannotRun(skip, false, why)
	if skip.failed != "" || !strings.Contains(skip.skipped, why.Error()) || !strings.Contains(skip.skipped, EnvRequireQemu+"=1") {
		t.Errorf("without %s: skipped %q, failed %q", EnvRequireQemu, skip.skipped, skip.failed)
	}
	fail := &fakeTB{}
	cannotRun(fail, true, why)
	if fail.skipped != "" || !strings.Contains(fail.failed, why.Error()) {
		t.Errorf("with %s=1: skipped %q, failed %q", EnvRequireQemu, fail.skipped, fail.failed)
	}
}

// TestRunner runs the whole gate: the host's GOARCH runs natively, and a
// GOARCH declared not native (as on a kernel without 32-bit support) runs
// under qemu-user or gives the reason it cannot.
func TestRunner(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skipf("builds linux binaries and runs them; this is %s", runtime.GOOS)
	}
	if p, err := runnerFor(runtime.GOARCH); p != nil || err != nil {
		t.Errorf("runnerFor(%s) = %q, %v; want the binary to run itself", runtime.GOARCH, p, err)
	}
	if testing.Short() {
		t.Skip("builds a probe program")
	}
	other := "386"
	if runtime.GOARCH == "386" {
		other = "amd64"
	}
	t.Setenv(EnvNoNative, other)
	saved := runners.m
	runners.m = nil // a fresh cache, without the real decision for other
	t.Cleanup(func() { runners.m = saved })
	p, err := runnerFor(other)
	qemu, lookErr := exec.LookPath(qemuFor[other])
	switch {
	case lookErr != nil:
		if err == nil || !strings.Contains(err.Error(), qemuFor[other]+" is not installed") {
			t.Errorf("without %s: runnerFor(%s) = %q, %v; want an error naming it", qemuFor[other], other, p, err)
		}
	case err != nil || len(p) == 0 || p[0] != qemu:
		t.Errorf("runnerFor(%s) = %q, %v; want %s", other, p, err, qemu)
	}
}
