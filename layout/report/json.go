package report

import (
	"encoding/json"
	"io"
)

// JSONVersion is the version of the JSON schema WriteJSON writes. It
// changes only when a field changes meaning or goes away; new fields may
// appear without a new version.
const JSONVersion = 1

// jsonDoc is the document WriteJSON writes; README.md documents it.
type jsonDoc struct {
	Version   int         `json:"version"`
	Input     string      `json:"input"`
	CacheLine uint32      `json:"cacheline"`
	Types     []*jsonType `json:"types"`
}

type jsonType struct {
	Kind       string          `json:"kind"`
	Name       string          `json:"name"`
	Typedef    string          `json:"typedef,omitempty"`
	Offset     uint32          `json:"offset"`
	Size       uint32          `json:"size"`
	Align      uint32          `json:"align"`
	Members    []*jsonMember   `json:"members"`
	Holes      []jsonHole      `json:"holes"`
	BitHoles   []jsonHole      `json:"bit_holes"`
	Totals     jsonTotals      `json:"totals"`
	Suggestion *jsonSuggestion `json:"suggestion,omitempty"`
}

type jsonMember struct {
	Name      string    `json:"name"`
	Type      string    `json:"type"`
	Decl      string    `json:"decl"`
	Offset    uint32    `json:"offset"`
	BitOffset uint32    `json:"bit_offset"`
	BitSize   uint32    `json:"bit_size"`
	Size      uint32    `json:"size"`
	Align     uint32    `json:"align"`
	Nested    *jsonType `json:"nested,omitempty"`
}

type jsonHole struct {
	Offset uint32 `json:"offset"`
	Size   uint32 `json:"size"`
	In     string `json:"in"`
}

type jsonTotals struct {
	Members       int    `json:"members"`
	MemberBytes   uint32 `json:"member_bytes"`
	BitfieldBits  uint32 `json:"bitfield_bits"`
	Holes         int    `json:"holes"`
	HoleBytes     uint32 `json:"hole_bytes"`
	BitHoles      int    `json:"bit_holes"`
	BitHoleBits   uint32 `json:"bit_hole_bits"`
	Padding       uint32 `json:"padding"`
	BitPadding    uint32 `json:"bit_padding"`
	CacheLines    uint32 `json:"cachelines"`
	LastCacheLine uint32 `json:"last_cacheline"`
}

type jsonSuggestion struct {
	Better bool        `json:"better"`
	Reason string      `json:"reason"`
	Order  []string    `json:"order"`
	Size   uint32      `json:"size"`
	Totals *jsonTotals `json:"totals"`
	C      string      `json:"c"`
}

// WriteJSON writes the reports of one input as one JSON document (see
// README.md, "JSON schema").
func WriteJSON(w io.Writer, input string, cacheLine uint32, ls []*Layout) error {
	doc := jsonDoc{Version: JSONVersion, Input: input, CacheLine: cacheLine, Types: []*jsonType{}}
	for _, l := range ls {
		doc.Types = append(doc.Types, toJSON(l))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func toJSON(l *Layout) *jsonType {
	t := &jsonType{
		Kind: l.Kind, Name: l.Name, Typedef: l.Typedef, Offset: l.Base, Size: l.Size, Align: l.Align,
		Members: []*jsonMember{}, Holes: []jsonHole{}, BitHoles: []jsonHole{},
		Totals: totals(l),
	}
	for _, m := range l.Members {
		jm := &jsonMember{
			Name: m.Name, Type: m.CType, Decl: m.Decl, Offset: m.Offset(),
			BitOffset: m.BitOffset, BitSize: m.BitSize, Size: m.Size, Align: m.Align,
		}
		if m.Nested != nil {
			jm.Nested = toJSON(m.Nested)
		}
		t.Members = append(t.Members, jm)
	}
	for _, h := range l.Analysis.Holes {
		t.Holes = append(t.Holes, jsonHole(h))
	}
	for _, h := range l.Analysis.BitHoles {
		t.BitHoles = append(t.BitHoles, jsonHole(h))
	}
	if s := l.Suggestion; s != nil {
		js := &jsonSuggestion{Better: s.Better, Reason: s.Reason, Order: []string{}}
		if s.Layout != nil {
			js.Size = s.Layout.Size
			tt := totals(s.Layout)
			js.Totals = &tt
			for _, m := range s.Layout.Members {
				js.Order = append(js.Order, m.Name)
			}
			js.C = s.C()
		}
		t.Suggestion = js
	}
	return t
}

func totals(l *Layout) jsonTotals {
	a := &l.Analysis
	return jsonTotals{
		Members: len(l.Members), MemberBytes: a.MemberBytes, BitfieldBits: a.BitfieldBits,
		Holes: len(a.Holes), HoleBytes: a.HoleBytes(), BitHoles: len(a.BitHoles), BitHoleBits: a.BitHoleBits(),
		Padding: a.Padding, BitPadding: a.BitPadding, CacheLines: a.CacheLines, LastCacheLine: a.LastLine,
	}
}
