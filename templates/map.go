package templates

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/cilium/ebpf"
)

// Map is a typed view of an *ebpf.Map with keys of type K and values of type
// V. It serves any map kind that stores one plain value per key; the
// kind-specific wrappers [Hash] and [LPMTrie] have the same methods, and
// generated code uses Map for the remaining kinds (task, inode, socket and
// cgroup storage, ...).
type Map[K, V any] struct {
	keyValue[K, V]
}

// keyValue holds the methods of [Map], [Hash] and [LPMTrie]. It is an
// unexported type, not an alias of Map, so that go doc lists its methods
// on each of them, and embedding it gives no field named Map to hide the
// Map method.
type keyValue[K, V any] struct {
	m *ebpf.Map
}

// NewMap wraps m, checking that its key and value sizes match K and V.
// name is the map's name in the eBPF object and is used in errors.
func NewMap[K, V any](name string, m *ebpf.Map) (Map[K, V], error) {
	if err := CheckSizes[K, V](name, m); err != nil {
		return Map[K, V]{}, err
	}
	return Map[K, V]{keyValue[K, V]{m}}, nil
}

// Map returns the underlying map.
func (m keyValue[K, V]) Map() *ebpf.Map { return m.m }

// Close closes the underlying map.
func (m keyValue[K, V]) Close() error { return m.m.Close() }

// Lookup returns the value stored under k. It returns an error wrapping
// [ebpf.ErrKeyNotExist] if there is none.
func (m keyValue[K, V]) Lookup(k K) (V, error) {
	var v V
	err := m.m.Lookup(ptr(&k), ptr(&v))
	return v, err
}

// LookupInto stores the value under k into *v, which is left unchanged on
// error.
func (m keyValue[K, V]) LookupInto(k *K, v *V) error {
	return m.m.Lookup(ptr(k), ptr(v))
}

// LookupWithFlags is [Map.Lookup] with lookup flags, such as
// [ebpf.LookupLock] for values containing a bpf_spin_lock.
func (m keyValue[K, V]) LookupWithFlags(k K, flags ebpf.MapLookupFlags) (V, error) {
	var v V
	err := m.m.LookupWithFlags(ptr(&k), ptr(&v), flags)
	return v, err
}

// LookupAndDelete returns the value under k and removes it atomically.
func (m keyValue[K, V]) LookupAndDelete(k K) (V, error) {
	var v V
	err := m.m.LookupAndDelete(ptr(&k), ptr(&v))
	return v, err
}

// Update stores v under k. flags is [ebpf.UpdateAny], [ebpf.UpdateNoExist]
// (fails with [ebpf.ErrKeyExist] if k is present) or [ebpf.UpdateExist],
// optionally or'ed with [ebpf.UpdateLock].
func (m keyValue[K, V]) Update(k K, v V, flags ebpf.MapUpdateFlags) error {
	return m.m.Update(ptr(&k), ptr(&v), flags)
}

// UpdatePtr is [Map.Update] taking the key and value by pointer, for large
// types.
func (m keyValue[K, V]) UpdatePtr(k *K, v *V, flags ebpf.MapUpdateFlags) error {
	return m.m.Update(ptr(k), ptr(v), flags)
}

// Delete removes k. It returns an error wrapping [ebpf.ErrKeyNotExist] if k
// is not present.
func (m keyValue[K, V]) Delete(k K) error {
	return m.m.Delete(ptr(&k))
}

// Iterate returns an [Iterator] over the map's entries, in the kernel's
// order.
//
// Where the kernel has batch lookups for the map's kind (hash and array
// kinds, Linux 5.6+), the walk reads up to 256 entries per bpf() call,
// whole hash buckets at a time: entries added or deleted while the walk
// runs may be seen or not, none is seen twice, and deleting the keys
// yielded is safe. Other kinds are walked key by key (a NextKey and a
// Lookup per entry): entries deleted meanwhile are skipped, and deleting
// the key just yielded, or other concurrent changes to a hash map, can
// make the kernel restart the walk from the beginning, so keys may be seen
// more than once; if the walk restarts too often, Err returns an error
// wrapping [ebpf.ErrIterationAborted].
func (m keyValue[K, V]) Iterate() *Iterator[K, V] {
	return newIterator(m.walk)
}

func (m keyValue[K, V]) walk(yield func(K, V) bool) error {
	if done, err := walkBatch(m.m, yield); done {
		return err
	}
	var value V
	return walkKeys(m.m, func(k *K) (bool, error) {
		if err := m.m.Lookup(ptr(k), ptr(&value)); err != nil {
			return false, err
		}
		return yield(*k, value), nil
	})
}

// iterBatchSize is how many entries one batch lookup of an iteration asks
// for: one bpf() call per 256 entries instead of two per entry.
const iterBatchSize = 256

// walkBatch walks m with batch lookups (Linux 5.6+, hash and array kinds),
// calling yield for every entry. It reports false, having yielded nothing,
// where the kernel or the map kind has no batch lookup; the caller then
// walks key by key. A hash bucket larger than the batch (ENOSPC) doubles
// the batch and asks again from the same bucket.
func walkBatch[K, V any](m *ebpf.Map, yield func(K, V) bool) (bool, error) {
	n := min(int(m.MaxEntries()), iterBatchSize)
	if n == 0 {
		return false, nil
	}
	keys, values := make([]K, n), make([]V, n)
	var cursor ebpf.MapBatchCursor
	for first := true; ; first = false {
		got, err := m.BatchLookup(&cursor, keys, values, nil)
		end := errors.Is(err, ebpf.ErrKeyNotExist)
		switch {
		case end || err == nil:
		case first && errors.Is(err, ebpf.ErrNotSupported):
			return false, nil
		case errors.Is(err, syscall.ENOSPC) && got == 0 && len(keys) < int(m.MaxEntries()):
			keys, values = make([]K, 2*len(keys)), make([]V, 2*len(values))
			continue
		default:
			return true, fmt.Errorf("map %s: %w", m, err)
		}
		for i := range got {
			if !yield(keys[i], values[i]) {
				return true, nil
			}
		}
		if end {
			return true, nil
		}
	}
}

// BatchLookup reads up to len(keys) entries into keys and values (which
// must have the same length), continuing from cursor, and returns how many
// it read. Start with a zero cursor and pass the same one to later calls; the
// call that reaches the end of the map returns an error wrapping
// [ebpf.ErrKeyNotExist] together with the last entries. On kernels without
// batch operations (before 5.6), the error wraps [ebpf.ErrNotSupported].
//
// Hash maps fail with ENOSPC if len(keys) is smaller than a hash bucket;
// use a batch size of at least 64.
func (m keyValue[K, V]) BatchLookup(cursor *ebpf.MapBatchCursor, keys []K, values []V, opts *ebpf.BatchOptions) (int, error) {
	return m.m.BatchLookup(cursor, keys, values, opts)
}

// BatchLookupAndDelete is [Map.BatchLookup] that also removes the entries
// it returns.
func (m keyValue[K, V]) BatchLookupAndDelete(cursor *ebpf.MapBatchCursor, keys []K, values []V, opts *ebpf.BatchOptions) (int, error) {
	return m.m.BatchLookupAndDelete(cursor, keys, values, opts)
}

// BatchUpdate stores values[i] under keys[i] for all i and returns how many
// entries were written. The slices must have the same length.
func (m keyValue[K, V]) BatchUpdate(keys []K, values []V, opts *ebpf.BatchOptions) (int, error) {
	return m.m.BatchUpdate(keys, values, opts)
}

// BatchDelete removes keys and returns how many were removed.
func (m keyValue[K, V]) BatchDelete(keys []K, opts *ebpf.BatchOptions) (int, error) {
	return m.m.BatchDelete(keys, opts)
}

// walkKeys calls visit for every key of m, as [Map.Iterate] describes;
// visit reports whether to continue. A visit error wrapping
// [ebpf.ErrKeyNotExist] (the key was deleted meanwhile) is skipped.
func walkKeys[K any](m *ebpf.Map, visit func(k *K) (bool, error)) error {
	var key, next K
	maxSteps := uint64(m.MaxEntries())
	for steps := uint64(0); ; steps++ {
		if steps > maxSteps {
			return fmt.Errorf("map %s: %w", m, ebpf.ErrIterationAborted)
		}
		var err error
		if steps == 0 {
			err = m.NextKey(nil, ptr(&next))
		} else {
			err = m.NextKey(ptr(&key), ptr(&next))
		}
		if errors.Is(err, ebpf.ErrKeyNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("map %s: %w", m, err)
		}
		key = next
		more, err := visit(&key)
		if errors.Is(err, ebpf.ErrKeyNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("map %s: %w", m, err)
		}
		if !more {
			return nil
		}
	}
}
