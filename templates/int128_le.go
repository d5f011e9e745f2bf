//go:build 386 || amd64 || amd64p32 || arm || arm64 || loong64 || mipsle || mips64le || mips64p32le || ppc64le || riscv64 || wasm

package templates

// bigEndian reports whether the host is big-endian.
const (
	bigEndian    = false
	bigEndianInt = 0 // bigEndian as a number, for constant expressions
)

// Int128 is C's signed __int128 in host byte order: 16 bytes, two's
// complement, with the low and high 64 bits in the order the host stores
// them (low first on little-endian hosts), so that its memory equals C's.
type Int128 struct {
	Lo uint64 // bits 0..63
	Hi uint64 // bits 64..127, including the sign bit
}

// Uint128 is C's unsigned __int128 in host byte order; see [Int128].
type Uint128 struct {
	Lo uint64 // bits 0..63
	Hi uint64 // bits 64..127
}
