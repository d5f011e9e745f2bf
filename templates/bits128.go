package templates

// Bitfields of __int128 and unsigned __int128 (up to 128 bits wide). The
// bit numbering is that of LoadBitsLE and LoadBitsBE: the value's bits are
// split into a high part (bits 64 and up) and a low part (bits 0..63),
// each read or written with the 64-bit functions at the offset where its
// bits are stored.

// split128 returns the bit offsets of the low and high parts of a
// width-bit field at off, and their widths; the high part is empty for
// widths up to 64.
func split128(off, width uint, bigEndian bool) (loOff, loWidth, hiOff, hiWidth uint) {
	if width <= 64 {
		return off, width, off, 0
	}
	hiWidth = width - 64
	if bigEndian {
		// The most significant bit comes first.
		return off + hiWidth, 64, off, hiWidth
	}
	return off, 64, off + 64, hiWidth
}

func loadBits128(b []byte, off, width uint, bigEndian bool) (lo, hi uint64) {
	load := LoadBitsLE
	if bigEndian {
		load = LoadBitsBE
	}
	loOff, loWidth, hiOff, hiWidth := split128(off, width, bigEndian)
	lo = load(b, loOff, loWidth)
	if hiWidth > 0 {
		hi = load(b, hiOff, hiWidth)
	}
	return lo, hi
}

func storeBits128(b []byte, off, width uint, lo, hi uint64, bigEndian bool) {
	store := StoreBitsLE
	if bigEndian {
		store = StoreBitsBE
	}
	loOff, loWidth, hiOff, hiWidth := split128(off, width, bigEndian)
	store(b, loOff, loWidth, lo)
	if hiWidth > 0 {
		store(b, hiOff, hiWidth, hi)
	}
}

// signExtend128 interprets the low width bits of lo, hi as a two's
// complement number.
func signExtend128(lo, hi uint64, width uint) Int128 {
	switch {
	case width <= 64:
		s := SignExtend(lo, width)
		return Int128{Lo: uint64(s), Hi: uint64(s >> 63)}
	case width < 128:
		return Int128{Lo: lo, Hi: uint64(SignExtend(hi, width-64))}
	}
	return Int128{Lo: lo, Hi: hi}
}

// LoadInt128BitsLE returns the signed width-bit value at bit offset off of
// b, in a little-endian object, sign-extended to 128 bits.
func LoadInt128BitsLE(b []byte, off, width uint) Int128 {
	lo, hi := loadBits128(b, off, width, false)
	return signExtend128(lo, hi, width)
}

// LoadInt128BitsBE is LoadInt128BitsLE in a big-endian object.
func LoadInt128BitsBE(b []byte, off, width uint) Int128 {
	lo, hi := loadBits128(b, off, width, true)
	return signExtend128(lo, hi, width)
}

// LoadUint128BitsLE returns the unsigned width-bit value at bit offset off
// of b, in a little-endian object.
func LoadUint128BitsLE(b []byte, off, width uint) Uint128 {
	lo, hi := loadBits128(b, off, width, false)
	return Uint128{Lo: lo, Hi: hi}
}

// LoadUint128BitsBE is LoadUint128BitsLE in a big-endian object.
func LoadUint128BitsBE(b []byte, off, width uint) Uint128 {
	lo, hi := loadBits128(b, off, width, true)
	return Uint128{Lo: lo, Hi: hi}
}

// StoreInt128BitsLE writes the low width bits of v at bit offset off of
// b, in a little-endian object; other bits of b are kept.
func StoreInt128BitsLE(b []byte, off, width uint, v Int128) {
	storeBits128(b, off, width, v.Lo, v.Hi, false)
}

// StoreInt128BitsBE is StoreInt128BitsLE in a big-endian object.
func StoreInt128BitsBE(b []byte, off, width uint, v Int128) {
	storeBits128(b, off, width, v.Lo, v.Hi, true)
}

// StoreUint128BitsLE writes the low width bits of v at bit offset off of
// b, in a little-endian object; other bits of b are kept.
func StoreUint128BitsLE(b []byte, off, width uint, v Uint128) {
	storeBits128(b, off, width, v.Lo, v.Hi, false)
}

// StoreUint128BitsBE is StoreUint128BitsLE in a big-endian object.
func StoreUint128BitsBE(b []byte, off, width uint, v Uint128) {
	storeBits128(b, off, width, v.Lo, v.Hi, true)
}
