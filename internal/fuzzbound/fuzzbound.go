// Package fuzzbound bounds the time and memory one input of a fuzz target
// may take, so that a fuzz target fails on an input that hangs mapgen or
// makes it allocate without bound, not only on one that panics.
//
// Fuzz targets call Input at the start of each input:
//
//	defer fuzzbound.Input(t, "FuzzOpen", 30*time.Second, 256<<20)()
//
// A hang cannot be failed from the hung goroutine: the watchdog panics
// from a goroutine of its own, which ends the fuzzing worker, and the
// fuzzing engine then keeps the input as a crasher (testdata/fuzz/FuzzX).
// Memory is the bytes allocated while the input ran (runtime/metrics
// /gc/heap/allocs:bytes), which bounds the input's peak heap from above.
// It is exact when the worker runs one input at a time, as go test -fuzz
// does in each worker process; other goroutines of the test binary
// allocating at the same time would count too, which only makes the check
// stricter.
package fuzzbound

import (
	"fmt"
	"runtime/metrics"
	"testing"
	"time"
)

const allocs = "/gc/heap/allocs:bytes"

// allocated returns the bytes allocated on the heap since the program
// started.
func allocated() uint64 {
	s := []metrics.Sample{{Name: allocs}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		panic("fuzzbound: runtime/metrics has no " + allocs)
	}
	return s[0].Value.Uint64()
}

// Input arms a watchdog that ends the process if the input runs longer
// than timeout, and notes the allocation count. The returned function,
// deferred by the caller, disarms the watchdog and fails t if the input
// allocated more than maxAlloc bytes.
func Input(t testing.TB, target string, timeout time.Duration, maxAlloc uint64) (done func()) {
	t.Helper()
	start := allocated()
	watchdog := time.AfterFunc(timeout, func() {
		panic(fmt.Sprintf("%s: input still running after %v: a hang", target, timeout))
	})
	return func() {
		watchdog.Stop()
		if n := allocated() - start; n > maxAlloc {
			t.Errorf("%s: input allocated %d bytes, more than the bound of %d", target, n, maxAlloc)
		}
	}
}

// Allocated runs f and returns the bytes it allocated, for tests that
// measure a bound.
func Allocated(f func()) uint64 {
	start := allocated()
	f()
	return allocated() - start
}
