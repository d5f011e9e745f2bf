//go:build !linux || mips

package templates

import (
	"fmt"
	"time"

	"github.com/cilium/ebpf"
)

// PerfReader is not available on this target: cilium/ebpf's perf package
// does not build here (on GOARCH=mips a perf constant overflows int). The
// type exists so that generated code compiles on every target; creating a
// reader fails with ebpf.ErrNotSupported.
type PerfReader[E any] struct{}

// PerfRecord is one decoded perf sample; see the Linux version.
type PerfRecord[E any] struct {
	Event       E
	CPU         int
	LostSamples uint64
	Remaining   int
}

// NewPerfReader returns ebpf.ErrNotSupported on this target.
func NewPerfReader[E any](name string, m *ebpf.Map, perCPUBuffer int) (*PerfReader[E], error) {
	return nil, fmt.Errorf("map %q: perf reader: %w", name, ebpf.ErrNotSupported)
}

// Read returns ebpf.ErrNotSupported.
func (r *PerfReader[E]) Read() (PerfRecord[E], error) {
	return PerfRecord[E]{}, ebpf.ErrNotSupported
}

// ReadInto returns ebpf.ErrNotSupported.
func (r *PerfReader[E]) ReadInto(rec *PerfRecord[E]) error { return ebpf.ErrNotSupported }

// SetDeadline does nothing.
func (r *PerfReader[E]) SetDeadline(t time.Time) {}

// Close does nothing.
func (r *PerfReader[E]) Close() error { return nil }
