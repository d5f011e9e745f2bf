package templates

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf"
)

// Array is a typed BPF_MAP_TYPE_ARRAY: MaxEntries values of type V indexed
// by a uint32. The kernel fixes array keys at four bytes, so the key is
// always a uint32 index, whatever the C declaration calls it. Every index
// below [Array.Len] always holds a value (initially zero); array elements
// cannot be deleted.
type Array[V any] struct {
	m *ebpf.Map
}

// NewArray wraps an array map, checking its kind and that its value size
// matches V. name is used in errors.
func NewArray[V any](name string, m *ebpf.Map) (Array[V], error) {
	err := check(name, m,
		func() error { return CheckSize[uint32](name, "key", m.KeySize()) },
		func() error { return CheckSize[V](name, "value", m.ValueSize()) },
		ebpf.Array)
	if err != nil {
		return Array[V]{}, err
	}
	return Array[V]{m}, nil
}

// Map returns the underlying map.
func (a Array[V]) Map() *ebpf.Map { return a.m }

// Close closes the underlying map.
func (a Array[V]) Close() error { return a.m.Close() }

// Len returns the number of elements, the map's MaxEntries.
func (a Array[V]) Len() uint32 { return a.m.MaxEntries() }

// Lookup returns element i. An index out of range gives an error wrapping
// [ebpf.ErrKeyNotExist].
func (a Array[V]) Lookup(i uint32) (V, error) {
	var v V
	err := a.m.Lookup(ptr(&i), ptr(&v))
	return v, err
}

// LookupInto stores element i into *v.
func (a Array[V]) LookupInto(i uint32, v *V) error {
	return a.m.Lookup(ptr(&i), ptr(v))
}

// LookupWithFlags is [Array.Lookup] with lookup flags, such as
// [ebpf.LookupLock].
func (a Array[V]) LookupWithFlags(i uint32, flags ebpf.MapLookupFlags) (V, error) {
	var v V
	err := a.m.LookupWithFlags(ptr(&i), ptr(&v), flags)
	return v, err
}

// Update sets element i to v. flags is [ebpf.UpdateAny] or
// [ebpf.UpdateExist], optionally or'ed with [ebpf.UpdateLock];
// [ebpf.UpdateNoExist] always fails since every element exists.
func (a Array[V]) Update(i uint32, v V, flags ebpf.MapUpdateFlags) error {
	return a.m.Update(ptr(&i), ptr(&v), flags)
}

// UpdatePtr is [Array.Update] taking the value by pointer.
func (a Array[V]) UpdatePtr(i uint32, v *V, flags ebpf.MapUpdateFlags) error {
	return a.m.Update(ptr(&i), ptr(v), flags)
}

// Iterate returns an [Iterator] over all elements in index order.
func (a Array[V]) Iterate() *Iterator[uint32, V] {
	return newIterator(a.walk)
}

func (a Array[V]) walk(yield func(uint32, V) bool) error {
	if done, err := walkBatch(a.m, yield); done {
		return err
	}
	var v V
	for i := range a.m.MaxEntries() {
		if err := a.m.Lookup(ptr(&i), ptr(&v)); err != nil {
			return fmt.Errorf("map %s: element %d: %w", a.m, i, err)
		}
		if !yield(i, v) {
			return nil
		}
	}
	return nil
}

// BatchLookup reads up to len(indices) elements; see [Map.BatchLookup].
func (a Array[V]) BatchLookup(cursor *ebpf.MapBatchCursor, indices []uint32, values []V, opts *ebpf.BatchOptions) (int, error) {
	return a.m.BatchLookup(cursor, indices, values, opts)
}

// BatchUpdate sets element indices[i] to values[i] for all i; see
// [Map.BatchUpdate].
func (a Array[V]) BatchUpdate(indices []uint32, values []V, opts *ebpf.BatchOptions) (int, error) {
	return a.m.BatchUpdate(indices, values, opts)
}

// ReadAll reads every element into dst, which must have [Array.Len]
// elements, using batch lookups where the kernel has them and single
// lookups otherwise.
func (a Array[V]) ReadAll(dst []V) error {
	n := a.m.MaxEntries()
	if uint64(len(dst)) != uint64(n) {
		return fmt.Errorf("map %s: ReadAll: dst has %d elements, map has %d", a.m, len(dst), n)
	}
	if n == 0 {
		return nil
	}
	var cursor ebpf.MapBatchCursor
	indices := make([]uint32, n)
	got, err := a.m.BatchLookup(&cursor, indices, dst, nil)
	switch {
	case errors.Is(err, ebpf.ErrNotSupported):
		for i := range n {
			if err := a.m.Lookup(ptr(&i), ptr(&dst[i])); err != nil {
				return fmt.Errorf("map %s: element %d: %w", a.m, i, err)
			}
		}
		return nil
	case err != nil && !errors.Is(err, ebpf.ErrKeyNotExist):
		return err
	case uint32(got) != n:
		return fmt.Errorf("map %s: ReadAll: batch lookup returned %d of %d elements", a.m, got, n)
	}
	for i, idx := range indices {
		if idx != uint32(i) { // never happens for arrays, but be certain
			return fmt.Errorf("map %s: ReadAll: batch lookup returned index %d at %d", a.m, idx, i)
		}
	}
	return nil
}
