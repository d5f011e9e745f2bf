package verify

import (
	"encoding/json"
	"fmt"
	"go/types"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Report is the outcome of Verify: mismatches grouped across GOARCHes.
type Report struct {
	Mismatches []Mismatch `json:"mismatches"`
	// Pairs are the pairs compared, sorted by Go type.
	Pairs []Pair `json:"pairs"`
	// Unpaired are the Go types ("importpath.Name") that paired with no C
	// type.
	Unpaired []string `json:"unpaired"`
	// GOARCHes are those on which a pair was compared (a package a
	// GOARCH does not build has no types there).
	GOARCHes []string `json:"checked_goarch"`

	byKey    map[string]*Mismatch
	archs    []string
	pairs    map[string]Pair
	paired   map[string]bool
	unpaired map[string]bool
}

// Mismatch is one difference, on the GOARCHes where it occurs.
type Mismatch struct {
	File string `json:"file"`
	Line int    `json:"line"`
	// Type is the Go type; Field the path of the Go field from it
	// ("Key.Addr[2]"), empty for the type itself.
	Type  string `json:"type"`
	Field string `json:"field,omitempty"`
	// Archs are the GOARCHes, in the order they were loaded.
	Archs    []string `json:"goarch"`
	What     string   `json:"what"`
	GoOffset int64    `json:"go_offset"`
	GoSize   int64    `json:"go_size"`
	COffset  int64    `json:"c_offset"`
	CSize    int64    `json:"c_size"`
}

func newReport() *Report {
	return &Report{byKey: make(map[string]*Mismatch), pairs: make(map[string]Pair),
		paired: make(map[string]bool), unpaired: make(map[string]bool)}
}

func (r *Report) addPair(p Pair) {
	r.paired[p.GoType] = true
	r.pairs[p.GoType] = p
}

// arrayIndex matches the element indices in paths and messages.
var arrayIndex = regexp.MustCompile(`\[\d+\]`)

// add records the findings of one type on one GOARCH. Findings that differ
// only in array indices (every element of a wrong array) become one, the
// first, which says how many more there are.
func (r *Report) add(l *Loaded, obj *types.TypeName, fs []finding) {
	if !contains(r.archs, l.GOARCH) {
		r.archs = append(r.archs, l.GOARCH)
	}
	var kept []finding
	more := make(map[string]int)
	first := make(map[string]int)
	for _, f := range fs {
		k := arrayIndex.ReplaceAllString(f.path+"\x00"+f.what, "[]")
		if _, ok := first[k]; ok {
			more[k]++
			continue
		}
		first[k] = len(kept)
		kept = append(kept, f)
	}
	for k, n := range more {
		kept[first[k]].what += fmt.Sprintf(" (and %d more array elements)", n)
	}
	for _, f := range kept {
		pos := l.Fset.Position(obj.Pos())
		if f.field != nil {
			pos = l.Fset.Position(f.field.Pos())
		}
		m := Mismatch{File: pos.Filename, Line: pos.Line, Type: obj.Name(), Field: f.path, What: f.what,
			GoOffset: f.goOff, GoSize: f.goSize, COffset: f.cOff, CSize: f.cSize}
		key := fmt.Sprintf("%s:%d:%s.%s:%s:%d:%d:%d:%d", m.File, m.Line, m.Type, m.Field, m.What, m.GoOffset, m.GoSize, m.COffset, m.CSize)
		if prev := r.byKey[key]; prev != nil {
			if !contains(prev.Archs, l.GOARCH) {
				prev.Archs = append(prev.Archs, l.GOARCH)
			}
			continue
		}
		m.Archs = []string{l.GOARCH}
		r.byKey[key] = &m
	}
}

// finish sorts what Verify found into the exported fields.
func (r *Report) finish() {
	r.Mismatches = make([]Mismatch, 0, len(r.byKey))
	for _, m := range r.byKey {
		r.Mismatches = append(r.Mismatches, *m)
	}
	archIndex := func(a string) int {
		for i, v := range r.archs {
			if v == a {
				return i
			}
		}
		return len(r.archs)
	}
	sort.Slice(r.Mismatches, func(i, j int) bool {
		a, b := &r.Mismatches[i], &r.Mismatches[j]
		switch {
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.Type != b.Type:
			return a.Type < b.Type
		case a.Field != b.Field:
			return a.Field < b.Field
		case a.What != b.What:
			return a.What < b.What
		}
		return archIndex(a.Archs[0]) < archIndex(b.Archs[0])
	})
	r.Pairs = make([]Pair, 0, len(r.paired))
	for _, name := range sortedKeys(r.paired) {
		r.Pairs = append(r.Pairs, r.pairs[name])
	}
	r.Unpaired = sortedKeys(r.unpaired)
	r.GOARCHes = append([]string{}, r.archs...)
}

// Format formats a mismatch, with its file relative to dir where that is
// shorter (as the go command shows paths).
func (m *Mismatch) Format(dir string) string {
	file := m.relFile(dir)
	name := m.Type
	if m.Field != "" {
		name += "." + m.Field
	}
	return fmt.Sprintf("%s:%d: %s (%s): %s: Go offset %d size %d, C offset %d size %d",
		file, m.Line, name, strings.Join(m.Archs, ","), m.What, m.GoOffset, m.GoSize, m.COffset, m.CSize)
}

// relFile is m.File relative to dir, if that is shorter.
func (m *Mismatch) relFile(dir string) string {
	if rel, err := filepath.Rel(dir, m.File); err == nil && dir != "" && len(rel) < len(m.File) {
		return rel
	}
	return m.File
}

// WriteText writes one line per mismatch.
func (r *Report) WriteText(w io.Writer, dir string) error {
	for i := range r.Mismatches {
		if _, err := fmt.Fprintln(w, r.Mismatches[i].Format(dir)); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes the report as one JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
