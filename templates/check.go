package templates

import (
	"fmt"
	"reflect"
	"slices"
	"unsafe"

	"github.com/cilium/ebpf"
)

// SizeError reports that a kernel map's key or value size differs from the
// size of the Go type used for it.
type SizeError struct {
	Map    string // map name, as declared in the eBPF object
	What   string // "key" or "value"
	Kernel uint32 // size in the kernel, in bytes (per CPU for per-CPU maps)
	Go     uintptr
	GoType string // name of the Go type
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("map %q: %s size: kernel has %d bytes, Go type %s has %d",
		e.Map, e.What, e.Kernel, e.GoType, e.Go)
}

// TypeError reports that a kernel map is not of a kind a wrapper supports.
type TypeError struct {
	Map  string
	Have ebpf.MapType
	Want []ebpf.MapType
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("map %q: kernel map type is %s, want %v", e.Map, e.Have, e.Want)
}

// CheckSizes verifies that m's key and value sizes equal the sizes of K and
// V. For per-CPU maps V is the value of a single CPU, as in the kernel's
// value_size. Errors are of type [*SizeError] and name the map.
func CheckSizes[K, V any](name string, m *ebpf.Map) error {
	if err := checkNil(name, m); err != nil {
		return err
	}
	if err := CheckSize[K](name, "key", m.KeySize()); err != nil {
		return err
	}
	return CheckSize[V](name, "value", m.ValueSize())
}

// CheckSize verifies that T has size kernel bytes; what ("key", "value",
// "record") is used in the [*SizeError].
func CheckSize[T any](name, what string, kernel uint32) error {
	if size := sizeOf[T](); size != uintptr(kernel) {
		return &SizeError{Map: name, What: what, Kernel: kernel, Go: size, GoType: typeName[T]()}
	}
	return nil
}

// CheckType verifies that m is of one of the kinds in want; the error is a
// [*TypeError] naming the map.
func CheckType(name string, m *ebpf.Map, want ...ebpf.MapType) error {
	if err := checkNil(name, m); err != nil {
		return err
	}
	if !slices.Contains(want, m.Type()) {
		return &TypeError{Map: name, Have: m.Type(), Want: want}
	}
	return nil
}

func checkNil(name string, m *ebpf.Map) error {
	if m == nil {
		return fmt.Errorf("map %q: nil *ebpf.Map", name)
	}
	return nil
}

// check combines CheckType and the size checks used by the constructors.
func check(name string, m *ebpf.Map, keySize, valueSize func() error, want ...ebpf.MapType) error {
	if err := CheckType(name, m, want...); err != nil {
		return err
	}
	if keySize != nil {
		if err := keySize(); err != nil {
			return err
		}
	}
	if valueSize != nil {
		return valueSize()
	}
	return nil
}

func sizeOf[T any]() uintptr {
	var zero T
	return unsafe.Sizeof(zero)
}

func typeName[T any]() string {
	t := reflect.TypeFor[T]()
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}

// noescape hides p from escape analysis.
//
// cilium/ebpf takes keys and values as `any` and, for anything but an
// unsafe.Pointer, inspects them with reflection; escape analysis is not flow
// sensitive and would move every key and value passed to it onto the heap,
// one allocation per operation. Pointers passed through noescape reach
// cilium/ebpf only as unsafe.Pointer, which it hands to the bpf() system call
// through an attribute struct on the stack and never retains, so hiding them
// is sound; it is the same trick the runtime uses (runtime.noescape).
//
//go:nosplit
func noescape(p unsafe.Pointer) unsafe.Pointer {
	x := uintptr(p)
	return *(*unsafe.Pointer)(unsafe.Pointer(&x))
}

// ptr returns an unsafe.Pointer to *v hidden from escape analysis.
func ptr[T any](v *T) unsafe.Pointer { return noescape(unsafe.Pointer(v)) }
