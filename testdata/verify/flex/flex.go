// Package flex has the classic trailing zero-size field failure: Go pads a
// struct that ends in one, so Flex is larger than C's struct flex.
package flex

// Flex is struct flex.
type Flex struct {
	Len   uint32
	Flags uint32
	Data  [0]uint32
}
