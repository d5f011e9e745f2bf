//go:build armbe || arm64be || mips || mips64 || mips64p32 || ppc64 || s390 || s390x || sparc || sparc64

package templates

// bigEndian reports whether the host is big-endian.
const (
	bigEndian    = true
	bigEndianInt = 1 // bigEndian as a number, for constant expressions
)

// Int128 is C's signed __int128 in host byte order: 16 bytes, two's
// complement, with the low and high 64 bits in the order the host stores
// them (high first on big-endian hosts), so that its memory equals C's.
type Int128 struct {
	Hi uint64 // bits 64..127, including the sign bit
	Lo uint64 // bits 0..63
}

// Uint128 is C's unsigned __int128 in host byte order; see [Int128].
type Uint128 struct {
	Hi uint64 // bits 64..127
	Lo uint64 // bits 0..63
}
