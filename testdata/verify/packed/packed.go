// Package packed has the classic packed-member failure: B is at 4 in C,
// where only the targets that align uint64 to 4 put it.
package packed

// PackedPair is struct packed_pair.
type PackedPair struct {
	A uint32
	B uint64
}
