package templates

import "github.com/cilium/ebpf"

// PerfEventArray is a BPF_MAP_TYPE_PERF_EVENT_ARRAY whose samples are
// events of type E.
type PerfEventArray[E any] struct {
	m    *ebpf.Map
	name string
}

// NewPerfEventArray wraps a perf event array whose samples are of type E.
func NewPerfEventArray[E any](name string, m *ebpf.Map) (PerfEventArray[E], error) {
	if err := CheckType(name, m, ebpf.PerfEventArray); err != nil {
		return PerfEventArray[E]{}, err
	}
	return PerfEventArray[E]{m, name}, nil
}

// Map returns the underlying map.
func (p PerfEventArray[E]) Map() *ebpf.Map { return p.m }

// Close closes the underlying map.
func (p PerfEventArray[E]) Close() error { return p.m.Close() }

// NewReader opens a reader with perCPUBuffer bytes (rounded up to pages)
// per CPU that decodes each sample into an E. Close it when done.
func (p PerfEventArray[E]) NewReader(perCPUBuffer int) (*PerfReader[E], error) {
	return NewPerfReader[E](p.name, p.m, perCPUBuffer)
}
