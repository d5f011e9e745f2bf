// Package signs has a signedness failure: S is signed in C.
package signs

// Signs is struct signs.
type Signs struct {
	S uint32
	U uint32
}
