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
	lru := newMap(t, &ebpf.MapSpec{Type: ebpf.LRUHash, KeySize: 4, ValueSize: 8, MaxEntries: 2})
	maps := map[string]*ebpf.Map{"cache": lru}

	if _, err := Open(maps, "cache", ebpf.LRUHash, NewHash[uint32, uint64]); err != nil {
		t.Errorf("Open of the declared kind: %v", err)
	}
	var te *TypeError
	if _, err := Open(maps, "cache", ebpf.Hash, NewHash[uint32, uint64]); !errors.As(err, &te) || te.Map != "cache" {
		t.Errorf("Open of an LRU hash declared as a hash = %v, want a TypeError naming cache", err)
	}
	if _, err := Open(maps, "nosuch", ebpf.Hash, NewHash[uint32, uint64]); err == nil || !strings.Contains(err.Error(), `"nosuch"`) {
		t.Errorf("Open of a missing map = %v, want an error naming it", err)
	}
	var se *SizeError
	if _, err := Open(maps, "cache", ebpf.LRUHash, NewHash[uint32, uint32]); !errors.As(err, &se) {
		t.Errorf("Open with a 4-byte value type for 8-byte values = %v, want a SizeError", err)
	}
	u, err := Open(maps, "cache", ebpf.LRUHash, NewUntyped)
	if err != nil || u.Map() != lru {
		t.Errorf("Open as Untyped = %v, %v", u, err)
	}
}

func TestProgram(t *testing.T) {
	p := retProg(t, 2)
	if got, err := Program(map[string]*ebpf.Program{"xdp": p}, "xdp"); err != nil || got != p {
		t.Errorf("Program = %v, %v", got, err)
	}
	if _, err := Program(map[string]*ebpf.Program{}, "xdp"); err == nil || !strings.Contains(err.Error(), `"xdp"`) {
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
