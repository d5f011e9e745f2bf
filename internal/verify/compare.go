package verify

import (
	"fmt"
	"go/types"
	"sort"
	"strings"
)

// The comparison of one Go type with one C type on one GOARCH: every Go
// leaf must hold C data the way C lays it out, and every C item must be
// held by Go. The rules (README.md, "mapgen verify", states them):
//
//   - A Go scalar at the offset of a C scalar must have its size and a
//     compatible class (see compatible).
//   - Go bytes ([N]byte) may hold any whole C items and holes: storage,
//     [4]byte for __be32, [16]byte for an address struct. Bytes that end
//     inside a C item are a mismatch.
//   - C bitfields sharing bytes are held by one Go integer or bytes that
//     cover exactly those bytes (holes beside them may be included).
//   - A C union's data is the bytes of its largest member (the rest is
//     tail padding, a hole). It is held by storage covering them, or by
//     Go fields that match one of its members of that size. Matching a
//     smaller member is a mismatch: the other members' bytes are lost.
//   - Go fields, blank or named, over C holes are padding. A blank field
//     over a C member drops it: a mismatch.
//   - A Go field anywhere else is misplaced; it is reported against the C
//     member of the same name (FlowKey.SrcIP and flow_key.src_ip), else
//     the one at its offset.

// finding is one mismatch on one GOARCH.
type finding struct {
	// field is the field of the paired type it is reported at; nil for
	// the type itself.
	field *types.Var
	// path names the Go field from the type ("Key.Addr[2]"), or "".
	path                       string
	what                       string
	goOff, goSize, cOff, cSize int64
}

// comparison compares leaves with items.
type comparison struct {
	items  []cItem
	leaves []goLeaf
	// done are items Go holds correctly; reported are items a finding
	// already names.
	done, reported []bool
	findings       []finding
	// byName indexes the items by pathKey, built when first needed.
	byName map[string][]int
}

// compare returns the mismatches between the Go leaves and the C items of
// a C type of limit bytes.
func compare(items []cItem, leaves []goLeaf, limit int64) []finding {
	c := &comparison{items: items, leaves: leaves, done: make([]bool, len(items)), reported: make([]bool, len(items))}
	// deferred are Go leaves inside a union or opaque item, by item.
	deferred := make(map[int][]goLeaf)
	for _, l := range leaves {
		if l.blank {
			continue
		}
		if j := c.named(l.path); j >= 0 && items[j].off != l.off && l.class != ClassBytes {
			// Named after a C member elsewhere: moved (a field at
			// another member's offset is that member's only by chance).
			c.misplaced(l)
			continue
		}
		if l.end > limit {
			c.misplaced(l)
			continue
		}
		if j := c.itemContaining(l.off); j >= 0 && (items[j].kind == cUnion || items[j].kind == cOpaque) &&
			l.end <= items[j].end && (l.off != items[j].off || l.end != items[j].end) {
			// Part of a union: it must match one of its members.
			deferred[j] = append(deferred[j], l)
			continue
		}
		if l.class == ClassBytes {
			c.bytes(l)
			continue
		}
		if i := c.itemAt(l.off); i >= 0 {
			switch it := &items[i]; it.kind {
			case cLeaf:
				c.leaf(l, i)
			case cBits:
				c.bits(l, i)
			case cUnion, cOpaque:
				if lo, hi := c.overlapping(l.off, l.end); l.end >= it.end && hi-lo == 1 && (l.class == ClassSigned || l.class == ClassUnsigned) {
					// Integer storage of the union's bytes (and of
					// its tail padding).
					c.done[i] = true
				} else if l.end <= it.end {
					deferred[i] = append(deferred[i], l)
				} else {
					c.add(l, fmt.Sprintf("%s is larger than %s", l.gotype, it.describe()), it)
					c.reported[i] = true
				}
			}
			continue
		}
		if lo, hi := c.overlapping(l.off, l.end); lo == hi {
			continue // named padding over a C hole
		}
		c.misplaced(l)
	}
	keys := make([]int, 0, len(deferred))
	for i := range deferred {
		keys = append(keys, i)
	}
	sort.Ints(keys)
	for _, i := range keys {
		if items[i].kind == cUnion {
			c.union(i, deferred[i])
		} else {
			c.opaque(i, deferred[i])
		}
	}
	c.unheld()
	return c.findings
}

func (c *comparison) add(l goLeaf, what string, it *cItem) {
	c.findings = append(c.findings, finding{field: l.field, path: l.path, what: what,
		goOff: l.off, goSize: l.end - l.off, cOff: it.off, cSize: it.size()})
}

// itemAt returns the item starting at byte off, or -1.
func (c *comparison) itemAt(off int64) int {
	i := sort.Search(len(c.items), func(i int) bool { return c.items[i].off >= off })
	if i < len(c.items) && c.items[i].off == off {
		return i
	}
	return -1
}

// itemContaining returns the item holding byte off, or -1.
func (c *comparison) itemContaining(off int64) int {
	i := sort.Search(len(c.items), func(i int) bool { return c.items[i].end > off })
	if i < len(c.items) && c.items[i].off <= off {
		return i
	}
	return -1
}

// overlapping returns the items [lo, hi) that share bytes with [off, end).
func (c *comparison) overlapping(off, end int64) (lo, hi int) {
	lo = sort.Search(len(c.items), func(i int) bool { return c.items[i].end > off })
	hi = lo
	for hi < len(c.items) && c.items[hi].off < end {
		hi++
	}
	return lo, hi
}

// bytes checks Go storage: it holds every item it touches, whole.
func (c *comparison) bytes(l goLeaf) {
	lo, hi := c.overlapping(l.off, l.end)
	for i := lo; i < hi; i++ {
		it := &c.items[i]
		if it.off < l.off || it.end > l.end {
			c.add(l, fmt.Sprintf("%s holds only part of %s", l.gotype, it.describe()), it)
			c.reported[i] = true
			continue
		}
		c.done[i] = true
	}
}

// leaf checks a Go scalar at the offset of a C scalar.
func (c *comparison) leaf(l goLeaf, i int) {
	it := &c.items[i]
	switch {
	case l.end != it.end:
		c.add(l, fmt.Sprintf("size differs from %s", it.describe()), it)
	case !compatible(l.class, it.class, it.anySign):
		c.add(l, fmt.Sprintf("%s (%s) holds %s: %s", l.gotype, l.class, it.describe(), it.class), it)
	default:
		c.done[i] = true
		return
	}
	c.reported[i] = true
}

// bits checks a Go field at the start of C bitfields: an integer covering
// exactly their bytes (and maybe more bitfields and holes beside them).
func (c *comparison) bits(l goLeaf, i int) {
	it := &c.items[i]
	ok := l.class == ClassSigned || l.class == ClassUnsigned
	lo, hi := c.overlapping(l.off, l.end)
	for k := lo; k < hi && ok; k++ {
		ok = c.items[k].kind == cBits && c.items[k].end <= l.end
	}
	if ok {
		for k := lo; k < hi; k++ {
			c.done[k] = true
		}
		return
	}
	c.add(l, fmt.Sprintf("%s does not cover exactly %s", l.gotype, it.describe()), it)
	c.reported[i] = true
}

// named returns the item, not yet held, whose path (or one of whose union
// members' paths) is the Go path's, or -1. An item an earlier Go field was
// reported against by offset alone still counts: the name is the better
// guess.
func (c *comparison) named(path string) int {
	if c.byName == nil {
		c.byName = make(map[string][]int, len(c.items))
		for i := range c.items {
			k := pathKey(c.items[i].path)
			c.byName[k] = append(c.byName[k], i)
			// A union's members name it too: Go code often names
			// the field after the member it uses.
			for _, alt := range c.items[i].alts {
				k := pathKey(alt.name)
				c.byName[k] = append(c.byName[k], i)
			}
		}
	}
	for _, i := range c.byName[pathKey(path)] {
		if !c.done[i] {
			return i
		}
	}
	return -1
}

// misplaced reports a Go leaf that is at no C item's offset, against the
// C item of the same name, else the one it overlaps.
func (c *comparison) misplaced(l goLeaf) {
	j := c.named(l.path)
	if j < 0 {
		if lo, hi := c.overlapping(l.off, l.end); lo < hi {
			j = lo
		}
	}
	if j < 0 {
		c.findings = append(c.findings, finding{field: l.field, path: l.path,
			what: "Go field beyond every C member", goOff: l.off, goSize: l.end - l.off, cOff: l.off})
		return
	}
	it := &c.items[j]
	what := "offset differs from " + it.describe()
	if l.end-l.off != it.size() {
		what = "offset and size differ from " + it.describe()
	}
	c.add(l, what, it)
	c.reported[j] = true
}

// union checks the Go leaves inside a union: they must match a member as
// large as the union.
func (c *comparison) union(i int, ls []goLeaf) {
	it := &c.items[i]
	smaller := -1
	for a, alt := range it.alts {
		if len(compare(alt.items, ls, it.end)) > 0 {
			continue
		}
		if alt.size == it.size() {
			c.done[i] = true
			return
		}
		if smaller < 0 {
			smaller = a
		}
	}
	span := ls[0]
	span.end = ls[len(ls)-1].end
	if smaller >= 0 {
		alt := it.alts[smaller]
		c.add(span, fmt.Sprintf("holds only the member %s (%d of %d bytes) of %s", alt.name, alt.size, it.size(), it.describe()), it)
	} else {
		c.add(span, fmt.Sprintf("matches no member of %s", it.describe()), it)
	}
	c.reported[i] = true
}

// opaque checks the Go leaves inside a C scalar Go has no type for: they
// must tile its bytes.
func (c *comparison) opaque(i int, ls []goLeaf) {
	it := &c.items[i]
	at := it.off
	for _, l := range ls {
		if l.off != at {
			break
		}
		at = l.end
	}
	if at == it.end {
		c.done[i] = true
		return
	}
	span := ls[0]
	span.end = ls[len(ls)-1].end
	c.add(span, fmt.Sprintf("does not cover exactly %s", it.describe()), it)
	c.reported[i] = true
}

// unheld reports the C items no Go leaf holds: under a blank field
// (dropped; one finding per blank field), under a misplaced field, or
// beyond every field.
func (c *comparison) unheld() {
	dropped := make(map[int][]int) // blank leaf -> items
	var blanks []int
	for i := range c.items {
		if c.done[i] || c.reported[i] {
			continue
		}
		it := &c.items[i]
		blank, other := -1, -1
		// Leaves are in offset order and do not overlap.
		first := sort.Search(len(c.leaves), func(k int) bool { return c.leaves[k].end > it.off })
		for k := first; k < len(c.leaves) && c.leaves[k].off < it.end; k++ {
			l := &c.leaves[k]
			if l.blank && blank < 0 {
				blank = k
			} else if !l.blank && other < 0 {
				other = k
			}
		}
		switch {
		case blank >= 0:
			if dropped[blank] == nil {
				blanks = append(blanks, blank)
			}
			dropped[blank] = append(dropped[blank], i)
		case other >= 0:
			c.add(c.leaves[other], fmt.Sprintf("no Go field holds %s", it.describe()), it)
		default:
			c.findings = append(c.findings, finding{what: fmt.Sprintf("no Go field holds %s", it.describe()),
				goOff: it.off, cOff: it.off, cSize: it.size()})
		}
	}
	for _, k := range blanks {
		items := dropped[k]
		first, last := &c.items[items[0]], &c.items[items[len(items)-1]]
		what := first.describe()
		if len(items) > 1 {
			var names []string
			allBits := true
			for _, i := range items {
				names = append(names, c.items[i].path)
				allBits = allBits && c.items[i].kind == cBits
			}
			what = "C members " + strings.Join(names, ", ")
			if allBits {
				what = "C bitfields " + strings.Join(names, ", ")
			}
		}
		l := c.leaves[k]
		c.findings = append(c.findings, finding{field: l.field, path: l.path,
			what:  fmt.Sprintf("padding (%s) over %s: dropped", l.gotype, what),
			goOff: l.off, goSize: l.end - l.off, cOff: first.off, cSize: last.end - first.off})
	}
}
