package templates

import (
	"errors"

	"github.com/cilium/ebpf"
)

// Queue is a typed BPF_MAP_TYPE_QUEUE (FIFO) of V. Pop and Peek on an empty
// queue return an error wrapping [ebpf.ErrKeyNotExist].
type Queue[V any] struct {
	m *ebpf.Map
}

// NewQueue wraps a queue map, checking its kind and value size.
func NewQueue[V any](name string, m *ebpf.Map) (Queue[V], error) {
	if err := checkKeyless[V](name, m, ebpf.Queue); err != nil {
		return Queue[V]{}, err
	}
	return Queue[V]{m}, nil
}

func checkKeyless[V any](name string, m *ebpf.Map, typ ebpf.MapType) error {
	return check(name, m,
		func() error { return CheckSize[struct{}](name, "key", m.KeySize()) },
		func() error { return CheckSize[V](name, "value", m.ValueSize()) },
		typ)
}

// Map returns the underlying map.
func (q Queue[V]) Map() *ebpf.Map { return q.m }

// Close closes the underlying map.
func (q Queue[V]) Close() error { return q.m.Close() }

// Push appends v. With flags [ebpf.UpdateAny] a full queue fails with E2BIG;
// with BPF_EXIST (ebpf.UpdateExist) the oldest element is dropped instead.
func (q Queue[V]) Push(v V, flags ebpf.MapUpdateFlags) error {
	return q.m.Update(nil, ptr(&v), flags)
}

// Pop removes and returns the oldest element.
func (q Queue[V]) Pop() (V, error) {
	var v V
	err := q.m.LookupAndDelete(nil, ptr(&v))
	return v, err
}

// Peek returns the oldest element without removing it.
func (q Queue[V]) Peek() (V, error) {
	var v V
	err := q.m.Lookup(nil, ptr(&v))
	return v, err
}

// Stack is a typed BPF_MAP_TYPE_STACK (LIFO) of V. Pop and Peek on an empty
// stack return an error wrapping [ebpf.ErrKeyNotExist].
type Stack[V any] struct {
	m *ebpf.Map
}

// NewStack wraps a stack map, checking its kind and value size.
func NewStack[V any](name string, m *ebpf.Map) (Stack[V], error) {
	if err := checkKeyless[V](name, m, ebpf.Stack); err != nil {
		return Stack[V]{}, err
	}
	return Stack[V]{m}, nil
}

// Map returns the underlying map.
func (s Stack[V]) Map() *ebpf.Map { return s.m }

// Close closes the underlying map.
func (s Stack[V]) Close() error { return s.m.Close() }

// Push adds v on top. With BPF_EXIST (ebpf.UpdateExist) a full stack drops
// its bottom element instead of failing.
func (s Stack[V]) Push(v V, flags ebpf.MapUpdateFlags) error {
	return s.m.Update(nil, ptr(&v), flags)
}

// Pop removes and returns the top element.
func (s Stack[V]) Pop() (V, error) {
	var v V
	err := s.m.LookupAndDelete(nil, ptr(&v))
	return v, err
}

// Peek returns the top element without removing it.
func (s Stack[V]) Peek() (V, error) {
	var v V
	err := s.m.Lookup(nil, ptr(&v))
	return v, err
}

// BloomFilter is a typed BPF_MAP_TYPE_BLOOM_FILTER of V (Linux 5.16+).
type BloomFilter[V any] struct {
	m *ebpf.Map
}

// NewBloomFilter wraps a bloom filter map, checking its kind and value size.
func NewBloomFilter[V any](name string, m *ebpf.Map) (BloomFilter[V], error) {
	if err := checkKeyless[V](name, m, ebpf.BloomFilter); err != nil {
		return BloomFilter[V]{}, err
	}
	return BloomFilter[V]{m}, nil
}

// Map returns the underlying map.
func (b BloomFilter[V]) Map() *ebpf.Map { return b.m }

// Close closes the underlying map.
func (b BloomFilter[V]) Close() error { return b.m.Close() }

// Push adds v to the filter.
func (b BloomFilter[V]) Push(v V) error {
	return b.m.Update(nil, ptr(&v), ebpf.UpdateAny)
}

// Contains reports whether v may be in the filter: false is certain, true
// may be a false positive.
func (b BloomFilter[V]) Contains(v V) (bool, error) {
	err := b.m.Lookup(nil, ptr(&v))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ebpf.ErrKeyNotExist):
		return false, nil
	default:
		return false, err
	}
}
