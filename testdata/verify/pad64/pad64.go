// Package pad64 has the classic u64-after-u32 failure: no explicit
// padding before B, so 386, arm, mips and mipsle (where Go aligns uint64
// to 4) put B at 4.
package pad64

// Pad64 is struct pad64.
type Pad64 struct {
	A uint32
	B uint64
	C uint32
}
