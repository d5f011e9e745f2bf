package templates

import (
	"fmt"
	"runtime"
	"unsafe"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// cilium/ebpf reads and writes per-CPU values only through reflection over
// Go slices and allocates a buffer for every call, and it accepts no
// unsafe.Pointer for them. The per-CPU wrappers therefore issue the three
// element commands themselves; this is the only place this package calls
// bpf() directly.

const (
	cmdMapLookupElem          = 1  // BPF_MAP_LOOKUP_ELEM
	cmdMapUpdateElem          = 2  // BPF_MAP_UPDATE_ELEM
	cmdMapLookupAndDeleteElem = 21 // BPF_MAP_LOOKUP_AND_DELETE_ELEM
	cmdMapUpdateBatch         = 26 // BPF_MAP_UPDATE_BATCH
	errnoENOTSUPP             = unix.Errno(524)
)

// ptrPad is how many bytes a pointer is short of the kernel's __aligned_u64.
const ptrPad = 8 - unsafe.Sizeof(uintptr(0))

// ptrPadBefore is 4 on 32-bit big-endian hosts, where the pointer is the low
// (second) word of the u64, and 0 elsewhere.
const ptrPadBefore = ptrPad * bigEndianInt

// mapElemAttr is the part of union bpf_attr used by the element commands.
// key and value are __aligned_u64 in the kernel; they stay typed pointers
// here, padded to eight bytes in host byte order, so that the garbage
// collector and stack copying see them. (The padding is spelled out inline:
// a zero-size field at the end of a struct would make Go pad the struct.)
type mapElemAttr struct {
	mapFD uint32
	_     uint32
	_     [ptrPadBefore]byte
	key   unsafe.Pointer
	_     [ptrPad - ptrPadBefore]byte
	_     [ptrPadBefore]byte
	value unsafe.Pointer
	_     [ptrPad - ptrPadBefore]byte
	flags uint64
}

var _ [32 - unsafe.Sizeof(mapElemAttr{})]struct{}
var _ [unsafe.Sizeof(mapElemAttr{}) - 32]struct{}

// mapBatchAttr is the part of union bpf_attr used by the batch commands;
// pointers are padded as in mapElemAttr.
type mapBatchAttr struct {
	_         [ptrPadBefore]byte
	inBatch   unsafe.Pointer
	_         [ptrPad - ptrPadBefore]byte
	_         [ptrPadBefore]byte
	outBatch  unsafe.Pointer
	_         [ptrPad - ptrPadBefore]byte
	_         [ptrPadBefore]byte
	keys      unsafe.Pointer
	_         [ptrPad - ptrPadBefore]byte
	_         [ptrPadBefore]byte
	values    unsafe.Pointer
	_         [ptrPad - ptrPadBefore]byte
	count     uint32
	mapFD     uint32
	elemFlags uint64
	flags     uint64
}

var _ [56 - unsafe.Sizeof(mapBatchAttr{})]struct{}
var _ [unsafe.Sizeof(mapBatchAttr{}) - 56]struct{}

// mapUpdateBatch stores count keys and values (in the kernel's layout) in
// m and returns how many it stored.
func mapUpdateBatch(m *ebpf.Map, keys, values unsafe.Pointer, count uint32, elemFlags, flags uint64) (int, error) {
	attr := mapBatchAttr{
		keys:      keys,
		values:    values,
		count:     count,
		mapFD:     uint32(m.FD()),
		elemFlags: elemFlags,
		flags:     flags,
	}
	_, _, errno := unix.Syscall(unix.SYS_BPF, cmdMapUpdateBatch, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr))
	runtime.KeepAlive(m)
	if errno == 0 {
		return int(attr.count), nil
	}
	return int(attr.count), mapErr(cmdMapUpdateBatch, m, errno)
}

var opNames = map[uintptr]string{
	cmdMapLookupElem:          "lookup",
	cmdMapUpdateElem:          "update",
	cmdMapLookupAndDeleteElem: "lookup and delete",
	cmdMapUpdateBatch:         "batch update",
}

// mapElem runs cmd on m. key and value must stay valid for the call; they
// may point to the stack (see noescape).
func mapElem(cmd uintptr, m *ebpf.Map, key, value unsafe.Pointer, flags uint64) error {
	attr := mapElemAttr{
		mapFD: uint32(m.FD()),
		key:   key,
		value: value,
		flags: flags,
	}
	_, _, errno := unix.Syscall(unix.SYS_BPF, cmd, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr))
	runtime.KeepAlive(m) // the fd must not be closed by a finalizer mid-call
	if errno == 0 {
		return nil
	}
	return mapErr(cmd, m, errno)
}

// mapErr turns errno into the errors cilium/ebpf returns, so that errors.Is
// works the same on every wrapper.
func mapErr(cmd uintptr, m *ebpf.Map, errno unix.Errno) error {
	switch errno {
	case unix.ENOENT:
		return errKeyNotExist
	case unix.EEXIST:
		return errKeyExist
	case errnoENOTSUPP:
		return fmt.Errorf("%s %s: %w", opNames[cmd], m, ebpf.ErrNotSupported)
	}
	return fmt.Errorf("%s %s: %w", opNames[cmd], m, errno)
}

// Preallocated so that the common "not found" outcome does not allocate.
var (
	errKeyNotExist = fmt.Errorf("%w", ebpf.ErrKeyNotExist)
	errKeyExist    = fmt.Errorf("%w", ebpf.ErrKeyExist)
)
