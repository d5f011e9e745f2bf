package templates

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"unsafe"

	"github.com/cilium/ebpf"
)

// Variable is one global variable of type T of a loaded collection, in
// its data section (.data, .bss, .rodata, ...). Generated NewVariables
// functions make one per variable with [OpenVariable].
//
// Where the section's map is at hand and memory-mappable (cilium/ebpf
// creates data sections so on Linux 5.5 and later), the variable is read
// and written in the map's memory, shared with the programs: Load and
// Store are then atomic for variables of 1, 2, 4 and 8 bytes at offsets
// aligned to their size (see [Variable.Atomic]), so a program's counter
// is never read half-written. Otherwise they go through cilium/ebpf's
// [*ebpf.Variable], a copy that a program's concurrent write can tear.
type Variable[T any] struct {
	name string
	mem  *mapping       // the section's memory, or nil
	off  uint32         // offset of the variable in mem
	v    *ebpf.Variable // without mem
	ro   bool
}

// OpenVariable finds the variable name of type T at offset in the data
// section section: in the section's map, maps[section], if it is there and
// can be memory-mapped, else as vars[name]. Either may be nil. It checks
// that the sizes agree. Like [Open], it stores a failure in *err and does
// nothing once *err is set.
func OpenVariable[T any](err *error, vars map[string]*ebpf.Variable, maps map[string]*ebpf.Map, name, section string, offset uint32) Variable[T] {
	if *err != nil {
		return Variable[T]{}
	}
	return keep[Variable[T]](err)(openVariable[T](vars, maps, name, section, offset))
}

func openVariable[T any](vars map[string]*ebpf.Variable, maps map[string]*ebpf.Map, name, section string, offset uint32) (Variable[T], error) {
	size := uint32(sizeOf[T]())
	if m := maps[section]; m != nil {
		if err := CheckType(section, m, ebpf.Array); err != nil {
			return Variable[T]{}, fmt.Errorf("variable %s: %w", name, err)
		}
		if uint64(offset)+uint64(size) > uint64(m.ValueSize()) {
			return Variable[T]{}, fmt.Errorf("variable %s: %d bytes at offset %d do not fit the %d-byte section %s", name, size, offset, m.ValueSize(), section)
		}
		mem, ro, err := mapSection(m)
		if err == nil {
			return Variable[T]{name: name, mem: mem, off: offset, ro: ro}, nil
		}
		if !errors.Is(err, ebpf.ErrNotSupported) {
			return Variable[T]{}, fmt.Errorf("variable %s: %w", name, err)
		}
	}
	v := vars[name]
	if v == nil {
		return Variable[T]{}, fmt.Errorf("variable %s: not in the collection", name)
	}
	if v.Size() != size {
		return Variable[T]{}, &SizeError{Map: name, What: "variable", Kernel: v.Size(), Go: uintptr(size), GoType: typeName[T]()}
	}
	// cilium/ebpf's Variable fails every access where it has no memory
	// (old kernels): find out now, so that Load need not return an error.
	var probe T
	if err := v.Get(bytesOf(&probe)); err != nil {
		return Variable[T]{}, fmt.Errorf("variable %s: %w", name, err)
	}
	return Variable[T]{name: name, v: v, ro: v.ReadOnly()}, nil
}

// Name returns the variable's C name.
func (v Variable[T]) Name() string { return v.name }

// ReadOnly reports whether Store fails: programs cannot change .rodata,
// so loading freezes it.
func (v Variable[T]) ReadOnly() bool { return v.ro }

// Atomic reports whether Load and Store read and write the whole variable
// at once, as a program sees it.
func (v Variable[T]) Atomic() bool {
	if v.mem == nil {
		return false
	}
	size := sizeOf[T]()
	switch size {
	case 4, 8:
		return uintptr(v.off)%size == 0
	case 1, 2:
		return uintptr(v.off)%4+size <= 4
	}
	return false
}

// Load returns the variable's value.
func (v Variable[T]) Load() T {
	var out T
	if v.mem == nil {
		if err := v.v.Get(bytesOf(&out)); err != nil {
			// OpenVariable checked size and access: this cannot fail.
			panic(fmt.Sprintf("templates: variable %s: %v", v.name, err))
		}
		return out
	}
	dst := bytesOf(&out)
	p := unsafe.Pointer(&v.mem.b[v.off])
	switch {
	case !v.Atomic():
		copy(dst, v.mem.b[v.off:])
	case len(dst) == 8:
		x := atomic.LoadUint64((*uint64)(p))
		copy(dst, bytesOf(&x))
	default:
		// 1, 2 or 4 bytes within one aligned 32-bit word.
		word, shift := v.word()
		x := atomic.LoadUint32(word)
		copy(dst, bytesOf(&x)[shift:])
	}
	runtime.KeepAlive(v.mem)
	return out
}

// Store sets the variable to x. It fails for read-only variables.
func (v Variable[T]) Store(x T) error {
	if v.ro {
		return fmt.Errorf("variable %s: %w", v.name, ebpf.ErrReadOnly)
	}
	src := bytesOf(&x)
	if v.mem == nil {
		if err := v.v.Set(src); err != nil {
			return fmt.Errorf("variable %s: %w", v.name, err)
		}
		return nil
	}
	p := unsafe.Pointer(&v.mem.b[v.off])
	switch {
	case !v.Atomic():
		copy(v.mem.b[v.off:], src)
	case len(src) == 8:
		var w uint64
		copy(bytesOf(&w), src)
		atomic.StoreUint64((*uint64)(p), w)
	case len(src) == 4:
		var w uint32
		copy(bytesOf(&w), src)
		atomic.StoreUint32((*uint32)(p), w)
	default:
		// A program may write the other bytes of the word meanwhile:
		// compare-and-swap keeps them.
		word, shift := v.word()
		for {
			old := atomic.LoadUint32(word)
			w := old
			copy(bytesOf(&w)[shift:], src)
			if atomic.CompareAndSwapUint32(word, old, w) {
				break
			}
		}
	}
	runtime.KeepAlive(v.mem)
	return nil
}

// Swap sets the variable to x and returns its old value at once, so that
// no write of a program falls between (reading and resetting a counter).
// It fails for variables that are read-only or not [Variable.Atomic].
func (v Variable[T]) Swap(x T) (T, error) {
	for {
		old := v.Load()
		swapped, err := v.CompareAndSwap(old, x)
		if err != nil || swapped {
			return old, err
		}
	}
}

// CompareAndSwap sets the variable to new if it holds old, byte for byte,
// and reports whether it did. It fails for variables that are read-only or
// not [Variable.Atomic].
func (v Variable[T]) CompareAndSwap(old, new T) (bool, error) {
	switch {
	case v.ro:
		return false, fmt.Errorf("variable %s: %w", v.name, ebpf.ErrReadOnly)
	case !v.Atomic():
		return false, fmt.Errorf("variable %s: %d bytes at offset %d cannot be changed atomically: %w", v.name, sizeOf[T](), v.off, ebpf.ErrNotSupported)
	}
	o, n := bytesOf(&old), bytesOf(&new)
	var swapped bool
	if len(o) == 8 {
		var ow, nw uint64
		copy(bytesOf(&ow), o)
		copy(bytesOf(&nw), n)
		swapped = atomic.CompareAndSwapUint64((*uint64)(unsafe.Pointer(&v.mem.b[v.off])), ow, nw)
	} else {
		// 1, 2 or 4 bytes within one aligned word: the rest of the word
		// is whatever it holds now, and the swap fails if it changes.
		word, shift := v.word()
		for {
			cur := atomic.LoadUint32(word)
			if string(bytesOf(&cur)[shift:shift+len(o)]) != string(o) {
				break
			}
			w := cur
			copy(bytesOf(&w)[shift:], n)
			if atomic.CompareAndSwapUint32(word, cur, w) {
				swapped = true
				break
			}
		}
	}
	runtime.KeepAlive(v.mem)
	return swapped, nil
}

// word is the aligned 32-bit word holding a variable of 1, 2 or 4 bytes,
// and the variable's byte offset in it.
func (v Variable[T]) word() (*uint32, int) {
	start := v.off &^ 3
	return (*uint32)(unsafe.Pointer(&v.mem.b[start])), int(v.off - start)
}

// bytesOf is the memory of *p as bytes.
func bytesOf[T any](p *T) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), unsafe.Sizeof(*p))
}

// mapping is a data section's map mapped into memory; the mapping goes
// when the last Variable using it does.
type mapping struct {
	b []byte
}
