//go:build !linux

package templates

import (
	"fmt"
	"unsafe"

	"github.com/cilium/ebpf"
)

const (
	cmdMapLookupElem          = 1
	cmdMapUpdateElem          = 2
	cmdMapLookupAndDeleteElem = 21
)

var (
	errKeyNotExist = fmt.Errorf("%w", ebpf.ErrKeyNotExist)
	errKeyExist    = fmt.Errorf("%w", ebpf.ErrKeyExist)
)

// mapUpdateBatch is only implemented on Linux.
func mapUpdateBatch(m *ebpf.Map, keys, values unsafe.Pointer, count uint32, elemFlags, flags uint64) (int, error) {
	return 0, fmt.Errorf("per-CPU map %s: %w", m, ebpf.ErrNotSupported)
}

// mapElem is only implemented on Linux; the per-CPU wrappers report
// ErrNotSupported elsewhere.
func mapElem(cmd uintptr, m *ebpf.Map, key, value unsafe.Pointer, flags uint64) error {
	return fmt.Errorf("per-CPU map %s: %w", m, ebpf.ErrNotSupported)
}
