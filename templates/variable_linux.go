package templates

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// mapSection maps the memory of a data section's map, writable unless
// the map is frozen (.rodata after load), and reports whether it is
// read-only. It fails with ebpf.ErrNotSupported where the map was not
// created memory-mappable.
func mapSection(m *ebpf.Map) (*mapping, bool, error) {
	if m.Flags()&MapFlagMmapable == 0 || m.MaxEntries() != 1 {
		return nil, false, fmt.Errorf("map %s is not memory-mappable: %w", m, ebpf.ErrNotSupported)
	}
	size := (int(m.ValueSize()) + os.Getpagesize() - 1) / os.Getpagesize() * os.Getpagesize()
	ro := false
	b, err := unix.Mmap(m.FD(), 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		// A frozen map (or one programs only read) maps read-only.
		ro = true
		b, err = unix.Mmap(m.FD(), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	}
	if err != nil {
		return nil, false, fmt.Errorf("map %s: mmap: %w", m, err)
	}
	mm := &mapping{b: b}
	runtime.AddCleanup(mm, func(b []byte) { _ = unix.Munmap(b) }, b)
	return mm, ro, nil
}
