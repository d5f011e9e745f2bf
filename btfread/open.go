package btfread

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// Open reads the eBPF ELF object or raw BTF blob at path.
//
// The kind of input is detected from its magic: "\x7fELF" is an eBPF object
// (e_machine EM_BPF, with a .BTF section); 0xeB9F in either byte order is a
// raw BTF blob such as /sys/kernel/btf/vmlinux (Raw is set and only Spec and
// ByteOrder are filled in). Anything else is an error, and so is BTF whose
// types contain or refer to themselves in a way no C declaration can (see
// checkGraph): every walk of Object.Spec's types ends. Every error is one
// line that starts with path.
//
// Only regular files of at most MaxInputSize bytes are read: a FIFO, a
// device or a directory is refused without reading from it.
func Open(path string) (*Object, error) {
	data, err := readInput(path)
	if err != nil {
		return nil, oneLine(err)
	}
	return OpenBytes(path, data)
}

// OpenBytes is Open for an object already in memory; name is used in
// errors and as Object.Path. It refuses more than MaxInputSize bytes.
func OpenBytes(name string, data []byte) (*Object, error) {
	if len(data) > MaxInputSize {
		return nil, oneLine(tooLarge(name, int64(len(data)), ""))
	}
	return OpenReader(name, bytes.NewReader(data))
}

// OpenReader is Open for an object read through r; name is used in errors
// and as Object.Path.
func OpenReader(name string, r io.ReaderAt) (*Object, error) {
	obj, err := openReader(name, r)
	return obj, oneLine(err)
}

func openReader(name string, r io.ReaderAt) (*Object, error) {
	var magic [4]byte
	n, err := r.ReadAt(magic[:], 0)
	if n == 0 && (err == nil || err == io.EOF) {
		return nil, fmt.Errorf("%s: empty file, not an eBPF object or BTF blob", name)
	}
	if n < 2 && err != nil && err != io.EOF {
		return nil, fmt.Errorf("%s: %w", name, unwrapPathError(err))
	}
	switch {
	case n == 4 && string(magic[:]) == elfMagic:
		return openObject(name, r)
	case btfByteOrder(magic[:n]) != nil:
		return openRawBTF(name, r, btfByteOrder(magic[:n]))
	}
	return nil, fmt.Errorf("%s: not an eBPF ELF object or raw BTF blob (magic % x)", name, magic[:n])
}

const elfMagic = "\x7fELF"

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

func openRawBTF(name string, r io.ReaderAt, bo binary.ByteOrder) (*Object, error) {
	var spec *btf.Spec
	err := recoverAs("internal error in cilium/ebpf", func() (err error) {
		spec, err = btf.LoadSpecFromReader(r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: raw BTF: %w", name, err)
	}
	if err := checkGraph(spec); err != nil {
		return nil, fmt.Errorf("%s: raw BTF: %w", name, err)
	}
	return &Object{Path: name, ByteOrder: bo, Raw: true, Spec: spec}, nil
}

func openObject(name string, r io.ReaderAt) (*Object, error) {
	o, err := openELF(name, r)
	if err != nil {
		return nil, err
	}

	var cs *ebpf.CollectionSpec
	cerr := recoverAs("internal error in cilium/ebpf", func() (err error) {
		cs, err = ebpf.LoadCollectionSpecFromReader(r)
		return err
	})

	var obj *Object
	if cerr == nil {
		obj, err = fromCollectionSpec(o, cs)
	} else {
		obj, err = fromBTF(o)
		if err == nil {
			obj.Warnings = append(obj.Warnings, fmt.Sprintf("cilium/ebpf cannot load this object (%v); its maps and data were read from BTF and the ELF directly", cerr))
		} else if !sameCause(err, cerr) {
			err = fmt.Errorf("%w (cilium/ebpf: %v)", err, cerr)
		}
	}
	if err != nil {
		return nil, err
	}
	return obj, nil
}

// sameCause reports whether cilium/ebpf's error says what err says: both
// readers found the same fault ("load BTF: types section is out of
// bounds"), and saying it twice adds nothing.
func sameCause(err, cerr error) bool {
	_, tail, ok := strings.Cut(cerr.Error(), ": ")
	return ok && strings.HasSuffix(err.Error(), ": "+tail)
}

// fromCollectionSpec builds the model from what cilium/ebpf's collection
// loader found (the primary path).
func fromCollectionSpec(o *elfObject, cs *ebpf.CollectionSpec) (*Object, error) {
	if cs.Types == nil {
		return nil, fmt.Errorf("%s: no BTF", o.path)
	}
	if err := checkGraph(cs.Types); err != nil {
		return nil, fmt.Errorf("%s: .BTF section: %w", o.path, err)
	}
	obj := &Object{Path: o.path, ByteOrder: o.f.ByteOrder, Spec: cs.Types}

	// BTF maps in the order of their definitions in .maps.
	var ds *btf.Datasec
	err := cs.Types.TypeByName(".maps", &ds)
	if err != nil && !errors.Is(err, btf.ErrNotFound) {
		return nil, fmt.Errorf("%s: BTF of section .maps: %w", o.path, err)
	}
	if err == nil {
		vars := make([]btf.VarSecinfo, len(ds.Vars))
		copy(vars, ds.Vars)
		sort.SliceStable(vars, func(i, j int) bool { return vars[i].Offset < vars[j].Offset })
		for _, vsi := range vars {
			name := vsi.Type.TypeName()
			ms := cs.Maps[name]
			if ms == nil {
				return nil, fmt.Errorf("%s: map %q: in BTF but not found by cilium/ebpf", o.path, name)
			}
			m, err := fromMapSpec(o.path, ms)
			if err != nil {
				return nil, err
			}
			m.Name = name
			obj.Maps = append(obj.Maps, m)
		}
	}
	// Legacy maps after them, in section and symbol order; cilium/ebpf
	// parses their five fields, the same as readLegacyMaps.
	legacy, err := o.readLegacyMaps()
	if err != nil {
		return nil, err
	}
	for _, lm := range legacy {
		ms := cs.Maps[lm.Name]
		if ms == nil {
			return nil, fmt.Errorf("%s: map %q: legacy map not found by cilium/ebpf", o.path, lm.Name)
		}
		m, err := fromMapSpec(o.path, ms)
		if err != nil {
			return nil, err
		}
		m.Name, m.Legacy = lm.Name, true
		obj.Maps = append(obj.Maps, m)
	}

	for name := range cs.Programs {
		obj.Programs = append(obj.Programs, name)
	}
	sort.Strings(obj.Programs)

	if err := finish(o, obj, nil); err != nil {
		return nil, err
	}
	return obj, nil
}

func fromMapSpec(path string, ms *ebpf.MapSpec) (*Map, error) {
	for _, kv := range []struct {
		what string
		typ  btf.Type
	}{{"key type", ms.Key}, {"value type", ms.Value}} {
		if kv.typ == nil {
			continue
		}
		// cilium/ebpf took KeySize and ValueSize from the types'
		// sizes, truncated to 32 bits.
		size, err := btf.Sizeof(kv.typ)
		if err != nil {
			return nil, fmt.Errorf("%s: map %q: size of %s: %w", path, ms.Name, kv.what, err)
		}
		if err := fits32(kv.what, kv.typ, uint64(size)); err != nil {
			return nil, fmt.Errorf("%s: map %q: %w", path, ms.Name, err)
		}
	}
	m := &Map{
		Name:       ms.Name,
		Type:       ms.Type,
		KeySize:    ms.KeySize,
		ValueSize:  ms.ValueSize,
		MaxEntries: ms.MaxEntries,
		Flags:      ms.Flags,
		Pinning:    ms.Pinning,
		MapExtra:   ms.MapExtra,
		NumaNode:   ms.NumaNode,
		Key:        ms.Key,
		Value:      ms.Value,
	}
	if ms.InnerMap != nil {
		inner, err := fromMapSpec(path, ms.InnerMap)
		if err != nil {
			return nil, err
		}
		m.Inner = inner
	}
	switch ms.Type {
	case ebpf.ArrayOfMaps, ebpf.HashOfMaps, ebpf.ProgramArray:
		// cilium/ebpf puts the .values slots in Contents: the slot as a
		// uint32 key, the name of the map or program as a string value.
		for _, kv := range ms.Contents {
			slot, ok := kv.Key.(uint32)
			name, ok2 := kv.Value.(string)
			if !ok || !ok2 {
				return nil, fmt.Errorf("%s: map %q: unexpected static contents %T -> %T", path, ms.Name, kv.Key, kv.Value)
			}
			m.Values = append(m.Values, Slot{Index: slot, Name: name})
		}
		sort.Slice(m.Values, func(i, j int) bool { return m.Values[i].Index < m.Values[j].Index })
	}
	return m, nil
}

// fromBTF builds the model from BTF and the ELF alone (the fallback path).
func fromBTF(o *elfObject) (*Object, error) {
	spec, unplaced, err := o.loadRawBTF()
	if err != nil {
		return nil, err
	}
	for _, name := range unplaced[".maps"] {
		return nil, fmt.Errorf("%s: map %q: no ELF symbol, so its definition cannot be located", o.path, name)
	}
	obj := &Object{Path: o.path, ByteOrder: o.f.ByteOrder, Spec: spec}
	if obj.Maps, err = o.readBTFMaps(spec); err != nil {
		return nil, err
	}
	legacy, err := o.readLegacyMaps()
	if err != nil {
		return nil, err
	}
	obj.Maps = append(obj.Maps, legacy...)
	obj.Programs, _ = o.functions()
	if err := finish(o, obj, unplaced); err != nil {
		return nil, err
	}
	return obj, nil
}

// finish does what both paths share: data sections, checks of the maps
// and their .values slots, and warnings.
func finish(o *elfObject, obj *Object, unplaced map[string][]string) error {
	seen := make(map[string]bool)
	for _, m := range obj.Maps {
		if seen[m.Name] {
			return fmt.Errorf("%s: map %q: defined twice", o.path, m.Name)
		}
		seen[m.Name] = true
	}
	if err := checkSlots(o, obj); err != nil {
		return err
	}

	var warnings []string
	var err error
	obj.DataSections, warnings, err = o.dataSections(obj.Spec, unplaced)
	if err != nil {
		return err
	}
	ew, err := enumWarnings(o.comment, obj.Spec)
	if err != nil {
		return fmt.Errorf("%s: %w", o.path, err)
	}
	warnings = append(warnings, ew...)
	sort.Strings(warnings)
	obj.Warnings = append(obj.Warnings, warnings...)
	return nil
}

// checkSlots validates map-in-map and prog array definitions the way libbpf
// does at load time, so that the user learns about them from mapgen.
func checkSlots(o *elfObject, obj *Object) error {
	// Only BTF-defined maps can be placed in a slot (libbpf).
	maps := make(map[string]bool)
	for _, m := range obj.Maps {
		maps[m.Name] = !m.Legacy
	}
	progs := make(map[string]bool)
	for _, p := range obj.Programs {
		progs[p] = true
	}
	_, subprogs := o.functions()

	for _, m := range obj.Maps {
		// libbpf (bpf_object__collect_map_relos) checks this only for
		// hash of maps with static .values; without them any key is fine.
		if m.Type == ebpf.HashOfMaps && len(m.Values) > 0 && m.KeySize != 4 {
			return fmt.Errorf("%s: map %q: hash of maps with static values has key size %d: libbpf requires 4", o.path, m.Name, m.KeySize)
		}
		for _, s := range m.Values {
			switch m.Type {
			case ebpf.ArrayOfMaps, ebpf.HashOfMaps:
				if !maps[s.Name] {
					return fmt.Errorf("%s: map %q: values slot %d: %s is not a map", o.path, m.Name, s.Index, describe(s.Name, maps, progs, subprogs))
				}
			case ebpf.ProgramArray:
				if !progs[s.Name] {
					return fmt.Errorf("%s: map %q: values slot %d: %s is not an entry program", o.path, m.Name, s.Index, describe(s.Name, maps, progs, subprogs))
				}
			default:
				return fmt.Errorf("%s: map %q: values slot %d: map of type %v cannot have static values", o.path, m.Name, s.Index, m.Type)
			}
			if s.Index >= m.MaxEntries {
				return fmt.Errorf("%s: map %q: values slot %d: beyond max_entries %d", o.path, m.Name, s.Index, m.MaxEntries)
			}
		}
	}
	return nil
}

func describe(name string, maps, progs, subprogs map[string]bool) string {
	switch {
	case maps[name]:
		return fmt.Sprintf("%q (a map)", name)
	case hasKey(maps, name):
		return fmt.Sprintf("%q (a legacy map, not a BTF-defined one)", name)
	case progs[name]:
		return fmt.Sprintf("%q (a program)", name)
	case subprogs[name]:
		return fmt.Sprintf("%q (a subprogram in .text, not an entry program)", name)
	}
	return fmt.Sprintf("%q (neither a map nor a program)", name)
}

// trimComment returns the printable strings of a .comment section.
func trimComment(s string) []string {
	var out []string
	for _, part := range strings.Split(s, "\x00") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func hasKey(m map[string]bool, k string) bool {
	_, ok := m[k]
	return ok
}
