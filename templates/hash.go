package templates

import (
	"unsafe"

	"github.com/cilium/ebpf"
)

// Hash is a typed BPF_MAP_TYPE_HASH or BPF_MAP_TYPE_LRU_HASH. It has all the
// methods of [Map] (Lookup, LookupInto, LookupAndDelete, Update, UpdatePtr,
// Delete, Iterate, the batch operations, Map and Close).
type Hash[K, V any] struct {
	keyValue[K, V]
}

// NewHash wraps a hash or LRU hash map, checking its kind and that its key
// and value sizes match K and V. name is used in errors.
func NewHash[K, V any](name string, m *ebpf.Map) (Hash[K, V], error) {
	err := check(name, m,
		func() error { return CheckSize[K](name, "key", m.KeySize()) },
		func() error { return CheckSize[V](name, "value", m.ValueSize()) },
		ebpf.Hash, ebpf.LRUHash)
	if err != nil {
		return Hash[K, V]{}, err
	}
	return Hash[K, V]{keyValue[K, V]{m}}, nil
}

// LPMTrie is a typed BPF_MAP_TYPE_LPM_TRIE. K is the full trie key, whose
// first field is the C `__u32 prefixlen` (in host byte order) followed by
// the data bytes in network order; read and set the prefix length with
// [PrefixLen] and [SetPrefixLen].
//
// Lookup returns the value of the longest prefix matching the key's data
// (the key's prefix length is then normally the full data length in bits).
// It has all the methods of [Map].
type LPMTrie[K, V any] struct {
	keyValue[K, V]
}

// NewLPMTrie wraps an LPM trie, checking its kind and that its key and value
// sizes match K and V. K must start with a 4-byte prefix length.
func NewLPMTrie[K, V any](name string, m *ebpf.Map) (LPMTrie[K, V], error) {
	err := check(name, m,
		func() error { return CheckSize[K](name, "key", m.KeySize()) },
		func() error { return CheckSize[V](name, "value", m.ValueSize()) },
		ebpf.LPMTrie)
	if err != nil {
		return LPMTrie[K, V]{}, err
	}
	if sizeOf[K]() < 4 {
		return LPMTrie[K, V]{}, &SizeError{Map: name, What: "key (prefixlen + data)", Kernel: m.KeySize(), Go: sizeOf[K](), GoType: typeName[K]()}
	}
	return LPMTrie[K, V]{keyValue[K, V]{m}}, nil
}

// PrefixLen returns the prefix length in bits stored in the first four bytes
// of the LPM trie key k. It panics if K is smaller than four bytes.
func PrefixLen[K any](k *K) uint32 {
	mustPrefix[K]()
	return *(*uint32)(unsafe.Pointer(k))
}

// SetPrefixLen sets the prefix length in bits, the first four bytes of the
// LPM trie key k. It panics if K is smaller than four bytes.
func SetPrefixLen[K any](k *K, bits uint32) {
	mustPrefix[K]()
	*(*uint32)(unsafe.Pointer(k)) = bits
}

func mustPrefix[K any]() {
	if sizeOf[K]() < 4 {
		panic("templates: LPM trie key " + typeName[K]() + " is smaller than its 4-byte prefix length")
	}
}
