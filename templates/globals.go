package templates

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf"
)

// Section is one global data section of a generated Globals struct: its
// name, size and the memory of its field. Make it with [SectionOf].
type Section struct {
	name  string
	size  uint32
	bytes []byte
	check func(kernel uint32) error
}

// SectionOf is the section called name of size bytes whose Go view is *p,
// a field of a generated Globals struct.
func SectionOf[T any](p *T, name string, size uint32) Section {
	return Section{
		name:  name,
		size:  size,
		bytes: SectionBytes(p, size),
		check: func(kernel uint32) error { return checkSection[T](name, size, kernel) },
	}
}

// EditSections changes several global data sections of spec at once,
// before loading: sections lists the fields of a G (a generated Globals
// struct); each gets its section's current contents (the object's
// compiled-in values, and whatever was set since through EditSections or
// spec.Variables), edit changes them, and every section is written back
// as the contents of its map and the value of each of its variables
// (cilium/ebpf copies variables over the contents when it loads). Bytes
// edit does not change keep their values, whether a field holds them or
// not. A nil edit changes nothing. Generated EditGlobals functions call
// it.
func EditSections[G any](spec *ebpf.CollectionSpec, edit func(*G), sections func(*G) []Section) error {
	if spec == nil {
		return errors.New("nil *ebpf.CollectionSpec")
	}
	if edit == nil {
		return nil
	}
	var g G
	secs := sections(&g)
	for _, s := range secs {
		ms := spec.Maps[s.name]
		if ms == nil {
			return fmt.Errorf("data section %s: no map in the collection spec", s.name)
		}
		if err := s.check(ms.ValueSize); err != nil {
			return err
		}
		currentContents(spec, ms, s.name, s.bytes)
	}
	edit(&g)
	for _, s := range secs {
		if err := ApplySectionBytes(spec, s.name, s.bytes); err != nil {
			return err
		}
	}
	return nil
}

// currentContents copies into b the contents spec gives the section: its
// map's contents, overlaid by the values of its variables, which
// cilium/ebpf writes over the contents when it loads.
func currentContents(spec *ebpf.CollectionSpec, ms *ebpf.MapSpec, section string, b []byte) {
	if len(ms.Contents) == 1 {
		if cur, ok := ms.Contents[0].Value.([]byte); ok && len(cur) == len(b) {
			copy(b, cur)
		}
	}
	for _, vs := range spec.Variables {
		if vs.SectionName == section && uint64(vs.Offset)+uint64(len(vs.Value)) <= uint64(len(b)) {
			copy(b[vs.Offset:], vs.Value)
		}
	}
}

// LoadEdited loads a copy of spec, changed by editGlobals(copy, edit) (a
// generated EditGlobals and the caller's edit), into the kernel and wraps
// the collection with wrap (a generated NewObjects); spec itself stays as
// it is, for loading again. opts may be nil.
func LoadEdited[G, O any](spec *ebpf.CollectionSpec, edit func(*G), editGlobals func(*ebpf.CollectionSpec, func(*G)) error, opts *ebpf.CollectionOptions, wrap func(*ebpf.Collection) (O, error)) (O, error) {
	var zero O
	if spec == nil {
		return zero, errors.New("nil *ebpf.CollectionSpec")
	}
	spec = spec.Copy()
	if err := editGlobals(spec, edit); err != nil {
		return zero, err
	}
	return LoadCollection(spec, opts, wrap)
}
