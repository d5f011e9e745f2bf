//go:build 386

// Package only386 builds for 386 alone: verify checks its types there and
// finds no package on the other GOARCHes, which is no error.
package only386

// Pad64 is struct pad64 without its padding.
type Pad64 struct {
	A uint32
	B uint64
	C uint32
}
