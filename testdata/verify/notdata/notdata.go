// Package notdata holds types verify cannot compare with a C type and
// that nothing pairs explicitly: they are left out, not an error.
package notdata

// Pad64 is C's struct pad64.
type Pad64 struct {
	A uint32
	_ uint32
	B uint64
	C uint32
	_ uint32
}

// Names is a slice: no C data.
type Names []string

// Pair is generic.
type Pair[T any] struct{ A, B T }

// Alias stands for Pad64.
type Alias = Pad64
