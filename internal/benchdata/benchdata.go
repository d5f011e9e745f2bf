// Package benchdata holds the inputs of mapgen's benchmarks: a committed
// copy of a kernel's BTF, so that figures taken on different machines
// describe the same work, and fractions of it, so that benchmarks can show
// how cost grows with the number of types.
package benchdata

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"sync"

	"github.com/cilium/ebpf/btf"
)

// vmlinuxGz is /sys/kernel/btf/vmlinux of a Linux 6.18 x86_64 kernel
// (126,585 types, 9,748 named structs and unions), gzip -9 -n.
//
//go:embed testdata/vmlinux-6.18.btf.gz
var vmlinuxGz []byte

// VmlinuxName names the committed BTF in benchmark output.
const VmlinuxName = "vmlinux-6.18.btf"

var vmlinux = sync.OnceValues(func() ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(vmlinuxGz))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", VmlinuxName, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", VmlinuxName, err)
	}
	return raw, nil
})

// Vmlinux returns the raw BTF of the committed kernel. The caller must not
// modify it.
func Vmlinux() ([]byte, error) { return vmlinux() }

// Fraction returns raw BTF (little-endian, as the committed kernel's) that
// holds the first num/den of the types `mapgen --all-types` emits for raw:
// its named structs, unions and enums and the typedefs of structs, unions
// and enums, in BTF order, together with every type they refer to. It also
// returns how many of the selected types it holds. Fraction(raw, 1, 1)
// holds all of them.
func Fraction(raw []byte, num, den int) ([]byte, int, error) {
	if num <= 0 || den <= 0 || num > den {
		return nil, 0, fmt.Errorf("fraction %d/%d: want 0 < num <= den", num, den)
	}
	spec, err := btf.LoadSpecFromReader(bytes.NewReader(raw))
	if err != nil {
		return nil, 0, fmt.Errorf("reading BTF: %w", err)
	}
	var selected []btf.Type
	for t, err := range spec.All() {
		if err != nil {
			return nil, 0, fmt.Errorf("reading BTF: %w", err)
		}
		if emitted(t) {
			selected = append(selected, t)
		}
	}
	selected = selected[:len(selected)*num/den]
	b, err := btf.NewBuilder(selected, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("building BTF of %d/%d of the types: %w", num, den, err)
	}
	out, err := b.Marshal(nil, &btf.MarshalOptions{Order: binary.LittleEndian})
	if err != nil {
		return nil, 0, fmt.Errorf("writing BTF of %d/%d of the types: %w", num, den, err)
	}
	return out, len(selected), nil
}

// emitted reports whether --all-types declares a Go name for t.
func emitted(t btf.Type) bool {
	switch t := t.(type) {
	case *btf.Struct, *btf.Union, *btf.Enum:
		return t.TypeName() != ""
	case *btf.Typedef:
		switch btf.UnderlyingType(t).(type) {
		case *btf.Struct, *btf.Union, *btf.Enum:
			return true
		}
	}
	return false
}
