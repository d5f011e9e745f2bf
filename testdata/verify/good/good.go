// Package good holds correct hand-written Go types for the C types of
// testdata/c/verify.c: mapgen verify finds nothing wrong with them on any
// GOARCH. Each is written the way a careful person might, not the way
// mapgen writes it.
package good

import "structs"

// Pad64 is struct pad64, with its hole and tail padding explicit.
type Pad64 struct {
	_ structs.HostLayout
	A uint32
	_ [4]byte
	B uint64
	C uint32
	_ [4]byte
}

// PackedPair is struct packed_pair: B cannot be a uint64 at offset 4 on
// 64-bit targets, so its bytes are storage.
type PackedPair struct {
	A uint32
	B [8]byte
}

// Flex is struct flex; the flexible array has no field.
type Flex struct {
	Len   uint32
	Flags uint32
}

// Tagged is struct tagged, the union held by its largest member.
type Tagged struct {
	Kind uint32
	_    uint32
	V    uint64
}

// Bits is struct bits, its bitfields in one uint32.
type Bits struct {
	Fields uint32
	After  uint32
}

// Point is struct point.
type Point struct {
	X, Y int32
}

// Kitchen pairs by its comment, not by its name.
//
//mapgen:ctype struct kitchen
type Kitchen struct {
	Name   [16]int8
	Addr   [4]byte
	Color  uint32
	On     bool
	TOS    uint8
	Pad    [6]byte
	Ptr    uint64
	F      float32
	Ports  [2]int16
	D      float64
	Pts    [2]Point
	Origin [8]byte
	N      uint64
	Bits   uint8
	_      [7]byte
	Tail   uint64
}

// PortsT is ports_t (a typedef of an anonymous struct).
type PortsT struct {
	Sport, Dport uint16
	Proto        uint8
	_            [1]byte
}

// Signs is struct signs.
type Signs struct {
	S int32
	U uint32
}

// Color is enum color.
type Color uint32

// Unrelated pairs with no C type: verify skips it.
type Unrelated struct {
	Name string
}

// SignsByFlag is paired with struct signs by --pair in the test.
type SignsByFlag struct {
	S int32
	U uint32
}
