package templates

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf"
)

// VariableSpec is one global variable of type T of a collection spec,
// before loading: Set changes it and nothing else of its section.
// Generated NewVariableSpecs functions make one per variable with
// [OpenVariableSpec].
type VariableSpec[T any] struct {
	s *ebpf.VariableSpec
}

// OpenVariableSpec finds the variable name of type T in spec and checks its
// size. Like [Open], it stores a failure in *err and does nothing once
// *err is set.
func OpenVariableSpec[T any](err *error, spec *ebpf.CollectionSpec, name string) VariableSpec[T] {
	if *err != nil {
		return VariableSpec[T]{}
	}
	return keep[VariableSpec[T]](err)(openVariableSpec[T](spec, name))
}

func openVariableSpec[T any](spec *ebpf.CollectionSpec, name string) (VariableSpec[T], error) {
	if spec == nil {
		return VariableSpec[T]{}, errors.New("nil *ebpf.CollectionSpec")
	}
	s := spec.Variables[name]
	if s == nil {
		return VariableSpec[T]{}, fmt.Errorf("variable %s: not in the collection spec", name)
	}
	if size := uint32(sizeOf[T]()); s.Size() != size || len(s.Value) != int(size) {
		return VariableSpec[T]{}, &SizeError{Map: name, What: "variable", Kernel: s.Size(), Go: uintptr(size), GoType: typeName[T]()}
	}
	return VariableSpec[T]{s}, nil
}

// Get returns the value the variable will have when spec is loaded: the
// compiled-in value unless changed since.
func (v VariableSpec[T]) Get() T {
	var out T
	copy(bytesOf(&out), v.s.Value)
	return out
}

// Set makes x the value the variable will have when spec is loaded
// (cilium/ebpf writes each variable's value into its section).
func (v VariableSpec[T]) Set(x T) {
	copy(v.s.Value, bytesOf(&x))
}

// Spec returns cilium/ebpf's VariableSpec.
func (v VariableSpec[T]) Spec() *ebpf.VariableSpec { return v.s }
