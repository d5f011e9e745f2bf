package templates

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf"
)

// Open wraps maps[name] with newWrapper after checking that it exists and
// is exactly of kind: the wrappers serve related kinds (a [Hash] is a hash
// or an LRU hash), and generated code knows which one the object declares.
//
// Generated NewMaps functions call it once per map, in a composite literal,
// and return with [Opened]: the first failure is stored in *err, and once
// *err is set Open does nothing and returns the zero W.
func Open[W any](err *error, maps map[string]*ebpf.Map, name string, kind ebpf.MapType, newWrapper func(name string, m *ebpf.Map) (W, error)) W {
	var zero W
	if *err != nil {
		return zero
	}
	m := maps[name]
	if m == nil {
		*err = fmt.Errorf("map %q: not in the collection", name)
		return zero
	}
	if *err = CheckType(name, m, kind); *err != nil {
		return zero
	}
	return keep[W](err)(newWrapper(name, m))
}

// keep returns a function that passes on v and stores a failure in *err,
// for the constructors that take err like [Open].
func keep[T any](err *error) func(v T, e error) T {
	return func(v T, e error) T {
		if e != nil {
			*err = e
			var zero T
			return zero
		}
		return v
	}
}

// Opened is the result of a generated constructor that filled *v with
// [Open] and its kind: v, or nil and err if one of them failed.
func Opened[T any](v *T, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
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

// Program returns progs[name], or, in *err, an error naming the program
// if the collection has none of that name. Like [Open], it does nothing
// once *err is set.
func Program(err *error, progs map[string]*ebpf.Program, name string) *ebpf.Program {
	if *err != nil {
		return nil
	}
	p := progs[name]
	if p == nil {
		*err = fmt.Errorf("program %q: not in the collection", name)
	}
	return p
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
