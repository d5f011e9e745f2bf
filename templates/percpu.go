package templates

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/cilium/ebpf"
)

// Per-CPU maps store one value per possible CPU. In the buffers that cross
// the bpf() boundary, the value of CPU i starts at i*stride, where stride is
// value_size rounded up to a multiple of 8 (the kernel's round_up(value_size,
// 8) in bpf_percpu_*_copy), whatever V's alignment. When V's size is already
// a multiple of 8 a []V has exactly that layout and the kernel reads and
// writes it in place; otherwise values go through a pooled scratch buffer.

// perCPU is the state shared by copies of a per-CPU wrapper.
type perCPU struct {
	ncpu   int
	size   uintptr // size of one V
	stride uintptr // size rounded up to 8
	pool   sync.Pool
	// batchPool holds *[]byte buffers of batch operations, grown as needed.
	batchPool sync.Pool
}

func newPerCPU(size uintptr) (*perCPU, error) {
	ncpu, err := ebpf.PossibleCPU()
	if err != nil {
		return nil, err
	}
	pc := &perCPU{ncpu: ncpu, size: size, stride: (size + 7) &^ 7}
	n := int(pc.stride) * ncpu
	pc.pool.New = func() any { b := make([]byte, n); return &b }
	pc.batchPool.New = func() any { return new([]byte) }
	return pc, nil
}

// batchBuf returns a pooled buffer of the kernel's layout for n entries
// (n*ncpu values at stride), for values whose size is not the stride; give
// it back with pc.batchPool.Put.
func (pc *perCPU) batchBuf(n int) *[]byte {
	bufp := pc.batchPool.Get().(*[]byte)
	size := n * pc.ncpu * int(pc.stride)
	if cap(*bufp) < size {
		*bufp = make([]byte, size)
	}
	*bufp = (*bufp)[:size]
	return bufp
}

// asBytes is the memory of values.
func asBytes[V any](values []V) []byte {
	if len(values) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&values[0])), uintptr(len(values))*unsafe.Sizeof(values[0]))
}

// batchLookupPerCPU runs a batch lookup of a per-CPU map. cilium/ebpf
// decodes per-CPU values with reflection, one allocation per entry, unless
// they are handed over as bytes of the kernel's layout: then it lets the
// kernel write them in place. Values whose size is the stride are that
// layout already; others are read into a pooled buffer and copied out.
func batchLookupPerCPU[K, V any](pc *perCPU, lookup func(*ebpf.MapBatchCursor, any, any, *ebpf.BatchOptions) (int, error), cursor *ebpf.MapBatchCursor, keys []K, values []V, opts *ebpf.BatchOptions) (int, error) {
	if len(values) != len(keys)*pc.ncpu {
		return 0, fmt.Errorf("per-CPU batch lookup: %d values for %d keys, need %d per key (one per possible CPU)", len(values), len(keys), pc.ncpu)
	}
	if pc.direct() {
		return lookup(cursor, keys, asBytes(values), opts)
	}
	bufp := pc.batchBuf(len(keys))
	defer pc.batchPool.Put(bufp)
	buf := *bufp
	n, err := lookup(cursor, keys, buf, opts)
	for i := range min(n, len(keys)) * pc.ncpu {
		copy(asBytes(values[i:i+1]), buf[uintptr(i)*pc.stride:])
	}
	return n, err
}

// batchUpdatePerCPU runs BPF_MAP_UPDATE_BATCH on a per-CPU map itself:
// cilium/ebpf encodes per-CPU batch values with reflection, allocating per
// entry, and takes no bytes for them.
func batchUpdatePerCPU[K, V any](pc *perCPU, m *ebpf.Map, keys []K, values []V, opts *ebpf.BatchOptions) (int, error) {
	if len(values) != len(keys)*pc.ncpu {
		return 0, fmt.Errorf("per-CPU batch update: %d values for %d keys, need %d per key (one per possible CPU)", len(values), len(keys), pc.ncpu)
	}
	if len(keys) == 0 {
		return 0, nil
	}
	if sizeOf[K]() != uintptr(m.KeySize()) {
		return 0, fmt.Errorf("per-CPU batch update %s: key type %s has %d bytes, the map's keys %d", m, typeName[K](), sizeOf[K](), m.KeySize())
	}
	var elemFlags, flags uint64
	if opts != nil {
		elemFlags, flags = opts.ElemFlags, opts.Flags
	}
	if pc.direct() {
		return mapUpdateBatch(m, ptr(&keys[0]), ptr(&values[0]), uint32(len(keys)), elemFlags, flags)
	}
	bufp := pc.batchBuf(len(keys))
	defer pc.batchPool.Put(bufp)
	buf := *bufp
	clear(buf)
	for i := range values {
		copy(buf[uintptr(i)*pc.stride:], asBytes(values[i:i+1]))
	}
	return mapUpdateBatch(m, ptr(&keys[0]), ptr(&buf[0]), uint32(len(keys)), elemFlags, flags)
}

// direct reports whether a []V can be handed to the kernel as is.
func (pc *perCPU) direct() bool { return pc.size == pc.stride }

// lookup runs a lookup-like cmd for key into dst, which has at least ncpu
// elements.
func lookupPerCPU[V any](pc *perCPU, m *ebpf.Map, cmd uintptr, key unsafe.Pointer, dst []V, flags uint64) error {
	if len(dst) < pc.ncpu {
		return fmt.Errorf("per-CPU map %s: value slice has %d elements, need one per possible CPU (%d)", m, len(dst), pc.ncpu)
	}
	if pc.direct() {
		return mapElem(cmd, m, key, ptr(&dst[0]), flags)
	}
	bufp := pc.pool.Get().(*[]byte)
	defer pc.pool.Put(bufp)
	buf := *bufp
	if err := mapElem(cmd, m, key, ptr(&buf[0]), flags); err != nil {
		return err
	}
	for i := range pc.ncpu {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&dst[i])), pc.size), buf[uintptr(i)*pc.stride:])
	}
	return nil
}

// updatePerCPU stores values (at most ncpu; missing CPUs get zero) under key.
func updatePerCPU[V any](pc *perCPU, m *ebpf.Map, key unsafe.Pointer, values []V, flags uint64) error {
	if len(values) > pc.ncpu {
		return fmt.Errorf("per-CPU map %s: %d values for %d possible CPUs", m, len(values), pc.ncpu)
	}
	if pc.direct() && len(values) == pc.ncpu {
		return mapElem(cmdMapUpdateElem, m, key, ptr(&values[0]), flags)
	}
	bufp := pc.pool.Get().(*[]byte)
	defer pc.pool.Put(bufp)
	buf := *bufp
	clear(buf)
	for i := range values {
		copy(buf[uintptr(i)*pc.stride:], unsafe.Slice((*byte)(unsafe.Pointer(&values[i])), pc.size))
	}
	return mapElem(cmdMapUpdateElem, m, key, ptr(&buf[0]), flags)
}

// PerCPUHash is a typed BPF_MAP_TYPE_PERCPU_HASH or
// BPF_MAP_TYPE_LRU_PERCPU_HASH: every key has one V per possible CPU, and
// value slices are indexed by CPU number.
type PerCPUHash[K, V any] struct {
	m  *ebpf.Map
	pc *perCPU
}

// NewPerCPUHash wraps a per-CPU or LRU per-CPU hash map, checking its kind
// and that its key size and per-CPU value size match K and V.
func NewPerCPUHash[K, V any](name string, m *ebpf.Map) (PerCPUHash[K, V], error) {
	err := check(name, m,
		func() error { return CheckSize[K](name, "key", m.KeySize()) },
		func() error { return CheckSize[V](name, "value", m.ValueSize()) },
		ebpf.PerCPUHash, ebpf.LRUCPUHash)
	if err != nil {
		return PerCPUHash[K, V]{}, err
	}
	pc, err := newPerCPU(sizeOf[V]())
	if err != nil {
		return PerCPUHash[K, V]{}, fmt.Errorf("map %q: %w", name, err)
	}
	return PerCPUHash[K, V]{m, pc}, nil
}

// Map returns the underlying map.
func (h PerCPUHash[K, V]) Map() *ebpf.Map { return h.m }

// Close closes the underlying map.
func (h PerCPUHash[K, V]) Close() error { return h.m.Close() }

// PossibleCPUs returns the number of values per key.
func (h PerCPUHash[K, V]) PossibleCPUs() int { return h.pc.ncpu }

// Lookup returns the values under k in a new slice, one per possible CPU.
func (h PerCPUHash[K, V]) Lookup(k K) ([]V, error) {
	dst := make([]V, h.pc.ncpu)
	if err := lookupPerCPU(h.pc, h.m, cmdMapLookupElem, ptr(&k), dst, 0); err != nil {
		return nil, err
	}
	return dst, nil
}

// LookupInto stores the values under k into dst[:PossibleCPUs()] without
// allocating. dst must have at least [PerCPUHash.PossibleCPUs] elements.
func (h PerCPUHash[K, V]) LookupInto(k *K, dst []V) error {
	return lookupPerCPU(h.pc, h.m, cmdMapLookupElem, ptr(k), dst, 0)
}

// LookupAndDelete returns the values under k and removes k (Linux 5.14+ for
// hash maps).
func (h PerCPUHash[K, V]) LookupAndDelete(k K) ([]V, error) {
	dst := make([]V, h.pc.ncpu)
	if err := lookupPerCPU(h.pc, h.m, cmdMapLookupAndDeleteElem, ptr(&k), dst, 0); err != nil {
		return nil, err
	}
	return dst, nil
}

// Update stores values[i] as the value of CPU i under k; CPUs beyond
// len(values) get the zero value. len(values) must not exceed
// [PerCPUHash.PossibleCPUs].
func (h PerCPUHash[K, V]) Update(k K, values []V, flags ebpf.MapUpdateFlags) error {
	return updatePerCPU(h.pc, h.m, ptr(&k), values, uint64(flags))
}

// Delete removes k.
func (h PerCPUHash[K, V]) Delete(k K) error {
	return h.m.Delete(ptr(&k))
}

// Sum folds the per-CPU values of k with add, starting from the zero V; for
// example Sum(k, func(a, b Counters) Counters { ... }).
func (h PerCPUHash[K, V]) Sum(k K, add func(acc, v V) V) (V, error) {
	var acc V
	values, err := h.Lookup(k)
	if err != nil {
		return acc, err
	}
	for _, v := range values {
		acc = add(acc, v)
	}
	return acc, nil
}

// Iterate returns an [Iterator] over the entries. Each yielded slice is
// freshly allocated and may be retained. See [Map.Iterate] for the
// semantics under concurrent modification.
func (h PerCPUHash[K, V]) Iterate() *Iterator[K, []V] {
	return newIterator(func(yield func(K, []V) bool) error {
		return walkKeys(h.m, func(k *K) (bool, error) {
			values := make([]V, h.pc.ncpu)
			if err := lookupPerCPU(h.pc, h.m, cmdMapLookupElem, ptr(k), values, 0); err != nil {
				return false, err
			}
			return yield(*k, values), nil
		})
	})
}

// BatchLookup reads up to len(keys) entries; values must have
// len(keys)*PossibleCPUs() elements, the values of entry i at
// values[i*PossibleCPUs():]. See [Map.BatchLookup] for cursor and error
// semantics. Values are read in place where V's size is a multiple of 8,
// and through one pooled buffer otherwise: no reflection over values and no
// allocation per entry.
func (h PerCPUHash[K, V]) BatchLookup(cursor *ebpf.MapBatchCursor, keys []K, values []V, opts *ebpf.BatchOptions) (int, error) {
	return batchLookupPerCPU(h.pc, h.m.BatchLookup, cursor, keys, values, opts)
}

// BatchLookupAndDelete is [PerCPUHash.BatchLookup] that also removes the
// entries it returns.
func (h PerCPUHash[K, V]) BatchLookupAndDelete(cursor *ebpf.MapBatchCursor, keys []K, values []V, opts *ebpf.BatchOptions) (int, error) {
	return batchLookupPerCPU(h.pc, h.m.BatchLookupAndDelete, cursor, keys, values, opts)
}

// BatchUpdate stores the values of entry i, values[i*PossibleCPUs():][:PossibleCPUs()],
// under keys[i], without reflection over values or allocation per entry.
func (h PerCPUHash[K, V]) BatchUpdate(keys []K, values []V, opts *ebpf.BatchOptions) (int, error) {
	return batchUpdatePerCPU(h.pc, h.m, keys, values, opts)
}

// BatchDelete removes keys.
func (h PerCPUHash[K, V]) BatchDelete(keys []K, opts *ebpf.BatchOptions) (int, error) {
	return h.m.BatchDelete(keys, opts)
}

// PerCPUArray is a typed BPF_MAP_TYPE_PERCPU_ARRAY: MaxEntries elements
// indexed by a uint32, each holding one V per possible CPU.
type PerCPUArray[V any] struct {
	m  *ebpf.Map
	pc *perCPU
}

// NewPerCPUArray wraps a per-CPU array, checking its kind and that its
// per-CPU value size matches V.
func NewPerCPUArray[V any](name string, m *ebpf.Map) (PerCPUArray[V], error) {
	err := check(name, m,
		func() error { return CheckSize[uint32](name, "key", m.KeySize()) },
		func() error { return CheckSize[V](name, "value", m.ValueSize()) },
		ebpf.PerCPUArray)
	if err != nil {
		return PerCPUArray[V]{}, err
	}
	pc, err := newPerCPU(sizeOf[V]())
	if err != nil {
		return PerCPUArray[V]{}, fmt.Errorf("map %q: %w", name, err)
	}
	return PerCPUArray[V]{m, pc}, nil
}

// Map returns the underlying map.
func (a PerCPUArray[V]) Map() *ebpf.Map { return a.m }

// Close closes the underlying map.
func (a PerCPUArray[V]) Close() error { return a.m.Close() }

// Len returns the number of elements, the map's MaxEntries.
func (a PerCPUArray[V]) Len() uint32 { return a.m.MaxEntries() }

// PossibleCPUs returns the number of values per element.
func (a PerCPUArray[V]) PossibleCPUs() int { return a.pc.ncpu }

// Lookup returns the values of element i in a new slice, one per possible
// CPU.
func (a PerCPUArray[V]) Lookup(i uint32) ([]V, error) {
	dst := make([]V, a.pc.ncpu)
	if err := lookupPerCPU(a.pc, a.m, cmdMapLookupElem, ptr(&i), dst, 0); err != nil {
		return nil, err
	}
	return dst, nil
}

// LookupInto stores the values of element i into dst[:PossibleCPUs()]
// without allocating.
func (a PerCPUArray[V]) LookupInto(i uint32, dst []V) error {
	return lookupPerCPU(a.pc, a.m, cmdMapLookupElem, ptr(&i), dst, 0)
}

// Update sets the value of CPU c of element i to values[c]; CPUs beyond
// len(values) get the zero value.
func (a PerCPUArray[V]) Update(i uint32, values []V, flags ebpf.MapUpdateFlags) error {
	return updatePerCPU(a.pc, a.m, ptr(&i), values, uint64(flags))
}

// Sum folds the per-CPU values of element i with add, starting from the
// zero V.
func (a PerCPUArray[V]) Sum(i uint32, add func(acc, v V) V) (V, error) {
	var acc V
	values, err := a.Lookup(i)
	if err != nil {
		return acc, err
	}
	for _, v := range values {
		acc = add(acc, v)
	}
	return acc, nil
}

// Iterate returns an [Iterator] over all elements in index order; each
// yielded slice is freshly allocated.
func (a PerCPUArray[V]) Iterate() *Iterator[uint32, []V] {
	return newIterator(func(yield func(uint32, []V) bool) error {
		for i := range a.m.MaxEntries() {
			values, err := a.Lookup(i)
			if err != nil {
				return fmt.Errorf("map %s: element %d: %w", a.m, i, err)
			}
			if !yield(i, values) {
				return nil
			}
		}
		return nil
	})
}

// BatchLookup reads up to len(indices) elements; values must have
// len(indices)*PossibleCPUs() elements. See [PerCPUHash.BatchLookup].
func (a PerCPUArray[V]) BatchLookup(cursor *ebpf.MapBatchCursor, indices []uint32, values []V, opts *ebpf.BatchOptions) (int, error) {
	return batchLookupPerCPU(a.pc, a.m.BatchLookup, cursor, indices, values, opts)
}

// BatchUpdate is the batch form of [PerCPUArray.Update]; see
// [PerCPUHash.BatchUpdate] for the layout of values.
func (a PerCPUArray[V]) BatchUpdate(indices []uint32, values []V, opts *ebpf.BatchOptions) (int, error) {
	return batchUpdatePerCPU(a.pc, a.m, indices, values, opts)
}
