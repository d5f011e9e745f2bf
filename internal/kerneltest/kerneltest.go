// Package kerneltest gates tests that need the bpf() system call.
//
// Tests that create maps or load programs call [Require] first. Where bpf()
// is not permitted (not root, no CAP_BPF, unprivileged BPF disabled, a
// seccomp filter, a non-Linux OS), the test is skipped with a message saying
// why. Continuous integration, where the kernel tests must run, sets
// MAPGEN_REQUIRE_KERNEL=1: every would-be skip then fails the test instead.
package kerneltest

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/rlimit"
)

// EnvRequire is the environment variable that turns skips into failures when
// set to "1".
const EnvRequire = "MAPGEN_REQUIRE_KERNEL"

var probe = sync.OnceValue(func() error {
	if runtime.GOOS != "linux" {
		return fmt.Errorf("bpf() needs Linux, this is %s", runtime.GOOS)
	}
	// Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK.
	if err := rlimit.RemoveMemlock(); err != nil {
		return fmt.Errorf("remove memlock rlimit: %w", err)
	}
	m, err := ebpf.NewMap(&ebpf.MapSpec{
		Name:       "kerneltest",
		Type:       ebpf.Array,
		KeySize:    4,
		ValueSize:  4,
		MaxEntries: 1,
	})
	if err != nil {
		hint := ""
		if os.Geteuid() != 0 {
			hint = " (not running as root; CAP_BPF is required)"
		}
		return fmt.Errorf("bpf() is not permitted%s: create array map: %w", hint, err)
	}
	return m.Close()
})

// Available reports whether bpf() can be used by this process, and if not,
// why not. The probe runs once per process.
func Available() error { return probe() }

// Require skips t when bpf() is not permitted, or fails it when
// MAPGEN_REQUIRE_KERNEL=1 is set.
func Require(tb testing.TB) {
	tb.Helper()
	err := probe()
	if err == nil {
		return
	}
	Skip(tb, err.Error())
}

// Skip skips tb with msg, or fails it with msg when MAPGEN_REQUIRE_KERNEL=1.
// Use it for kernel features beyond plain bpf() (e.g. errors wrapping
// [ebpf.ErrNotSupported]) so that CI notices a missing feature.
func Skip(tb testing.TB, msg string) {
	tb.Helper()
	if os.Getenv(EnvRequire) == "1" {
		tb.Fatalf("kernel test cannot run (%s=1): %s", EnvRequire, msg)
	}
	tb.Skipf("skipping kernel test: %s (set %s=1 to fail instead)", msg, EnvRequire)
}

// SkipIfNotSupported skips (or, under MAPGEN_REQUIRE_KERNEL=1, fails) tb if
// err wraps [ebpf.ErrNotSupported], and returns otherwise.
func SkipIfNotSupported(tb testing.TB, err error) {
	tb.Helper()
	if errors.Is(err, ebpf.ErrNotSupported) {
		Skip(tb, err.Error())
	}
}
