package verify

// Class is what kind of value a leaf holds, as far as its bytes'
// meaning goes: the signedness class of an integer, a float, a pointer,
// a bool. Two leaves of the same size hold the same value only if their
// classes agree (see compatible).
type Class int

const (
	ClassSigned Class = iota
	ClassUnsigned
	ClassFloat
	ClassPointer
	ClassBool
	// ClassBytes is opaque storage on the Go side: an array of byte
	// (uint8). It may cover any whole C members.
	ClassBytes
	// ClassOther is a Go type that cannot hold C data (string, slice,
	// map, interface, complex, ...).
	ClassOther
)

func (c Class) String() string {
	return [...]string{"signed integer", "unsigned integer", "float", "pointer", "bool", "bytes", "not C data"}[c]
}

// compatible reports whether a Go leaf of class g holds a C leaf of class
// c and the same size. anySign is set for C leaves whose signedness a Go
// reader may choose: char (its sign differs between C targets) and enums
// (clang chooses it from the values; Go code commonly uses uint32).
func compatible(g Class, c Class, anySign bool) bool {
	switch {
	case g == ClassBytes:
		return true
	case g == c:
		return true
	case anySign && (c == ClassSigned || c == ClassUnsigned):
		return g == ClassSigned || g == ClassUnsigned
	case c == ClassBool:
		// templates.Bool and uint8: a byte that may hold any value.
		return g == ClassUnsigned
	case c == ClassPointer:
		// BPF pointers are 64-bit: uint64 is the portable Go type.
		return g == ClassUnsigned
	}
	return false
}
