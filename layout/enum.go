package layout

import (
	"fmt"

	"github.com/cilium/ebpf/btf"
)

// Enum is the plan of a C enum: a named Go integer type of the enum's size
// and signedness with one constant per enumerator.
type Enum struct {
	Size   uint32
	Signed bool
	// Underlying is the Go integer type (int8 ... uint64).
	Underlying *GoType
	Values     []EnumValue
}

// EnumValue is one enumerator with its value at the enum's signedness.
type EnumValue struct {
	Name string
	// Value is the enumerator as a signed number; for unsigned enums of
	// 8 bytes use Unsigned.
	Value    int64
	Unsigned uint64
}

func planEnum(t *btf.Enum) (*Enum, error) {
	u, err := intType(t.Size, t.Signed)
	if err != nil || u.Kind != GoBasic {
		return nil, fmt.Errorf("%d-byte enum: %w", t.Size, ErrUnsupported)
	}
	e := &Enum{Size: t.Size, Signed: t.Signed, Underlying: u}
	bits := 64 - 8*t.Size
	for _, v := range t.Values {
		// Values are stored in 64 bits; keep the enum's own width.
		raw := v.Value << bits >> bits
		ev := EnumValue{Name: v.Name, Unsigned: raw, Value: int64(raw)}
		if t.Signed {
			ev.Value = int64(v.Value<<bits) >> bits
			ev.Unsigned = uint64(ev.Value)
		}
		e.Values = append(e.Values, ev)
	}
	return e, nil
}
