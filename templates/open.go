package templates

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf"
)

// Open wraps maps[name] with newWrapper after checking that it exists and
// is exactly of kind: the wrappers serve related kinds (a [Hash] is a hash
// or an LRU hash), and generated code knows which one the object declares.
// Generated NewMaps functions call it once per map.
func Open[W any](maps map[string]*ebpf.Map, name string, kind ebpf.MapType, newWrapper func(name string, m *ebpf.Map) (W, error)) (W, error) {
	var zero W
	m := maps[name]
	if m == nil {
		return zero, fmt.Errorf("map %q: not in the collection", name)
	}
	if err := CheckType(name, m, kind); err != nil {
		return zero, err
	}
	return newWrapper(name, m)
}

// Untyped is a map without a typed wrapper: its kind has no keys and values
// to type (a socket map, a ring buffer read without an event type, ...),
// or its definition gives them no BTF types. Map returns the map for
// cilium/ebpf's own APIs.
type Untyped struct {
	m *ebpf.Map
}

// NewUntyped wraps m; it checks only that m is there.
func NewUntyped(name string, m *ebpf.Map) (Untyped, error) {
	if err := checkNil(name, m); err != nil {
		return Untyped{}, err
	}
	return Untyped{m}, nil
}

// Map returns the underlying map.
func (u Untyped) Map() *ebpf.Map { return u.m }

// Close closes the underlying map.
func (u Untyped) Close() error { return u.m.Close() }

// CloseAll closes every wrapper (and every map or program, which have a
// Close method too) and returns the first error.
func CloseAll(closers ...interface{ Close() error }) error {
	var first error
	for _, c := range closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Program returns progs[name], or an error naming the program if the
// collection has none of that name.
func Program(progs map[string]*ebpf.Program, name string) (*ebpf.Program, error) {
	if p := progs[name]; p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("program %q: not in the collection", name)
}

// LoadCollection loads spec into the kernel and wraps the collection with
// wrap (a generated NewObjects); opts may be nil. If wrap fails, the
// collection is closed.
func LoadCollection[O any](spec *ebpf.CollectionSpec, opts *ebpf.CollectionOptions, wrap func(*ebpf.Collection) (O, error)) (O, error) {
	var zero O
	if spec == nil {
		return zero, errors.New("nil *ebpf.CollectionSpec")
	}
	if opts == nil {
		opts = &ebpf.CollectionOptions{}
	}
	coll, err := ebpf.NewCollectionWithOptions(spec, *opts)
	if err != nil {
		return zero, err
	}
	o, err := wrap(coll)
	if err != nil {
		coll.Close()
		return zero, err
	}
	return o, nil
}
