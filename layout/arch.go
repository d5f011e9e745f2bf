package layout

import "encoding/binary"

// Arch is a Go target whose layout generated code must reproduce.
type Arch struct {
	// GOARCH as the Go toolchain spells it.
	GOARCH string
	// Align64 is Go's alignment of 64-bit integers and floats on this
	// target: 8 on 64-bit targets, 4 on 386, arm, mips and mipsle.
	Align64 uint32
	// ByteOrder of the target.
	ByteOrder binary.ByteOrder
}

// Archs are the targets mapgen proves layouts for, little-endian first.
// Objects compiled for bpfel run on the little-endian ones, bpfeb objects on
// the big-endian ones.
var Archs = []Arch{
	{"amd64", 8, binary.LittleEndian},
	{"arm64", 8, binary.LittleEndian},
	{"386", 4, binary.LittleEndian},
	{"arm", 4, binary.LittleEndian},
	{"riscv64", 8, binary.LittleEndian},
	{"ppc64le", 8, binary.LittleEndian},
	{"mips64le", 8, binary.LittleEndian},
	{"loong64", 8, binary.LittleEndian},
	{"mipsle", 4, binary.LittleEndian},
	{"s390x", 8, binary.BigEndian},
	{"ppc64", 8, binary.BigEndian},
	{"mips", 4, binary.BigEndian},
	{"mips64", 8, binary.BigEndian},
}

// ArchsFor returns the targets of one byte order, in the order of Archs.
func ArchsFor(order binary.ByteOrder) []Arch {
	var out []Arch
	for _, a := range Archs {
		if a.ByteOrder == order {
			out = append(out, a)
		}
	}
	return out
}

// BuildConstraint returns the //go:build expression that selects every
// GOARCH Go supports with the given byte order, so that a file generated
// from a bpfel object is compiled only where its layout holds.
func BuildConstraint(order binary.ByteOrder) string {
	if order == binary.BigEndian {
		return "armbe || arm64be || mips || mips64 || mips64p32 || ppc64 || s390 || s390x || sparc || sparc64"
	}
	return "386 || amd64 || amd64p32 || arm || arm64 || loong64 || mips64le || mips64p32le || mipsle || ppc64le || riscv64 || wasm"
}
