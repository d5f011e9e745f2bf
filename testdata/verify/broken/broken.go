// Package broken does not type-check: verify refuses it as bad input.
package broken

// Pad64 has a field of a type that does not exist.
type Pad64 struct {
	A uint32
	B Missing
}
