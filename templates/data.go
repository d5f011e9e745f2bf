package templates

import (
	"errors"
	"fmt"
	"slices"
	"unsafe"

	"github.com/cilium/ebpf"
)

// Slot is one static `.values` entry of a map in map or program array: the
// slot (key) and the name of the map or program the object places there.
type Slot struct {
	Index uint32
	Name  string
}

// StaticValues are the static `.values` slots of one map, as compiled into
// the object.
type StaticValues struct {
	// Map is the name of the outer map or program array.
	Map string
	// Programs is true for a program array: slots name programs, not maps.
	Programs bool
	// Slots in slot order.
	Slots []Slot
}

// ApplyValues puts, for every slot of every vs, the named inner map or
// program of coll into the outer map. cilium/ebpf does this itself when it
// loads the object (NewCollection, LoadAndAssign); call ApplyValues after
// loading some other way, or to restore the slots after changing them.
func ApplyValues(coll *ebpf.Collection, vs ...StaticValues) error {
	for _, v := range vs {
		outer, err := collMap(coll, v.Map)
		if err != nil {
			return err
		}
		for _, s := range v.Slots {
			target, err := slotTarget(coll, v, s)
			if err != nil {
				return err
			}
			key := s.Index
			if err := outer.Update(&key, target, ebpf.UpdateAny); err != nil {
				return fmt.Errorf("map %s: slot %d: put %s: %w", v.Map, s.Index, s.Name, err)
			}
		}
	}
	return nil
}

// SlotError says that a slot of a live map does not hold what the object's
// `.values` put there.
type SlotError struct {
	Map   string
	Index uint32
	// Want is the name of the map or program the object places in the
	// slot.
	Want string
	// Empty is true if the slot holds nothing; otherwise Got is the kernel
	// ID it holds and WantID the ID of Want.
	Empty       bool
	Got, WantID uint32
}

func (e *SlotError) Error() string {
	if e.Empty {
		return fmt.Sprintf("map %s: slot %d is empty, want %s (ID %d)", e.Map, e.Index, e.Want, e.WantID)
	}
	return fmt.Sprintf("map %s: slot %d holds ID %d, want %s (ID %d)", e.Map, e.Index, e.Got, e.Want, e.WantID)
}

// CheckValues checks that every slot of every vs in the live maps of coll
// holds the map or program of coll that the object's `.values` name, by
// comparing kernel IDs. It returns a [*SlotError] for the first slot that
// differs. Slots that `.values` leaves empty are not checked.
func CheckValues(coll *ebpf.Collection, vs ...StaticValues) error {
	for _, v := range vs {
		outer, err := collMap(coll, v.Map)
		if err != nil {
			return err
		}
		for _, s := range v.Slots {
			want, err := wantID(coll, v, s)
			if err != nil {
				return err
			}
			key := s.Index
			var got uint32
			if err := outer.Lookup(&key, &got); err != nil {
				if errors.Is(err, ebpf.ErrKeyNotExist) {
					return &SlotError{Map: v.Map, Index: s.Index, Want: s.Name, Empty: true, WantID: want}
				}
				return fmt.Errorf("map %s: slot %d: %w", v.Map, s.Index, err)
			}
			if got != want {
				return &SlotError{Map: v.Map, Index: s.Index, Want: s.Name, Got: got, WantID: want}
			}
		}
	}
	return nil
}

// slotTarget is the program or map of coll that a slot names, as
// *ebpf.Program or *ebpf.Map: cilium/ebpf's Update puts either into a slot.
func slotTarget(coll *ebpf.Collection, v StaticValues, s Slot) (any, error) {
	if v.Programs {
		if p := coll.Programs[s.Name]; p != nil {
			return p, nil
		}
		return nil, fmt.Errorf("map %s: slot %d: no program %s in the collection", v.Map, s.Index, s.Name)
	}
	if m := coll.Maps[s.Name]; m != nil {
		return m, nil
	}
	return nil, fmt.Errorf("map %s: slot %d: no map %s in the collection", v.Map, s.Index, s.Name)
}

// wantID is the kernel ID of the program or map a slot names.
func wantID(coll *ebpf.Collection, v StaticValues, s Slot) (uint32, error) {
	target, err := slotTarget(coll, v, s)
	if err != nil {
		return 0, err
	}
	var id uint32
	var ok bool
	switch t := target.(type) {
	case *ebpf.Program:
		info, ierr := t.Info()
		if err = ierr; err == nil {
			var pid ebpf.ProgramID
			pid, ok = info.ID()
			id = uint32(pid)
		}
	case *ebpf.Map:
		info, ierr := t.Info()
		if err = ierr; err == nil {
			var mid ebpf.MapID
			mid, ok = info.ID()
			id = uint32(mid)
		}
	}
	if err != nil {
		return 0, fmt.Errorf("map %s: slot %d: %s: %w", v.Map, s.Index, s.Name, err)
	}
	if !ok {
		return 0, fmt.Errorf("map %s: slot %d: %s: the kernel gives no ID", v.Map, s.Index, s.Name)
	}
	return id, nil
}

func collMap(coll *ebpf.Collection, name string) (*ebpf.Map, error) {
	if coll == nil {
		return nil, errors.New("nil collection")
	}
	m := coll.Maps[name]
	if m == nil {
		return nil, fmt.Errorf("no map %s in the collection", name)
	}
	return m, nil
}

// SectionBytes returns the first size bytes of *v, the Go view of a
// global data section of size bytes. The Go type may be a few bytes longer
// than the section: tail padding that keeps its fields aligned.
func SectionBytes[T any](v *T, size uint32) []byte {
	if uintptr(size) > unsafe.Sizeof(*v) {
		panic(fmt.Sprintf("templates: %d-byte section in a %d-byte %s", size, unsafe.Sizeof(*v), typeName[T]()))
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(v)), size)
}

// checkSection checks that T, the Go view of a section of size bytes,
// fits a kernel value of kernel bytes.
func checkSection[T any](section string, size, kernel uint32) error {
	if kernel != size || uintptr(size) > sizeOf[T]() || sizeOf[T]()-uintptr(size) >= 16 {
		return &SizeError{Map: section, What: "value", Kernel: kernel, Go: uintptr(size), GoType: typeName[T]()}
	}
	return nil
}

// ApplySectionBytes sets the contents of a global data section in spec,
// before loading, to b (all of the section's bytes): the contents of the
// section's map and the value of each of its variables.
func ApplySectionBytes(spec *ebpf.CollectionSpec, section string, b []byte) error {
	if spec == nil {
		return errors.New("nil collection spec")
	}
	ms := spec.Maps[section]
	if ms == nil {
		return fmt.Errorf("data section %s: no map in the collection spec (unused by every program?)", section)
	}
	if int(ms.ValueSize) != len(b) {
		return &SizeError{Map: section, What: "value", Go: uintptr(len(b)), Kernel: ms.ValueSize, GoType: fmt.Sprintf("[%d]byte", len(b))}
	}
	ms.Contents = []ebpf.MapKV{{Key: uint32(0), Value: slices.Clone(b)}}
	for _, vs := range spec.Variables {
		if vs.SectionName != section {
			continue
		}
		end := uint64(vs.Offset) + uint64(vs.Size())
		if end > uint64(len(b)) {
			return fmt.Errorf("data section %s: variable %s at [%d, %d) is outside the %d-byte section", section, vs.Name, vs.Offset, end, len(b))
		}
		vs.Value = slices.Clone(b[vs.Offset:end])
	}
	return nil
}

// ReadSection reads a whole global data section of size bytes of a loaded
// collection: the only element of its array map.
func ReadSection[T any](coll *ebpf.Collection, section string, size uint32) (T, error) {
	var v T
	m, err := sectionMap[T](coll, section, size)
	if err != nil {
		return v, err
	}
	var key uint32
	if err := m.Lookup(ptr(&key), ptr(&v)); err != nil {
		return v, fmt.Errorf("data section %s: %w", section, err)
	}
	return v, nil
}

func sectionMap[T any](coll *ebpf.Collection, section string, size uint32) (*ebpf.Map, error) {
	m, err := collMap(coll, section)
	if err != nil {
		return nil, fmt.Errorf("data section %s: %w", section, err)
	}
	if err := CheckType(section, m, ebpf.Array); err != nil {
		return nil, err
	}
	if err := checkSection[T](section, size, m.ValueSize()); err != nil {
		return nil, err
	}
	return m, nil
}
