// Package bitfield has the classic dropped-bitfield failure: padding where
// the bitfields are (bpf2go's form).
package bitfield

// Bits is struct bits.
type Bits struct {
	_     [4]byte
	After uint32
}
