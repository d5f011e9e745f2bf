package btfread

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// maxNobitsSize bounds the size of a NOBITS data section (.bss): its
// contents are allocated as zeros, so a corrupt header must not make us
// allocate gigabytes. The kernel's limit for an array map value
// (KMALLOC_MAX_SIZE) is far below this on common configurations.
const maxNobitsSize = 1 << 28

// elfObject is the ELF view of an eBPF object: sections, symbols and the
// helpers both the primary and the fallback path use.
type elfObject struct {
	path string
	f    *elf.File
	// syms is the symbol table without the null symbol: symbol table index
	// i is syms[i-1].
	syms []elf.Symbol
	// bySection holds the symbols of each section, and byName the first
	// symbol of each section and name: lookups must not scan the table, as
	// a crafted object can hold millions of symbols and sections.
	bySection map[elf.SectionIndex][]elf.Symbol
	byName    map[symbolKey]elf.Symbol
	// comment holds the compiler identification: the contents of .comment
	// or .debug_str, whichever names a clang version.
	comment string
}

// recoverAs runs fn and turns a panic into an error starting with what.
//
// It is a last resort for code this package does not control: debug/elf
// is not hardened against every malformed input (cilium/ebpf wraps it the
// same way in internal.SafeELFFile), and cilium/ebpf recovers from panics
// in its own decoders but no input may crash mapgen. Everything this
// package reads itself is validated before use; no panic has been seen in
// fuzzing (see FuzzOpen).
func recoverAs(what string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: %v", what, r)
		}
	}()
	return fn()
}

func openELF(path string, r io.ReaderAt) (*elfObject, error) {
	var f *elf.File
	err := recoverAs("malformed ELF", func() (err error) {
		f, err = elf.NewFile(r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid ELF file: %w", path, err)
	}
	if f.Machine != elf.EM_BPF {
		return nil, fmt.Errorf("%s: ELF object for machine %s (e_machine %d), not an eBPF object (EM_BPF)", path, f.Machine, uint16(f.Machine))
	}
	if f.Class != elf.ELFCLASS64 {
		return nil, fmt.Errorf("%s: ELF class %s; eBPF objects are 64-bit ELF (ELFCLASS64)", path, f.Class)
	}
	if f.Section(".BTF") == nil {
		return nil, fmt.Errorf("%s: no BTF (no .BTF section; compile with clang -g)", path)
	}

	o := &elfObject{path: path, f: f}
	err = recoverAs("malformed ELF", func() (err error) {
		o.syms, err = f.Symbols()
		return err
	})
	if err != nil && !errors.Is(err, elf.ErrNoSymbols) {
		return nil, fmt.Errorf("%s: reading ELF symbol table: %w", path, err)
	}
	o.bySection = make(map[elf.SectionIndex][]elf.Symbol)
	o.byName = make(map[symbolKey]elf.Symbol)
	for _, s := range o.syms {
		if s.Section < elf.SHN_LORESERVE && int(s.Section) >= len(f.Sections) {
			return nil, fmt.Errorf("%s: symbol %q: section index %d out of range", path, s.Name, s.Section)
		}
		o.bySection[s.Section] = append(o.bySection[s.Section], s)
		if key := (symbolKey{o.sectionName(s), s.Name}); key.section != "" {
			if _, dup := o.byName[key]; !dup {
				o.byName[key] = s
			}
		}
	}

	for _, sec := range f.Sections {
		if isDataSectionName(sec.Name) && sec.Type == elf.SHT_NOBITS && sec.Size > maxNobitsSize {
			return nil, fmt.Errorf("%s: section %s: size %d exceeds the limit of %d bytes", path, sec.Name, sec.Size, maxNobitsSize)
		}
		if sec.Type == elf.SHT_PROGBITS || sec.Type == elf.SHT_NOBITS {
			if sec.Size > math.MaxUint32 {
				return nil, fmt.Errorf("%s: section %s: size %d exceeds 32 bits", path, sec.Name, sec.Size)
			}
		}
	}

	// The compiler's identification: ".comment" where a toolchain writes
	// it, else DWARF's DW_AT_producer string in .debug_str (clang writes no
	// .comment for BPF targets).
	for _, name := range []string{".comment", ".debug_str"} {
		sec := f.Section(name)
		if sec == nil || sec.Type == elf.SHT_NOBITS {
			continue
		}
		data, err := o.sectionData(sec)
		if err != nil {
			return nil, err
		}
		if major, _ := clangMajor(string(data)); major != 0 {
			o.comment = string(data)
			break
		}
	}
	return o, nil
}

func (o *elfObject) sectionData(sec *elf.Section) ([]byte, error) {
	var data []byte
	err := recoverAs("malformed ELF", func() (err error) {
		data, err = sec.Data()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: section %s: reading contents: %w", o.path, sec.Name, err)
	}
	if uint64(len(data)) != sec.Size {
		return nil, fmt.Errorf("%s: section %s: read %d bytes, header says %d", o.path, sec.Name, len(data), sec.Size)
	}
	return data, nil
}

// sectionName returns the name of the section a symbol is defined in, or
// "" for undefined, absolute and other special symbols.
func (o *elfObject) sectionName(s elf.Symbol) string {
	if s.Section == elf.SHN_UNDEF || s.Section >= elf.SHN_LORESERVE || int(s.Section) >= len(o.f.Sections) {
		return ""
	}
	return o.f.Sections[s.Section].Name
}

// symbolKey locates a symbol: the name of its section and its own.
type symbolKey struct{ section, name string }

// symbol returns the (first) symbol named name defined in section secName.
func (o *elfObject) symbol(secName, name string) (elf.Symbol, bool) {
	s, ok := o.byName[symbolKey{secName, name}]
	return s, ok
}

// isDataSectionName reports whether a section holds global data mapgen
// describes: .data, .rodata, .bss, .data.*, .rodata.*.
func isDataSectionName(name string) bool {
	switch {
	case name == ".data", name == ".rodata", name == ".bss":
		return true
	case strings.HasPrefix(name, ".data."), strings.HasPrefix(name, ".rodata."):
		return true
	}
	return false
}

func isLegacyMapSection(name string) bool {
	return strings.HasPrefix(name, "maps")
}

// functions classifies the object's function symbols: entry programs
// (functions in an executable section other than .text, as cilium/ebpf
// defines them) and subprograms (functions in .text).
func (o *elfObject) functions() (entry []string, sub map[string]bool) {
	sub = make(map[string]bool)
	seen := make(map[string]bool)
	for _, s := range o.syms {
		name := o.sectionName(s)
		if name == "" || s.Name == "" {
			continue
		}
		sec := o.f.Sections[s.Section]
		if sec.Type != elf.SHT_PROGBITS || sec.Flags&elf.SHF_EXECINSTR == 0 || sec.Size == 0 {
			continue
		}
		typ := elf.ST_TYPE(s.Info)
		if typ != elf.STT_FUNC && !(typ == elf.STT_NOTYPE && elf.ST_BIND(s.Info) != elf.STB_LOCAL) {
			continue
		}
		if name == ".text" {
			sub[s.Name] = true
			continue
		}
		if !seen[s.Name] {
			seen[s.Name] = true
			entry = append(entry, s.Name)
		}
	}
	sort.Strings(entry)
	return entry, sub
}

// loadRawBTF loads the .BTF section as a raw blob, without the lazy ELF
// fix-ups btf.LoadSpec applies, and fixes up the data sections itself from
// the ELF section headers and symbol table.
//
// btf.LoadSpec fixes Datasecs lazily, when a type is first looked up; its
// fix-up of .ksyms fails for typed ksyms ("expected runqueues to be *Void")
// and then makes Spec.All stop with an error, which would break every
// consumer of Object.Spec. Fixing up here, eagerly, avoids that.
//
// Variables that need an offset from the symbol table but have no symbol
// are returned in unplaced (section name -> variable names).
func (o *elfObject) loadRawBTF() (spec *btf.Spec, unplaced map[string][]string, err error) {
	data, err := o.sectionData(o.f.Section(".BTF"))
	if err != nil {
		return nil, nil, err
	}
	if len(data) < 2 {
		return nil, nil, fmt.Errorf("%s: .BTF section: too short", o.path)
	}
	if bo := btfByteOrder(data); bo != o.f.ByteOrder {
		return nil, nil, fmt.Errorf("%s: .BTF section: byte order %v does not match ELF byte order %v", o.path, bo, o.f.ByteOrder)
	}
	spec, err = btf.LoadSpecFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: .BTF section: %w", o.path, err)
	}
	if err := checkGraph(spec); err != nil {
		return nil, nil, fmt.Errorf("%s: .BTF section: %w", o.path, err)
	}

	unplaced = make(map[string][]string)
	for typ, err := range spec.All() {
		if err != nil {
			return nil, nil, fmt.Errorf("%s: .BTF section: %w", o.path, err)
		}
		ds, ok := typ.(*btf.Datasec)
		if !ok || ds.Size != 0 {
			continue
		}
		sec := o.f.Section(ds.Name)
		if sec == nil || ds.Name == ".ksyms" || ds.Name == ".kconfig" {
			// Virtual sections: nothing in the ELF to fix them up from.
			continue
		}
		ds.Size = uint32(sec.Size) // checked to fit in openELF
		for i := range ds.Vars {
			v, ok := ds.Vars[i].Type.(*btf.Var)
			if !ok {
				return nil, nil, fmt.Errorf("%s: BTF data section %s: entry %d is a %T, not a variable", o.path, ds.Name, i, ds.Vars[i].Type)
			}
			sym, ok := o.symbol(ds.Name, v.Name)
			if !ok {
				unplaced[ds.Name] = append(unplaced[ds.Name], v.Name)
				continue
			}
			if sym.Value > math.MaxUint32 {
				return nil, nil, fmt.Errorf("%s: section %s: variable %q: offset %d exceeds 32 bits", o.path, ds.Name, v.Name, sym.Value)
			}
			ds.Vars[i].Offset = uint32(sym.Value)
		}
	}
	return spec, unplaced, nil
}

// btfByteOrder returns the byte order of a raw BTF blob from its magic, or
// nil if data does not start with the BTF magic.
func btfByteOrder(data []byte) binary.ByteOrder {
	switch {
	case len(data) >= 2 && data[0] == 0x9f && data[1] == 0xeb:
		return binary.LittleEndian
	case len(data) >= 2 && data[0] == 0xeb && data[1] == 0x9f:
		return binary.BigEndian
	}
	return nil
}

// dataSections builds the model of every global data section from the ELF
// section headers and contents and the BTF Datasecs of spec. spec's
// Datasecs must already be fixed up (offsets and sizes from the symbol
// table). unplaced lists variables to leave out (no known offset).
func (o *elfObject) dataSections(spec *btf.Spec, unplaced map[string][]string) ([]*DataSection, []string, error) {
	var (
		out      []*DataSection
		warnings []string
	)
	seen := make(map[string]bool)
	for i, sec := range o.f.Sections {
		if !isDataSectionName(sec.Name) {
			continue
		}
		if sec.Type != elf.SHT_PROGBITS && sec.Type != elf.SHT_NOBITS {
			return nil, nil, fmt.Errorf("%s: data section %s: unexpected section type %s", o.path, sec.Name, sec.Type)
		}
		if seen[sec.Name] {
			return nil, nil, fmt.Errorf("%s: data section %s: defined twice", o.path, sec.Name)
		}
		seen[sec.Name] = true
		ds := &DataSection{
			Name:     sec.Name,
			Size:     uint32(sec.Size),
			ReadOnly: strings.HasPrefix(sec.Name, ".rodata"),
		}
		if sec.Type == elf.SHT_NOBITS {
			ds.Contents = make([]byte, sec.Size)
		} else {
			data, err := o.sectionData(sec)
			if err != nil {
				return nil, nil, err
			}
			ds.Contents = data
		}

		var btfSec *btf.Datasec
		err := spec.TypeByName(sec.Name, &btfSec)
		switch {
		case errors.Is(err, btf.ErrNotFound):
			// Only anonymous data (string literals and the like).
		case err != nil:
			return nil, nil, fmt.Errorf("%s: data section %s: BTF: %w", o.path, sec.Name, err)
		default:
			skip := make(map[string]bool)
			for _, name := range unplaced[sec.Name] {
				skip[name] = true
				warnings = append(warnings, fmt.Sprintf("section %s: variable %s has no ELF symbol, so its offset is unknown; it is left out", sec.Name, name))
			}
			described := make(map[string]bool)
			for i, vsi := range btfSec.Vars {
				v, ok := vsi.Type.(*btf.Var)
				if !ok {
					return nil, nil, fmt.Errorf("%s: data section %s: BTF entry %d is a %T, not a variable", o.path, sec.Name, i, vsi.Type)
				}
				described[v.Name] = true
				if skip[v.Name] {
					continue
				}
				size := vsi.Size
				if size == 0 {
					if sym, ok := o.symbol(sec.Name, v.Name); ok && sym.Size <= math.MaxUint32 {
						size = uint32(sym.Size)
					}
				}
				if uint64(vsi.Offset)+uint64(size) > sec.Size {
					return nil, nil, fmt.Errorf("%s: data section %s: variable %q: offset %d + size %d exceeds the section size %d", o.path, sec.Name, v.Name, vsi.Offset, size, sec.Size)
				}
				if v.Type == nil {
					return nil, nil, fmt.Errorf("%s: data section %s: variable %q has no type", o.path, sec.Name, v.Name)
				}
				// clang's global SRA splits an optimised static struct: the
				// Datasec entry ("split_lim.0") then covers a part of the
				// struct its BTF type still describes in full. A field of the
				// type would overlap what follows, so leave it out.
				tsize, err := btf.Sizeof(v.Type)
				if err == nil {
					if err := fits32("type", v.Type, uint64(tsize)); err != nil {
						return nil, nil, fmt.Errorf("%s: data section %s: variable %q: %w", o.path, sec.Name, v.Name, err)
					}
				}
				if err != nil || uint64(tsize) != uint64(size) {
					what := fmt.Sprintf("%d bytes", tsize)
					if err != nil {
						what = fmt.Sprintf("of unknown size (%v)", err)
					}
					warnings = append(warnings, fmt.Sprintf("section %s: variable %s (offset %d) occupies %d bytes but its BTF type %s is %s (clang splits optimised static structs); it is left out", sec.Name, v.Name, vsi.Offset, size, typeName(v.Type), what))
					continue
				}
				static, hidden := v.Linkage == btf.StaticVar, false
				if sym, ok := o.symbol(sec.Name, v.Name); ok {
					static = static || elf.ST_BIND(sym.Info) == elf.STB_LOCAL
					vis := elf.ST_VISIBILITY(sym.Other)
					hidden = vis == elf.STV_HIDDEN || vis == elf.STV_INTERNAL
				}
				ds.Variables = append(ds.Variables, &Variable{
					Name:   v.Name,
					Offset: vsi.Offset,
					Size:   size,
					Type:   v.Type,
					Static: static,
					Hidden: hidden,
				})
			}
			// Named object symbols in the section that BTF does not describe
			// (clang omits some static variables, for example function-local
			// statics): their bytes are in Contents, but they get no
			// Variable. Say so.
			for _, s := range o.bySection[elf.SectionIndex(i)] {
				if s.Name == "" || strings.HasPrefix(s.Name, ".") || described[s.Name] {
					continue
				}
				if elf.ST_TYPE(s.Info) != elf.STT_OBJECT {
					continue
				}
				warnings = append(warnings, fmt.Sprintf("section %s: variable %s (offset %d, size %d) has no BTF description; it gets no field", sec.Name, s.Name, s.Value, s.Size))
			}
		}
		sort.SliceStable(ds.Variables, func(i, j int) bool {
			if ds.Variables[i].Offset != ds.Variables[j].Offset {
				return ds.Variables[i].Offset < ds.Variables[j].Offset
			}
			return ds.Variables[i].Name < ds.Variables[j].Name
		})
		out = append(out, ds)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, warnings, nil
}

func sectionIndex(f *elf.File, sec *elf.Section) elf.SectionIndex {
	for i, s := range f.Sections {
		if s == sec {
			return elf.SectionIndex(i)
		}
	}
	return elf.SHN_UNDEF
}

// typeName names a BTF type for messages: "struct limits", "__u32",
// "int[4]", ... Qualifiers (const, volatile) are left out.
func typeName(typ btf.Type) string {
	typ = btf.QualifiedType(typ)
	name := typ.TypeName()
	switch t := typ.(type) {
	case *btf.Array:
		// Arrays of arrays are spelled by cilium/ebpf's formatter: an
		// array has no name of its own.
		elem := btf.QualifiedType(t.Type)
		if _, nested := elem.(*btf.Array); !nested && elem != nil {
			return fmt.Sprintf("%s[%d]", typeName(elem), t.Nelems)
		}
	case *btf.Struct:
		return "struct " + name
	case *btf.Union:
		return "union " + name
	case *btf.Enum:
		return "enum " + name
	}
	if name == "" {
		return fmt.Sprint(typ)
	}
	return name
}

// fits32 checks that a type of size bytes (what: "key type", ...) can be
// described by the 32-bit sizes of BTF and of the kernel's map attributes.
// cilium/ebpf truncates a larger key or value size to 32 bits.
func fits32(what string, typ btf.Type, size uint64) error {
	if size > math.MaxUint32 {
		return fmt.Errorf("%s %s is %d bytes, more than 32 bits", what, typeName(typ), size)
	}
	return nil
}
