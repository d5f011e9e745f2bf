package templates

import "bytes"

// Bool is C's _Bool: one byte. The kernel side may store any byte in it, so
// it is kept as a byte and read with [Bool.Bool] (non-zero is true), never
// converted to a Go bool by reinterpreting memory.
type Bool uint8

// BoolOf returns the canonical C value of v: 1 for true, 0 for false.
func BoolOf(v bool) Bool {
	if v {
		return 1
	}
	return 0
}

// Bool reports whether b is non-zero, as C does.
func (b Bool) Bool() bool { return b != 0 }

// String returns "true" or "false".
func (b Bool) String() string {
	if b.Bool() {
		return "true"
	}
	return "false"
}

// CString returns the bytes of b up to, not including, the first NUL, or all
// of b if it has none. It is the way to read a C char array.
func CString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// SetCString copies s into the C char array dst, truncating it if needed so
// that a terminating NUL always fits, and zeroes the rest of dst. It returns
// false if s was truncated or contains a NUL byte.
func SetCString(dst []byte, s string) bool {
	if len(dst) == 0 {
		return s == ""
	}
	n := copy(dst[:len(dst)-1], s)
	clear(dst[n:])
	return n == len(s) && bytes.IndexByte(dst[:n], 0) < 0
}
