package templates

import "unsafe"

// Load returns the value of type T whose bytes are b, for C members that
// share storage with others (union members) or sit where Go cannot align
// them (packed members). b must be exactly as long as T.
func Load[T any](b []byte) T {
	var v T
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&v)), unsafe.Sizeof(v)), b)
	return v
}

// Store writes the bytes of v to b, which must be exactly as long as T.
func Store[T any](b []byte, v T) {
	copy(b, unsafe.Slice((*byte)(unsafe.Pointer(&v)), unsafe.Sizeof(v)))
}

// Bit numbering follows BTF: a bitfield's bit offset counts from the first
// bit of its storage, which is the least significant bit of the first byte
// in little-endian objects and the most significant bit of the first byte
// in big-endian ones. The same BTF offsets therefore name different bits
// in bpfel and bpfeb objects.

// LoadBitsLE returns the width-bit unsigned value at bit offset off of b,
// in a little-endian object.
func LoadBitsLE(b []byte, off, width uint) uint64 {
	var v uint64
	for i := uint(0); i < width; {
		pos := off + i
		shift := pos % 8
		n := min(8-shift, width-i)
		bits := uint64(b[pos/8]>>shift) & (1<<n - 1)
		v |= bits << i
		i += n
	}
	return v
}

// StoreBitsLE writes the low width bits of v at bit offset off of b, in a
// little-endian object; other bits of b are kept.
func StoreBitsLE(b []byte, off, width uint, v uint64) {
	for i := uint(0); i < width; {
		pos := off + i
		shift := pos % 8
		n := min(8-shift, width-i)
		mask := byte(1<<n-1) << shift
		b[pos/8] = b[pos/8]&^mask | byte(v>>i)<<shift&mask
		i += n
	}
}

// LoadBitsBE returns the width-bit unsigned value at bit offset off of b,
// in a big-endian object: bit off is the value's most significant bit.
func LoadBitsBE(b []byte, off, width uint) uint64 {
	var v uint64
	for i := uint(0); i < width; {
		pos := off + i
		// Bits left in this byte after pos, counted from its MSB.
		avail := 8 - pos%8
		n := min(avail, width-i)
		bits := uint64(b[pos/8]>>(avail-n)) & (1<<n - 1)
		v = v<<n | bits
		i += n
	}
	return v
}

// StoreBitsBE writes the low width bits of v at bit offset off of b, in a
// big-endian object; other bits of b are kept.
func StoreBitsBE(b []byte, off, width uint, v uint64) {
	for i := uint(0); i < width; {
		pos := off + i
		avail := 8 - pos%8
		n := min(avail, width-i)
		shift := avail - n
		mask := byte(1<<n-1) << shift
		chunk := byte(v >> (width - i - n))
		b[pos/8] = b[pos/8]&^mask | chunk<<shift&mask
		i += n
	}
}

// SignExtend interprets the low width bits of v as a two's complement
// number.
func SignExtend(v uint64, width uint) int64 {
	return int64(v<<(64-width)) >> (64 - width)
}

// BitOf is 1 for true and 0 for false, for storing a _Bool bitfield.
func BitOf(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
