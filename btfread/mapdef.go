package btfread

import (
	"debug/elf"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// This file reads map definitions straight from BTF and the ELF, without
// cilium/ebpf's collection loader. Open uses it only when
// ebpf.LoadCollectionSpec rejects an object for reasons unrelated to its
// maps (weak map symbols as declared by libbpf's usdt.bpf.h, typed .ksyms
// externs, ...). The rules follow libbpf and cilium/ebpf v0.22
// (elf_reader.go, mapSpecFromBTF), and the tests check that both paths
// agree on every object cilium/ebpf accepts.

// innerSuffix is appended to the outer map's name to name the inner map
// template, as cilium/ebpf does (libbpf uses "<outer>.inner").
const innerSuffix = "_inner"

// parseMapDef parses one BTF map definition: a struct whose members are
// written with libbpf's __uint, __type, __array and __ulong macros. It
// returns the map and, for definitions with a `values` member, that member
// (its offset locates the .values slots). Errors do not name the map; the
// caller adds it.
func parseMapDef(def *btf.Struct, name string, inner bool) (*Map, *btf.Member, error) {
	m := &Map{Name: name}
	var (
		keySize, valueSize uint64
		values             *btf.Member
		hasValueType       bool
	)
	for i := range def.Members {
		member := &def.Members[i]
		var err error
		switch member.Name {
		case "type":
			var t uint64
			t, err = macroUint(member.Type)
			m.Type = ebpf.MapType(t)
		case "map_flags":
			var v uint64
			v, err = macroUint(member.Type)
			m.Flags = uint32(v)
		case "max_entries":
			var v uint64
			v, err = macroUint(member.Type)
			m.MaxEntries = uint32(v)
		case "numa_node":
			var v uint64
			v, err = macroUint(member.Type)
			m.NumaNode = uint32(v)
		case "map_extra":
			m.MapExtra, err = macroUint(member.Type)
		case "pinning":
			if inner {
				return nil, nil, errors.New("inner maps can't be pinned")
			}
			var v uint64
			v, err = macroUint(member.Type)
			m.Pinning = ebpf.PinType(v)
		case "key":
			if keySize != 0 {
				return nil, nil, errors.New("both key and key_size given")
			}
			m.Key, keySize, err = macroType(member.Type)
		case "value":
			if valueSize != 0 {
				return nil, nil, errors.New("both value and value_size given")
			}
			m.Value, valueSize, err = macroType(member.Type)
			hasValueType = true
		case "key_size":
			if m.Key != nil || keySize != 0 {
				return nil, nil, errors.New("both key and key_size given")
			}
			keySize, err = macroUint(member.Type)
		case "value_size":
			if m.Value != nil || valueSize != 0 {
				return nil, nil, errors.New("both value and value_size given")
			}
			valueSize, err = macroUint(member.Type)
		case "values":
			if i != len(def.Members)-1 {
				return nil, nil, errors.New("'values' must be the last member of a map definition")
			}
			if valueSize != 0 && valueSize != 4 {
				return nil, nil, fmt.Errorf("value size %d with 'values': must be 0 or 4", valueSize)
			}
			valueSize = 4
			target, err := macroArray(member.Type)
			if err != nil {
				return nil, nil, fmt.Errorf("member values: %w", err)
			}
			switch t := target.(type) {
			case *btf.Struct:
				if m.Type != ebpf.ArrayOfMaps && m.Type != ebpf.HashOfMaps {
					return nil, nil, fmt.Errorf("'values' of map definitions needs an array or hash of maps, not %v", m.Type)
				}
				if inner {
					return nil, nil, errors.New("nested inner maps are not supported")
				}
				m.Inner, _, err = parseMapDef(t, name+innerSuffix, true)
				if err != nil {
					return nil, nil, fmt.Errorf("inner map: %w", err)
				}
			case *btf.FuncProto:
				if m.Type != ebpf.ProgramArray {
					return nil, nil, fmt.Errorf("'values' of functions needs a program array, not %v", m.Type)
				}
			default:
				return nil, nil, fmt.Errorf("unsupported type %v in 'values'", target)
			}
			values = member
		default:
			return nil, nil, fmt.Errorf("unrecognized member %q in map definition", member.Name)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("member %s: %w", member.Name, err)
		}
	}
	for _, kv := range []struct {
		what string
		typ  btf.Type
		size uint64
	}{{"key", m.Key, keySize}, {"value", m.Value, valueSize}} {
		if kv.typ != nil {
			if err := fits32(kv.what+" type", kv.typ, kv.size); err != nil {
				return nil, nil, err
			}
		} else if kv.size > math.MaxUint32 {
			return nil, nil, fmt.Errorf("%s size %d exceeds 32 bits", kv.what, kv.size)
		}
	}
	// As cilium/ebpf: ring buffers, arenas and perf event arrays may name a
	// value type for documentation, but have no value size.
	if hasValueType && m.Value != nil && (m.Type == ebpf.RingBuf || m.Type == ebpf.Arena || m.Type == ebpf.PerfEventArray) {
		valueSize = 0
	}
	m.KeySize = uint32(keySize)
	m.ValueSize = uint32(valueSize)
	return m, values, nil
}

// macroUint decodes __uint(name, val) (int (*name)[val]) and
// __ulong(name, val) (an anonymous enum whose only value is val).
func macroUint(typ btf.Type) (uint64, error) {
	switch t := typ.(type) {
	case *btf.Pointer:
		arr, ok := t.Target.(*btf.Array)
		if !ok {
			return 0, fmt.Errorf("not a pointer to an array (__uint): %v", typ)
		}
		return uint64(arr.Nelems), nil
	case *btf.Enum:
		if len(t.Values) == 0 {
			return 0, errors.New("enum (__ulong) has no values")
		}
		return t.Values[0].Value, nil
	}
	return 0, fmt.Errorf("not a pointer or enum (__uint/__ulong): %v", typ)
}

// macroType decodes __type(name, T) (T *name): it returns T and its size.
func macroType(typ btf.Type) (btf.Type, uint64, error) {
	p, ok := typ.(*btf.Pointer)
	if !ok {
		return nil, 0, fmt.Errorf("not a pointer (__type): %v", typ)
	}
	if p.Target == nil {
		return nil, 0, errors.New("pointer (__type) without target")
	}
	size, err := btf.Sizeof(p.Target)
	if err != nil {
		return nil, 0, fmt.Errorf("size of %v: %w", p.Target, err)
	}
	return p.Target, uint64(size), nil
}

// macroArray decodes __array(name, T) (T *name[]): it returns T.
func macroArray(typ btf.Type) (btf.Type, error) {
	arr, ok := typ.(*btf.Array)
	if !ok {
		return nil, fmt.Errorf("not an array (__array): %v", typ)
	}
	p, ok := arr.Type.(*btf.Pointer)
	if !ok {
		return nil, fmt.Errorf("not an array of pointers (__array): %v", typ)
	}
	if p.Target == nil {
		return nil, errors.New("array (__array) of pointers without target")
	}
	return p.Target, nil
}

// btfMap is a map from .maps together with its place in the section.
type btfMap struct {
	m      *Map
	offset uint32
}

// readBTFMaps reads every map definition of the .maps section from BTF,
// with its .values slots from the section's relocations, in the order of
// the definitions in the section.
func (o *elfObject) readBTFMaps(spec *btf.Spec) ([]*Map, error) {
	sec := o.f.Section(".maps")
	var ds *btf.Datasec
	err := spec.TypeByName(".maps", &ds)
	switch {
	case errors.Is(err, btf.ErrNotFound):
		if sec != nil && sec.Size > 0 {
			return nil, fmt.Errorf("%s: section .maps has no BTF description", o.path)
		}
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("%s: BTF of section .maps: %w", o.path, err)
	case sec == nil:
		return nil, fmt.Errorf("%s: BTF describes a .maps section the ELF lacks", o.path)
	}

	rels, err := o.relocations(sec)
	if err != nil {
		return nil, err
	}

	var maps []btfMap
	for i, vsi := range ds.Vars {
		v, ok := vsi.Type.(*btf.Var)
		if !ok {
			return nil, fmt.Errorf("%s: section .maps: BTF entry %d is a %T, not a variable", o.path, i, vsi.Type)
		}
		if uint64(vsi.Offset)+uint64(vsi.Size) > sec.Size {
			return nil, fmt.Errorf("%s: map %q: offset %d + size %d exceeds the size %d of section .maps", o.path, v.Name, vsi.Offset, vsi.Size, sec.Size)
		}
		def, ok := btf.UnderlyingType(v.Type).(*btf.Struct)
		if !ok {
			return nil, fmt.Errorf("%s: map %q: definition is a %v, not a struct", o.path, v.Name, v.Type)
		}
		m, values, err := parseMapDef(def, v.Name, false)
		if err != nil {
			return nil, fmt.Errorf("%s: map %q: %w", o.path, v.Name, err)
		}
		if values != nil {
			m.Values, err = valuesSlots(rels, vsi, values)
			if err != nil {
				return nil, fmt.Errorf("%s: map %q: %w", o.path, v.Name, err)
			}
		}
		maps = append(maps, btfMap{m, vsi.Offset})
	}
	sort.SliceStable(maps, func(i, j int) bool { return maps[i].offset < maps[j].offset })
	out := make([]*Map, len(maps))
	for i := range maps {
		out[i] = maps[i].m
	}
	return out, nil
}

// valuesSlots finds the .values slots of one map definition: a relocation
// at r_offset names the symbol placed in slot
// (r_offset - var_offset - values_offset) / 8.
func valuesSlots(rels map[uint64]string, vsi btf.VarSecinfo, values *btf.Member) ([]Slot, error) {
	const ptrSize = 8 // pointers are 64-bit in BPF
	start := uint64(vsi.Offset) + uint64(values.Offset.Bytes())
	end := uint64(vsi.Offset) + uint64(vsi.Size)
	if start > end {
		return nil, fmt.Errorf("member values at offset %d lies beyond the definition's size %d", values.Offset.Bytes(), vsi.Size)
	}
	var slots []Slot
	for off, name := range rels {
		if off < start || off >= end {
			continue
		}
		if (off-start)%ptrSize != 0 {
			return nil, fmt.Errorf("values: relocation at offset %d is not aligned to a slot", off)
		}
		slot := (off - start) / ptrSize
		if name == "" {
			return nil, fmt.Errorf("values slot %d: relocation against an unnamed symbol", slot)
		}
		slots = append(slots, Slot{Index: uint32(slot), Name: name})
	}
	sort.Slice(slots, func(i, j int) bool { return slots[i].Index < slots[j].Index })
	return slots, nil
}

// relocations reads the REL sections that apply to sec and returns the
// name of the symbol each relocated offset refers to.
func (o *elfObject) relocations(sec *elf.Section) (map[uint64]string, error) {
	idx := sectionIndex(o.f, sec)
	rels := make(map[uint64]string)
	for _, rs := range o.f.Sections {
		if rs.Type == elf.SHT_RELA && elf.SectionIndex(rs.Info) == idx {
			return nil, fmt.Errorf("%s: section %s: RELA relocations (%s) are not used by eBPF objects", o.path, sec.Name, rs.Name)
		}
		if rs.Type != elf.SHT_REL || elf.SectionIndex(rs.Info) != idx {
			continue
		}
		data, err := o.sectionData(rs)
		if err != nil {
			return nil, err
		}
		const entSize = 16 // Elf64_Rel
		if len(data)%entSize != 0 {
			return nil, fmt.Errorf("%s: section %s: size %d is not a multiple of %d", o.path, rs.Name, len(data), entSize)
		}
		bo := o.f.ByteOrder
		for i := 0; i < len(data); i += entSize {
			off := bo.Uint64(data[i:])
			info := bo.Uint64(data[i+8:])
			symIdx := info >> 32
			if symIdx == 0 || symIdx > uint64(len(o.syms)) {
				return nil, fmt.Errorf("%s: section %s: relocation %d: symbol index %d out of range", o.path, rs.Name, i/entSize, symIdx)
			}
			if off >= sec.Size {
				return nil, fmt.Errorf("%s: section %s: relocation %d: offset %d beyond section %s", o.path, rs.Name, i/entSize, off, sec.Name)
			}
			if prev, dup := rels[off]; dup {
				return nil, fmt.Errorf("%s: section %s: two relocations at offset %d (%s, %s)", o.path, rs.Name, off, prev, o.syms[symIdx-1].Name)
			}
			rels[off] = o.syms[symIdx-1].Name
		}
	}
	return rels, nil
}

// legacyMapDefSize is the size of the five fields of struct bpf_map_def
// (type, key_size, value_size, max_entries, map_flags); longer definitions
// carry extra fields this package ignores, as cilium/ebpf does.
const legacyMapDefSize = 20

// readLegacyMaps reads the definitions of the legacy "maps" sections, in
// section order and by offset within a section.
func (o *elfObject) readLegacyMaps() ([]*Map, error) {
	var out []*Map
	for i, sec := range o.f.Sections {
		if !isLegacyMapSection(sec.Name) {
			continue
		}
		var data []byte
		if sec.Type == elf.SHT_NOBITS {
			data = make([]byte, sec.Size)
		} else {
			var err error
			if data, err = o.sectionData(sec); err != nil {
				return nil, err
			}
		}
		var syms []elf.Symbol
		for _, s := range o.bySection[elf.SectionIndex(i)] {
			typ := elf.ST_TYPE(s.Info)
			if s.Name != "" && (typ == elf.STT_OBJECT || typ == elf.STT_NOTYPE) {
				syms = append(syms, s)
			}
		}
		if len(syms) == 0 {
			return nil, fmt.Errorf("%s: section %s: no symbols", o.path, sec.Name)
		}
		sort.SliceStable(syms, func(a, b int) bool { return syms[a].Value < syms[b].Value })
		bo := o.f.ByteOrder
		for _, s := range syms {
			if s.Value > sec.Size || s.Size > sec.Size-s.Value {
				return nil, fmt.Errorf("%s: map %q: definition exceeds section %s", o.path, s.Name, sec.Name)
			}
			if s.Size < legacyMapDefSize {
				return nil, fmt.Errorf("%s: map %q: legacy definition of %d bytes, want at least %d", o.path, s.Name, s.Size, legacyMapDefSize)
			}
			d := data[s.Value : s.Value+s.Size]
			out = append(out, &Map{
				Name:       s.Name,
				Type:       ebpf.MapType(bo.Uint32(d[0:])),
				KeySize:    bo.Uint32(d[4:]),
				ValueSize:  bo.Uint32(d[8:]),
				MaxEntries: bo.Uint32(d[12:]),
				Flags:      bo.Uint32(d[16:]),
				Legacy:     true,
			})
		}
	}
	return out, nil
}
