package verify

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/layout"
)

// The C side of a comparison: a BTF type flattened into items, the bytes
// that hold data, in offset order and without overlap. Holes (padding,
// unnamed bitfields) are what lies between items.

// cKind says what a C item is.
type cKind int

const (
	// cLeaf is one scalar member (or array element): its Go counterpart
	// is a field of the same offset, size and class.
	cLeaf cKind = iota
	// cUnion is the bytes of a union: Go holds them as storage of
	// exactly their size, or as one of the union's members that is as
	// large as the union.
	cUnion
	// cBits is a run of bitfields sharing bytes: Go holds them as
	// storage (an integer or bytes) covering exactly those bytes.
	cBits
	// cOpaque is a scalar Go has no type for (__int128, long double), or
	// members overlapping in ways C structs do not: any Go fields that
	// tile its bytes exactly hold it.
	cOpaque
)

// cItem is one run of data bytes [off, end) of the C type.
type cItem struct {
	kind     cKind
	off, end int64
	// path names the member: "key.addr[2]"; for regions, the members.
	path string
	// ctype spells the member's C type ("__u32"), for messages.
	ctype   string
	class   Class
	anySign bool
	// alts are a union's members, each flattened (offsets absolute), with
	// the member's name and size.
	alts []cAlt
}

type cAlt struct {
	name  string
	size  int64
	items []cItem
}

func (c *cItem) size() int64 { return c.end - c.off }

// describe names the item in messages: "C member key.addr (__u32)".
func (c *cItem) describe() string {
	if c.path == "" {
		return "C type " + c.ctype
	}
	switch c.kind {
	case cUnion:
		return "C union " + c.path
	case cBits:
		if strings.Contains(c.path, ", ") {
			return "C bitfields " + c.path
		}
		return "C bitfield " + c.path
	case cOpaque:
		return "C member " + c.path + " (" + c.ctype + ")"
	}
	return "C member " + c.path + " (" + c.ctype + ")"
}

// maxItems bounds the items of one flattened type: arrays are flattened
// element by element, and BTF is input.
const maxItems = 1 << 20

// errTooLarge is returned for types with more than maxItems items.
var errTooLarge = errors.New("too many members and array elements to compare (more than 1048576)")

// cFlattener flattens one C type.
type cFlattener struct {
	n     int
	depth int
}

// flattenC returns the items of C type t.
func flattenC(t btf.Type) ([]cItem, error) {
	f := &cFlattener{}
	atoms, err := f.atoms(t, 0, "", nil)
	if err != nil {
		return nil, err
	}
	return merge(atoms), nil
}

const maxDepth = 1024

// atoms appends the items of t placed at byte off, before merging
// bitfields that share bytes.
func (f *cFlattener) atoms(t btf.Type, off int64, path string, out []cItem) ([]cItem, error) {
	if f.depth > maxDepth {
		return nil, fmt.Errorf("%s: nested more than %d levels deep", path, maxDepth)
	}
	f.depth++
	defer func() { f.depth-- }()
	if f.n++; f.n > maxItems {
		return nil, errTooLarge
	}
	ctype := layout.CType(t)
	switch u := layout.Underlying(t).(type) {
	case *btf.Int:
		it := cItem{kind: cLeaf, off: off, end: off + int64(u.Size), path: path, ctype: ctype}
		switch {
		case u.Encoding&btf.Bool != 0:
			it.class = ClassBool
		case u.Size == 1 && (u.Encoding&btf.Char != 0 || u.Name == "char"):
			it.class, it.anySign = ClassUnsigned, true
		case u.Encoding&btf.Signed != 0:
			it.class = ClassSigned
		default:
			it.class = ClassUnsigned
		}
		if u.Size > 8 {
			it.kind = cOpaque
		}
		return append(out, it), nil
	case *btf.Enum:
		class := ClassUnsigned
		if u.Signed {
			class = ClassSigned
		}
		return append(out, cItem{kind: cLeaf, off: off, end: off + int64(u.Size), path: path, ctype: ctype, class: class, anySign: true}), nil
	case *btf.Float:
		it := cItem{kind: cLeaf, off: off, end: off + int64(u.Size), path: path, ctype: ctype, class: ClassFloat}
		if u.Size != 4 && u.Size != 8 {
			it.kind = cOpaque
		}
		return append(out, it), nil
	case *btf.Pointer:
		return append(out, cItem{kind: cLeaf, off: off, end: off + 8, path: path, ctype: ctype, class: ClassPointer}), nil
	case *btf.Array:
		size, err := btf.Sizeof(u.Type)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for i := range int64(u.Nelems) {
			var err error
			if out, err = f.atoms(u.Type, off+i*int64(size), fmt.Sprintf("%s[%d]", path, i), out); err != nil {
				return nil, err
			}
		}
		return out, nil
	case *btf.Struct:
		return f.members(u.Members, off, path, out)
	case *btf.Union:
		if u.Size == 0 {
			return out, nil
		}
		it := cItem{kind: cUnion, off: off, end: off, path: path, ctype: ctype}
		for _, m := range u.Members {
			alt := cAlt{name: joinPath(path, memberName(m))}
			var atoms []cItem
			var err error
			if m.BitfieldSize > 0 {
				atoms = []cItem{bitsItem(m, off, path)}
			} else if atoms, err = f.atoms(m.Type, off+int64(m.Offset/8), joinPath(path, m.Name), nil); err != nil {
				return nil, err
			}
			size, err := btf.Sizeof(m.Type)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", alt.name, err)
			}
			alt.size, alt.items = int64(size), merge(atoms)
			if m.BitfieldSize > 0 {
				alt.size = (int64(m.Offset) + int64(m.BitfieldSize) + 7) / 8
			}
			it.alts = append(it.alts, alt)
			// The union's data ends with its largest member: the
			// bytes after it are tail padding, a hole.
			it.end = max(it.end, off+int64(m.Offset/8)+alt.size)
		}
		if it.end == it.off {
			return out, nil // no members (BTF may leave them out)
		}
		return append(out, it), nil
	}
	return nil, fmt.Errorf("%s: %s has no layout", orType(path), ctype)
}

func orType(path string) string {
	if path == "" {
		return "type"
	}
	return "member " + path
}

// members appends the items of struct members, descending into anonymous
// structs (their members belong to the enclosing struct in C).
func (f *cFlattener) members(members []btf.Member, off int64, path string, out []cItem) ([]cItem, error) {
	for _, m := range members {
		moff := off + int64(m.Offset/8)
		bits := int64(m.BitfieldSize)
		if bits > 0 {
			size, _ := btf.Sizeof(m.Type)
			if !(bits == 8*int64(size) && m.Offset%8 == 0) {
				if m.Name != "" {
					out = append(out, bitsItem(m, off, path))
				}
				continue
			}
		} else if m.Offset%8 != 0 {
			return nil, fmt.Errorf("member %s: bit offset %d is not a whole byte", joinPath(path, m.Name), m.Offset)
		}
		if m.Name == "" {
			switch u := layout.Underlying(m.Type).(type) {
			case *btf.Struct:
				var err error
				if out, err = f.atoms(m.Type, moff, path, out); err != nil {
					return nil, err
				}
				continue
			case *btf.Union:
				// An anonymous union is named by its members.
				n := len(out)
				var err error
				if out, err = f.atoms(m.Type, moff, path, out); err != nil {
					return nil, err
				}
				if len(out) > n {
					out[n].path = joinPath(path, memberName(btf.Member{Type: u}))
				}
				continue
			}
		}
		var err error
		if out, err = f.atoms(m.Type, moff, joinPath(path, m.Name), out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// memberName names a member in messages: its name, or for an anonymous
// struct or union the names of its members, "{saddr, daddr}".
func memberName(m btf.Member) string {
	if m.Name != "" {
		return m.Name
	}
	var members []btf.Member
	switch u := layout.Underlying(m.Type).(type) {
	case *btf.Struct:
		members = u.Members
	case *btf.Union:
		members = u.Members
	}
	var names []string
	for _, um := range members {
		if um.Name != "" || um.BitfieldSize == 0 {
			names = append(names, memberName(um))
		}
	}
	return "{" + strings.Join(names, ", ") + "}"
}

// bitsItem is the bytes a bitfield's bits touch.
func bitsItem(m btf.Member, off int64, path string) cItem {
	start := int64(m.Offset) / 8
	end := (int64(m.Offset) + int64(m.BitfieldSize) + 7) / 8
	return cItem{kind: cBits, off: off + start, end: off + end, path: joinPath(path, m.Name), ctype: layout.CType(m.Type)}
}

func joinPath(path, name string) string {
	switch {
	case name == "":
		return path
	case path == "":
		return name
	}
	return path + "." + name
}

// merge sorts atoms by offset and merges those that share bytes (bitfields
// in the same bytes) into one item. Zero-size atoms are dropped: Go needs
// no field for them.
func merge(atoms []cItem) []cItem {
	sort.SliceStable(atoms, func(i, j int) bool { return atoms[i].off < atoms[j].off })
	var out []cItem
	for _, a := range atoms {
		if a.end == a.off {
			continue
		}
		if n := len(out); n > 0 && a.off < out[n-1].end {
			last := &out[n-1]
			if last.kind != cBits || a.kind != cBits {
				last.kind, last.alts = cOpaque, nil
				last.ctype = "overlapping members"
			}
			last.path += ", " + a.path
			last.end = max(last.end, a.end)
			continue
		}
		out = append(out, a)
	}
	return out
}

// pathKey is a path with everything but letters, digits and the dots
// between members dropped and lower-cased, so that Go's FlowKey.SrcIP
// and C's flow_key.src_ip compare equal.
func pathKey(path string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(path) {
		if r == '.' || r == '[' || ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') || r == ']' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
