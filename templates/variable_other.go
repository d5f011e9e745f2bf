//go:build !linux

package templates

import (
	"fmt"

	"github.com/cilium/ebpf"
)

// mapSection maps a data section's map on Linux only; elsewhere variables
// go through cilium/ebpf's Variable.
func mapSection(m *ebpf.Map) (*mapping, bool, error) {
	return nil, false, fmt.Errorf("map %s: %w", m, ebpf.ErrNotSupported)
}
