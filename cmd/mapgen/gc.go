package main

import (
	"math"
	"os"
	"runtime/debug"
)

// Garbage collection costs mapgen a quarter of its CPU time at Go's
// defaults on a kernel's BTF: the live heap is small (the BTF, its plan and
// the output: about 130 MiB for 126,000 types) next to what generation
// allocates and drops (800 MiB of jennifer statements, syntax trees and
// formatted text), and GOGC=100 collects whenever the heap doubles. mapgen
// therefore collects at five times the live heap (GOGC=400), capped by a
// soft memory limit of gcLimitPerByte times the size of its inputs, at
// least gcMinLimit: the kernel's BTF generates in less CPU time and in
// less memory (the limit, not GOGC=100, bounds the heap). GOGC and
// GOMEMLIMIT in the environment take precedence.

const (
	gcPercent      = 400
	gcMinLimit     = 256 << 20
	gcLimitPerByte = 40
)

// tuneGC sets the collector for inputs (paths of the objects).
func tuneGC(inputs []string) {
	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(gcPercent)
	}
	if _, ok := os.LookupEnv("GOMEMLIMIT"); ok {
		return
	}
	debug.SetMemoryLimit(gcLimit(inputs))
}

// gcLimit is the soft memory limit for inputs: gcLimitPerByte times their
// total size, at least gcMinLimit. Inputs that are not regular files count
// for nothing (their size is unknown until read).
func gcLimit(inputs []string) int64 {
	var total int64
	for _, path := range inputs {
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
			total += fi.Size()
		}
	}
	if total > math.MaxInt64/gcLimitPerByte {
		return math.MaxInt64
	}
	return max(gcMinLimit, total*gcLimitPerByte)
}
