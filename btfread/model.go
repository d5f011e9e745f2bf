// Package btfread opens compiled eBPF objects (ELF with BTF) and raw BTF blobs
// and returns a model of what mapgen generates code for: the object's maps,
// its global data sections and the named types it carries.
//
// The model keeps BTF types as github.com/cilium/ebpf/btf values; computing C
// layout from them is the job of package layout.
package btfread

import (
	"encoding/binary"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// Object is what one input file holds.
type Object struct {
	// Path is the file the object was read from, as given by the caller.
	Path string
	// ByteOrder is the byte order of the object (bpfel or bpfeb).
	ByteOrder binary.ByteOrder
	// Raw is true for a raw BTF blob (no ELF): it has types but no maps
	// or data sections.
	Raw bool
	// Spec holds every BTF type of the object.
	Spec *btf.Spec
	// Maps in the order of their definition in the object (by offset in
	// the .maps section, legacy maps last), never nil entries.
	Maps []*Map
	// DataSections are the global data sections (.data, .rodata, .bss,
	// .data.*, .rodata.*, .kconfig excluded), sorted by name.
	DataSections []*DataSection
	// Programs are the names of the object's programs (entry points only,
	// not subprograms), sorted.
	Programs []string
	// Warnings are facts about the input a user should know (for example,
	// an old clang that truncated 64-bit enums); the CLI prints them.
	Warnings []string
}

// Map is one map definition.
type Map struct {
	Name       string
	Type       ebpf.MapType
	KeySize    uint32
	ValueSize  uint32
	MaxEntries uint32
	Flags      uint32
	Pinning    ebpf.PinType
	MapExtra   uint64
	// NumaNode is the definition's numa_node (0 if absent). Added by
	// btfread: libbpf accepts the member; cilium/ebpf v0.22's loader rejects
	// it, so such objects take the BTF fallback path.
	NumaNode uint32
	// Key and Value are the BTF types of key and value, or nil where the
	// definition only gives key_size/value_size (and for legacy maps).
	Key, Value btf.Type
	// Legacy is true for a definition in the legacy "maps" section.
	Legacy bool
	// Inner is the template of the inner map for array/hash of maps,
	// from the __array(values, ...) declaration; nil otherwise. Its Name
	// is "<outer>_inner", as cilium/ebpf names it (libbpf: "<outer>.inner").
	Inner *Map
	// Values are the static .values slots of map-in-map and prog array
	// maps, sorted by slot.
	Values []Slot
}

// Slot is one static `.values` entry: slot index and the name of the map
// (map in map) or program (prog array) placed there.
type Slot struct {
	Index uint32
	Name  string
}

// DataSection is one global data section.
type DataSection struct {
	// Name is the ELF section name, for example ".rodata" or ".data.vals".
	Name string
	// Size of the section in bytes.
	Size uint32
	// ReadOnly is true for .rodata and .rodata.* sections.
	ReadOnly bool
	// Variables sorted by offset, with offsets and sizes taken from the
	// ELF symbol table where BTF has zeros (unlinked objects). Empty for
	// sections of anonymous data only (string literals, .rodata.cst16
	// constants), which have no BTF Datasec.
	Variables []*Variable
	// Contents is the initial bytes of the section; all zeros (of length
	// Size) for .bss and other NOBITS sections.
	Contents []byte
}

// Variable is one global variable in a data section. Size is always the
// size of Type: a Datasec entry that covers only part of its type (clang
// splits optimised static structs into "name.0" parts) gets no Variable, and
// Object.Warnings says so; its bytes are still in the section's Contents.
type Variable struct {
	Name   string
	Offset uint32
	Size   uint32
	// Type is the variable's type (the *btf.Var's Type), never nil.
	Type btf.Type
	// Static is true for variables with static (local) linkage: file-scope
	// statics and function statics (including those the compiler makes,
	// such as bpf_printk's format strings).
	Static bool
	// Hidden is true for variables with hidden or internal ELF visibility
	// (__hidden): global to the object, but not meant for outside use.
	Hidden bool
}
