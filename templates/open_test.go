package templates

import (
	"errors"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
)

// TestOpen: Open wraps a map only if the collection has it and it is of
// exactly the declared kind, which the wrappers alone do not check (a Hash
// serves hash and LRU hash maps).
func TestOpen(t *testing.T) {
	open := func(maps map[string]*ebpf.Map, name string, kind ebpf.MapType, ctor func(string, *ebpf.Map) (Hash[uint32, uint64], error)) (Hash[uint32, uint64], error) {
		var err error
		w := Open(&err, maps, name, kind, ctor)
		return w, err
	}
	lru := newMap(t, &ebpf.MapSpec{Type: ebpf.LRUHash, KeySize: 4, ValueSize: 8, MaxEntries: 2})
	maps := map[string]*ebpf.Map{"cache": lru}

	if _, err := open(maps, "cache", ebpf.LRUHash, NewHash[uint32, uint64]); err != nil {
		t.Errorf("Open of the declared kind: %v", err)
	}
	var te *TypeError
	if _, err := open(maps, "cache", ebpf.Hash, NewHash[uint32, uint64]); !errors.As(err, &te) || te.Map != "cache" {
		t.Errorf("Open of an LRU hash declared as a hash = %v, want a TypeError naming cache", err)
	}
	if _, err := open(maps, "nosuch", ebpf.Hash, NewHash[uint32, uint64]); err == nil || !strings.Contains(err.Error(), `"nosuch"`) {
		t.Errorf("Open of a missing map = %v, want an error naming it", err)
	}
	var se *SizeError
	if err := openErr(maps, "cache", ebpf.LRUHash, NewHash[uint32, uint32]); !errors.As(err, &se) {
		t.Errorf("Open with a 4-byte value type for 8-byte values = %v, want a SizeError", err)
	}
	var err error
	if u := Open(&err, maps, "cache", ebpf.LRUHash, NewUntyped); err != nil || u.Map() != lru {
		t.Errorf("Open as Untyped = %v, %v", u, err)
	}
	// The first failure stays; later calls do nothing.
	first := errors.New("first")
	err = first
	if u := Open(&err, maps, "cache", ebpf.LRUHash, NewUntyped); err != first || u.Map() != nil {
		t.Errorf("Open after a failure = %v, %v; want the zero wrapper and the first error", u, err)
	}
	if got, err := Opened(&lru, first); got != nil || err != first {
		t.Errorf("Opened after a failure = %v, %v", got, err)
	}
}

func openErr[V any](maps map[string]*ebpf.Map, name string, kind ebpf.MapType, ctor func(string, *ebpf.Map) (Hash[uint32, V], error)) error {
	var err error
	Open(&err, maps, name, kind, ctor)
	return err
}

func TestProgram(t *testing.T) {
	p := retProg(t, 2)
	var err error
	if got := Program(&err, map[string]*ebpf.Program{"xdp": p}, "xdp"); err != nil || got != p {
		t.Errorf("Program = %v, %v", got, err)
	}
	if Program(&err, map[string]*ebpf.Program{}, "xdp"); err == nil || !strings.Contains(err.Error(), `"xdp"`) {
		t.Errorf("Program of a missing program = %v, want an error naming it", err)
	}
}

type closer struct {
	err    error
	closed *int
}

func (c closer) Close() error { *c.closed++; return c.err }

func TestCloseAll(t *testing.T) {
	n := 0
	first, second := errors.New("first"), errors.New("second")
	err := CloseAll(closer{nil, &n}, closer{first, &n}, closer{second, &n})
	if err != first || n != 3 {
		t.Errorf("CloseAll = %v after %d closes, want the first error after 3", err, n)
	}
}

func TestLoadCollectionNilSpec(t *testing.T) {
	wrapped := false
	_, err := LoadCollection(nil, nil, func(*ebpf.Collection) (int, error) { wrapped = true; return 0, nil })
	if err == nil || wrapped {
		t.Errorf("LoadCollection(nil) = %v, wrapped %v", err, wrapped)
	}
}

// TestNewInner: inner maps from the definition's template, typed; a
// wrapper made without one says so.
func TestNewInner(t *testing.T) {
	tmpl := &ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 2}
	outer := newMap(t, &ebpf.MapSpec{Type: ebpf.ArrayOfMaps, KeySize: 4, ValueSize: 4, MaxEntries: 2, InnerMap: tmpl})
	open := OpenerOf("inner", NewArray[uint64])
	a, err := ArrayOfMapsWith(open, tmpl)("outer", outer)
	if err != nil {
		t.Fatal(err)
	}
	inner, err := a.NewInner("tenant0")
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	ok(t, inner.Update(1, 42, ebpf.UpdateAny))
	ok(t, a.Set(0, inner))
	got, err := a.Get(0)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	if v, err := got.Lookup(1); err != nil || v != 42 {
		t.Errorf("inner map through the outer one: %d, %v; want 42", v, err)
	}

	bare, err := NewArrayOfMaps("outer", outer, open)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bare.NewInner("x"); err == nil || !strings.Contains(err.Error(), "no inner map template") {
		t.Errorf("NewInner without a template = %v", err)
	}
}
