package templates

import (
	"fmt"

	"github.com/cilium/ebpf"
)

// Wrapper is what every typed map wrapper in this package implements, and
// what [ArrayOfMaps] and [HashOfMaps] require of their inner type.
type Wrapper interface {
	Map() *ebpf.Map
	Close() error
}

// Opener turns an inner map fetched from a map-in-map into its typed
// wrapper, checking it. The constructors of this package, instantiated, are
// Openers once their name is bound; see [OpenerOf].
type Opener[Inner Wrapper] func(m *ebpf.Map) (Inner, error)

// OpenerOf binds name to a constructor of this package, for example
// OpenerOf("inner", NewHash[K, V]).
func OpenerOf[Inner Wrapper](name string, newInner func(name string, m *ebpf.Map) (Inner, error)) Opener[Inner] {
	return func(m *ebpf.Map) (Inner, error) { return newInner(name, m) }
}

// ArrayOfMaps is a typed BPF_MAP_TYPE_ARRAY_OF_MAPS whose inner maps are
// wrapped as Inner.
type ArrayOfMaps[Inner Wrapper] struct {
	m     *ebpf.Map
	open  Opener[Inner]
	inner *ebpf.MapSpec // template of new inner maps, if known
}

// NewArrayOfMaps wraps an array of maps; open builds the typed inner
// wrapper for [ArrayOfMaps.Get].
func NewArrayOfMaps[Inner Wrapper](name string, m *ebpf.Map, open Opener[Inner]) (ArrayOfMaps[Inner], error) {
	err := check(name, m,
		func() error { return CheckSize[uint32](name, "key", m.KeySize()) },
		func() error { return CheckSize[ebpf.MapID](name, "value", m.ValueSize()) },
		ebpf.ArrayOfMaps)
	if err != nil {
		return ArrayOfMaps[Inner]{}, err
	}
	return ArrayOfMaps[Inner]{m: m, open: open}, nil
}

// ArrayOfMapsWith is [NewArrayOfMaps] with open bound, in the shape [Open]
// takes; inner is the template of the inner maps, for
// [ArrayOfMaps.NewInner] (nil if the definition has none).
func ArrayOfMapsWith[Inner Wrapper](open Opener[Inner], inner *ebpf.MapSpec) func(name string, m *ebpf.Map) (ArrayOfMaps[Inner], error) {
	return func(name string, m *ebpf.Map) (ArrayOfMaps[Inner], error) {
		a, err := NewArrayOfMaps(name, m, open)
		a.inner = inner
		return a, err
	}
}

// NewInner creates a map from the inner map template of the object's
// definition, called name, and wraps it. Put it in a slot with Set; the
// outer map holds a reference of its own, so Close it after that.
func (a ArrayOfMaps[Inner]) NewInner(name string) (Inner, error) {
	return newInner(a.inner, name, a.open)
}

// withInner is a with inner as the template of NewInner.
func (a ArrayOfMaps[Inner]) withInner(inner *ebpf.MapSpec) ArrayOfMaps[Inner] {
	a.inner = inner
	return a
}

// Map returns the underlying map.
func (a ArrayOfMaps[Inner]) Map() *ebpf.Map { return a.m }

// Close closes the underlying map.
func (a ArrayOfMaps[Inner]) Close() error { return a.m.Close() }

// Len returns the number of slots, the map's MaxEntries.
func (a ArrayOfMaps[Inner]) Len() uint32 { return a.m.MaxEntries() }

// Get opens the inner map in slot i. The result holds a new file
// descriptor: Close it when done. An empty slot gives an error wrapping
// [ebpf.ErrKeyNotExist].
func (a ArrayOfMaps[Inner]) Get(i uint32) (Inner, error) {
	return getInner(a.m, ptr(&i), a.open)
}

// GetID returns the kernel ID of the inner map in slot i without opening it.
func (a ArrayOfMaps[Inner]) GetID(i uint32) (ebpf.MapID, error) {
	var id ebpf.MapID
	err := a.m.Lookup(ptr(&i), ptr(&id))
	return id, err
}

// Set stores inner in slot i.
func (a ArrayOfMaps[Inner]) Set(i uint32, inner Inner) error {
	return a.SetMap(i, inner.Map())
}

// SetMap stores an untyped map in slot i; the kernel checks it against the
// inner map template.
func (a ArrayOfMaps[Inner]) SetMap(i uint32, inner *ebpf.Map) error {
	return a.m.Update(ptr(&i), inner, ebpf.UpdateAny)
}

// Delete empties slot i.
func (a ArrayOfMaps[Inner]) Delete(i uint32) error {
	return a.m.Delete(ptr(&i))
}

// Iterate returns an [Iterator] over the occupied slots and the IDs of their
// inner maps.
func (a ArrayOfMaps[Inner]) Iterate() *Iterator[uint32, ebpf.MapID] {
	return keyValue[uint32, ebpf.MapID]{a.m}.Iterate()
}

// HashOfMaps is a typed BPF_MAP_TYPE_HASH_OF_MAPS with keys K whose inner
// maps are wrapped as Inner.
type HashOfMaps[K any, Inner Wrapper] struct {
	m     *ebpf.Map
	open  Opener[Inner]
	inner *ebpf.MapSpec // template of new inner maps, if known
}

// NewHashOfMaps wraps a hash of maps; open builds the typed inner wrapper
// for [HashOfMaps.Get].
func NewHashOfMaps[K any, Inner Wrapper](name string, m *ebpf.Map, open Opener[Inner]) (HashOfMaps[K, Inner], error) {
	err := check(name, m,
		func() error { return CheckSize[K](name, "key", m.KeySize()) },
		func() error { return CheckSize[ebpf.MapID](name, "value", m.ValueSize()) },
		ebpf.HashOfMaps)
	if err != nil {
		return HashOfMaps[K, Inner]{}, err
	}
	return HashOfMaps[K, Inner]{m: m, open: open}, nil
}

// HashOfMapsWith is [NewHashOfMaps] with open bound, in the shape [Open]
// takes; inner is the template of the inner maps, for
// [HashOfMaps.NewInner] (nil if the definition has none).
func HashOfMapsWith[K any, Inner Wrapper](open Opener[Inner], inner *ebpf.MapSpec) func(name string, m *ebpf.Map) (HashOfMaps[K, Inner], error) {
	return func(name string, m *ebpf.Map) (HashOfMaps[K, Inner], error) {
		h, err := NewHashOfMaps[K](name, m, open)
		h.inner = inner
		return h, err
	}
}

// NewInner creates a map from the inner map template of the object's
// definition, called name, and wraps it. Put it under a key with Set; the
// outer map holds a reference of its own, so Close it after that.
func (h HashOfMaps[K, Inner]) NewInner(name string) (Inner, error) {
	return newInner(h.inner, name, h.open)
}

// withInner is h with inner as the template of NewInner.
func (h HashOfMaps[K, Inner]) withInner(inner *ebpf.MapSpec) HashOfMaps[K, Inner] {
	h.inner = inner
	return h
}

// Map returns the underlying map.
func (h HashOfMaps[K, Inner]) Map() *ebpf.Map { return h.m }

// Close closes the underlying map.
func (h HashOfMaps[K, Inner]) Close() error { return h.m.Close() }

// Get opens the inner map under k. The result holds a new file descriptor:
// Close it when done.
func (h HashOfMaps[K, Inner]) Get(k K) (Inner, error) {
	return getInner(h.m, ptr(&k), h.open)
}

// GetID returns the kernel ID of the inner map under k without opening it.
func (h HashOfMaps[K, Inner]) GetID(k K) (ebpf.MapID, error) {
	var id ebpf.MapID
	err := h.m.Lookup(ptr(&k), ptr(&id))
	return id, err
}

// Set stores inner under k.
func (h HashOfMaps[K, Inner]) Set(k K, inner Inner, flags ebpf.MapUpdateFlags) error {
	return h.SetMap(k, inner.Map(), flags)
}

// SetMap stores an untyped map under k.
func (h HashOfMaps[K, Inner]) SetMap(k K, inner *ebpf.Map, flags ebpf.MapUpdateFlags) error {
	return h.m.Update(ptr(&k), inner, flags)
}

// Delete removes k.
func (h HashOfMaps[K, Inner]) Delete(k K) error {
	return h.m.Delete(ptr(&k))
}

// Iterate returns an [Iterator] over the keys and the IDs of their inner
// maps.
func (h HashOfMaps[K, Inner]) Iterate() *Iterator[K, ebpf.MapID] {
	return keyValue[K, ebpf.MapID]{h.m}.Iterate()
}

func newInner[Inner Wrapper](template *ebpf.MapSpec, name string, open Opener[Inner]) (Inner, error) {
	var zero Inner
	if template == nil {
		return zero, fmt.Errorf("inner map %s: no inner map template (the definition has no __array(values, ...))", name)
	}
	spec := template.Copy()
	spec.Name = name
	indexKey(spec)
	m, err := ebpf.NewMap(spec)
	if err != nil {
		return zero, fmt.Errorf("inner map %s: %w", name, err)
	}
	w, err := open(m)
	if err != nil {
		m.Close()
		return zero, fmt.Errorf("inner map %s: %w", name, err)
	}
	return w, nil
}

func getInner[Inner Wrapper](outer *ebpf.Map, key any, open Opener[Inner]) (Inner, error) {
	var zero Inner
	var inner *ebpf.Map
	if err := outer.Lookup(key, &inner); err != nil {
		return zero, err
	}
	w, err := open(inner)
	if err != nil {
		inner.Close()
		return zero, fmt.Errorf("inner map of %s: %w", outer, err)
	}
	return w, nil
}

// ProgArray is a typed BPF_MAP_TYPE_PROG_ARRAY, the jump table of
// bpf_tail_call.
type ProgArray struct {
	m *ebpf.Map
}

// NewProgArray wraps a program array, checking its kind and sizes.
func NewProgArray(name string, m *ebpf.Map) (ProgArray, error) {
	err := check(name, m,
		func() error { return CheckSize[uint32](name, "key", m.KeySize()) },
		func() error { return CheckSize[ebpf.ProgramID](name, "value", m.ValueSize()) },
		ebpf.ProgramArray)
	if err != nil {
		return ProgArray{}, err
	}
	return ProgArray{m}, nil
}

// Map returns the underlying map.
func (p ProgArray) Map() *ebpf.Map { return p.m }

// Close closes the underlying map.
func (p ProgArray) Close() error { return p.m.Close() }

// Len returns the number of slots, the map's MaxEntries.
func (p ProgArray) Len() uint32 { return p.m.MaxEntries() }

// Set stores prog in slot i.
func (p ProgArray) Set(i uint32, prog *ebpf.Program) error {
	return p.m.Update(ptr(&i), prog, ebpf.UpdateAny)
}

// Get opens the program in slot i. The result holds a new file descriptor:
// Close it when done. An empty slot gives an error wrapping
// [ebpf.ErrKeyNotExist].
func (p ProgArray) Get(i uint32) (*ebpf.Program, error) {
	var prog *ebpf.Program
	if err := p.m.Lookup(ptr(&i), &prog); err != nil {
		return nil, err
	}
	return prog, nil
}

// GetID returns the kernel ID of the program in slot i without opening it.
func (p ProgArray) GetID(i uint32) (ebpf.ProgramID, error) {
	var id ebpf.ProgramID
	err := p.m.Lookup(ptr(&i), ptr(&id))
	return id, err
}

// Delete empties slot i.
func (p ProgArray) Delete(i uint32) error {
	return p.m.Delete(ptr(&i))
}

// Iterate returns an [Iterator] over the occupied slots and their program
// IDs.
func (p ProgArray) Iterate() *Iterator[uint32, ebpf.ProgramID] {
	return keyValue[uint32, ebpf.ProgramID](p).Iterate()
}
