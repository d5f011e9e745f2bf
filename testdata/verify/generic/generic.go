// Package generic pairs a generic type with a C type by //mapgen:ctype:
// verify cannot compare it, and says so (bad input).
package generic

// Pad64 would be struct pad64 for some T; its layout depends on T.
//
//mapgen:ctype struct pad64
type Pad64[T uint32 | uint64] struct {
	A uint32
	B T
	C uint32
}
