package randc

// The C type model a program is generated from.

// ctype is a C type as a member declares it.
type ctype interface{ isCType() }

// scalar is an integer, char, _Bool, float or pointer, spelled as C
// declares it (base spelling, typedef names, qualifiers).
type scalar struct {
	spell  string
	kind   Kind
	size   int
	signed bool
	// isConst: the spelling is const-qualified (bitfields of it cannot be
	// assigned, so none are declared).
	isConst bool
}

// enumType is a declared enum.
type enumType struct {
	tag    string
	alias  string // a typedef of it, used in its place if not empty
	size   int
	signed bool
}

// arrayType is elem with 1 to 3 dimensions, outer first; a dimension of
// 0 makes a zero-length array, a first dimension of -1 a flexible array.
type arrayType struct {
	elem ctype
	dims []int
}

// record is a struct or union.
type record struct {
	tag     string // "" for anonymous types
	union   bool
	members []*member
	packed  bool
	aligned int // aligned(N) on the type, 0 for none
	// defined: the definition has been emitted (inline or at file
	// scope), so later uses refer to it by tag.
	defined bool
	// shared records are defined at file scope and may be used by
	// several others.
	shared bool
}

// member is one member of a record.
type member struct {
	name string // "" for C11 anonymous records and unnamed bitfields
	t    ctype
	// bits is the bitfield width, -1 for a member that is no bitfield.
	bits    int
	packed  bool // __attribute__((packed)) on the member
	aligned int  // __attribute__((aligned(N))) on the member, 0 for none
}

func (*scalar) isCType()    {}
func (*enumType) isCType()  {}
func (*arrayType) isCType() {}
func (*record) isCType()    {}

// spell is how a type is named in a declaration (records by tag; an
// anonymous record has no spelling and is defined in place).
func spell(t ctype) string {
	switch t := t.(type) {
	case *scalar:
		return t.spell
	case *enumType:
		if t.alias != "" {
			return t.alias
		}
		return "enum " + t.tag
	case *record:
		if t.union {
			return "union " + t.tag
		}
		return "struct " + t.tag
	}
	panic("randc: no spelling for an array")
}

// approxSize is an upper bound of a type's size in bytes, for keeping
// hash keys within the kernel's limit.
func approxSize(t ctype) int {
	switch t := t.(type) {
	case *scalar:
		return t.size
	case *enumType:
		return t.size
	case *arrayType:
		n := approxSize(t.elem)
		for _, d := range t.dims {
			n *= max(d, 0)
		}
		return n
	case *record:
		n := 0
		for _, m := range t.members {
			s := approxSize(m.t) + 16 + m.aligned
			if t.union {
				n = max(n, s)
			} else {
				n += s
			}
		}
		return n + t.aligned
	}
	return 0
}
