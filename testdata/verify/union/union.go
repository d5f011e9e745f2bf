// Package union has the classic union failure: the union is held by its
// smaller first member, padded to the union's size (bpf2go's form).
package union

// Tagged is struct tagged.
type Tagged struct {
	Kind uint32
	_    [4]byte
	V    struct {
		Small uint32
		_     [4]byte
	}
}
