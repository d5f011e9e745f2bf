package layout

import (
	"errors"
	"fmt"
)

// Limits on the BTF this package plans. BTF is input: a corrupt or crafted
// object can describe a type that refers to itself or nests without end,
// and sizes that overflow 32 bits. Every walk of a type here is bounded by
// these constants, and every size is checked against MaxSize, so that
// planning any BTF ends, in bounded time and stack, with a plan or an
// error naming the type.

// MaxSize is the largest C type, in bytes, that layout plans: 256 MiB.
//
// BTF gives member offsets in bits in 32 bits, so no BTF struct has a
// member at or beyond 512 MiB, and Go's 32-bit targets refuse types of
// 2 GiB or more. Half of the BTF bound keeps every bit offset and bit range
// of a plan (an offset plus a bitfield's width) far inside the uint32 that
// Member and Field use. Real types are much smaller: the kernel caps a map
// value at KMALLOC_MAX_SIZE (4 MiB with 4 KiB pages), and vmlinux's largest
// struct is below 1 MiB.
const MaxSize = 1 << 28

// maxResolveDepth bounds a chain of typedefs and qualifiers (const,
// volatile, restrict, type tags). The kernel, libbpf and cilium/ebpf all
// stop at 32 (MAX_RESOLVE_DEPTH): no BTF they accept has a longer chain,
// and a loop (a typedef naming itself) ends here.
const maxResolveDepth = 32

// maxDepth bounds how deeply a walk descends from a type into the types it
// is made of (typedefs, qualifiers, array elements, members by value and
// anonymous members), so that recursion proportional to it never exhausts
// the stack. Real C types nest a few dozen levels; this leaves room for
// generated code nested hundreds of levels deep.
const maxDepth = 1024

// sizeError says that a type of size bytes is beyond MaxSize.
func sizeError(size uint64) error {
	return fmt.Errorf("%d bytes exceed the limit of %d bytes: %w", size, MaxSize, ErrUnsupported)
}

// depthError says that planning went deeper than maxDepth, at the type typ.
type depthError struct{ typ string }

func (e *depthError) Error() string {
	return fmt.Sprintf("%s is nested more than %d levels deep", e.typ, maxDepth)
}

// addContext reports whether an error of planning should be wrapped with
// the member or type it arose in. A depthError is, at the outermost level
// only: the context of every level would make a line of tens of kilobytes.
func (p *Planner) addContext(err error) bool {
	var de *depthError
	return p.depth <= 1 || !errors.As(err, &de)
}
