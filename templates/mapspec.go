package templates

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// MapSpec is the definition of one map of a collection spec, or of the
// inner map template of a map of maps, with its BTF key and value types:
// Create makes new maps of that definition, wrapped as W. Generated
// NewMapSpecs functions make one per map and inner map template with
// [OpenMapSpec] and [OpenInnerMapSpec].
type MapSpec[W Wrapper] struct {
	name string
	spec *ebpf.MapSpec
	open func(name string, m *ebpf.Map) (W, error)
}

// OpenMapSpec finds the map name of spec, checks that it is exactly of
// kind, and binds newWrapper, the wrapper's constructor, to it. Like
// [Open], it stores a failure in *err and does nothing once *err is set.
func OpenMapSpec[W Wrapper](err *error, spec *ebpf.CollectionSpec, name string, kind ebpf.MapType, newWrapper func(name string, m *ebpf.Map) (W, error)) MapSpec[W] {
	if *err != nil {
		return MapSpec[W]{}
	}
	return keep[MapSpec[W]](err)(openMapSpec(spec, name, kind, newWrapper))
}

func openMapSpec[W Wrapper](spec *ebpf.CollectionSpec, name string, kind ebpf.MapType, newWrapper func(name string, m *ebpf.Map) (W, error)) (MapSpec[W], error) {
	if spec == nil {
		return MapSpec[W]{}, errors.New("nil *ebpf.CollectionSpec")
	}
	ms := spec.Maps[name]
	if ms == nil {
		return MapSpec[W]{}, fmt.Errorf("map %q: not in the collection spec", name)
	}
	if ms.Type != kind {
		return MapSpec[W]{}, &TypeError{Map: name, Have: ms.Type, Want: []ebpf.MapType{kind}}
	}
	return MapSpec[W]{name: name, spec: ms, open: newWrapper}, nil
}

// OpenInnerMapSpec is [OpenMapSpec] for the inner map template of the map
// of maps outer.
func OpenInnerMapSpec[W Wrapper](err *error, spec *ebpf.CollectionSpec, outer string, kind ebpf.MapType, newWrapper func(name string, m *ebpf.Map) (W, error)) MapSpec[W] {
	if *err != nil {
		return MapSpec[W]{}
	}
	return keep[MapSpec[W]](err)(openInnerMapSpec(spec, outer, kind, newWrapper))
}

func openInnerMapSpec[W Wrapper](spec *ebpf.CollectionSpec, outer string, kind ebpf.MapType, newWrapper func(name string, m *ebpf.Map) (W, error)) (MapSpec[W], error) {
	if spec == nil {
		return MapSpec[W]{}, errors.New("nil *ebpf.CollectionSpec")
	}
	ms := spec.Maps[outer]
	if ms == nil {
		return MapSpec[W]{}, fmt.Errorf("map %q: not in the collection spec", outer)
	}
	if ms.InnerMap == nil {
		return MapSpec[W]{}, fmt.Errorf("map %q: no inner map template", outer)
	}
	if ms.InnerMap.Type != kind {
		return MapSpec[W]{}, &TypeError{Map: outer + " (inner map)", Have: ms.InnerMap.Type, Want: []ebpf.MapType{kind}}
	}
	return MapSpec[W]{name: outer + " (inner map)", spec: ms.InnerMap, open: newWrapper}, nil
}

// Spec returns the definition, shared with the collection spec: changes
// to it (MaxEntries, Flags, ...) apply to maps created later, and to the
// map loaded from the collection spec.
func (s MapSpec[W]) Spec() *ebpf.MapSpec { return s.spec }

// Create makes a new map of the definition, called name in the kernel
// (at most 15 bytes; empty for none), with the definition's key and value
// BTF types, so that bpftool and the kernel show typed entries. It starts
// empty: the definition's static contents (.values) are not copied, and
// it is never pinned. Close the result when done; a map of maps holds
// its own reference to inner maps put into it.
func (s MapSpec[W]) Create(name string) (W, error) {
	var zero W
	if s.spec == nil {
		return zero, errors.New("templates: MapSpec not opened: use the generated NewMapSpecs")
	}
	spec := s.spec.Copy()
	spec.Name = name
	spec.Contents = nil
	spec.Pinning = ebpf.PinNone
	indexKey(spec)
	m, err := ebpf.NewMap(spec)
	if err != nil {
		return zero, fmt.Errorf("map %q: create: %w", s.name, err)
	}
	w, err := s.open(s.name, m)
	if err != nil {
		m.Close()
		return zero, err
	}
	if outer, ok := any(w).(interface{ withInner(*ebpf.MapSpec) W }); ok && spec.InnerMap != nil {
		// NewInner of the new map of maps makes inner maps with BTF too.
		w = outer.withInner(spec.InnerMap)
	}
	return w, nil
}

// indexKey gives an array map the BTF key the kernel insists on, a 32-bit
// integer, where the definition's key is another 4-byte type (an enum of
// indexes): the kernel refuses the map's BTF otherwise, and cilium/ebpf
// then creates it without, value type included.
func indexKey(spec *ebpf.MapSpec) {
	if spec.Type != ebpf.Array && spec.Type != ebpf.PerCPUArray || spec.Key == nil || spec.KeySize != 4 {
		return
	}
	if i, ok := btf.As[*btf.Int](spec.Key); ok && i.Size == 4 {
		return
	}
	spec.Key = &btf.Int{Name: "__u32", Size: 4}
}
