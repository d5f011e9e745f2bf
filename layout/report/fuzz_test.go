package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mapgen/mapgen/btfread"
)

// FuzzReport reports on every named struct and union of object bytes in
// every format: an error from New is fine if it is one line; a panic, a
// hang or an SVG that is not XML is a failure. Seeds: every object of the
// corpus.
func FuzzReport(f *testing.F) {
	for _, path := range corpusObjects(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		watchdog := time.AfterFunc(30*time.Second, func() { panic("FuzzReport: input still running after 30s") })
		defer watchdog.Stop()
		obj, err := btfread.OpenBytes("fuzz.o", data)
		if err != nil {
			return // btfread's FuzzOpen covers its errors
		}
		types, err := Named(obj.Spec)
		if err != nil {
			return
		}
		var ls []*Layout
		for _, typ := range types {
			l, err := New(typ, Options{})
			if err != nil {
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error of more than one line: %q", err)
				}
				continue
			}
			if l.Suggestion != nil && l.Suggestion.decl != nil {
				l.Suggestion.C()
			}
			ls = append(ls, l)
		}
		if err := WriteText(io.Discard, ls); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(io.Discard, "fuzz.o", 64, ls); err != nil {
			t.Fatal(err)
		}
		var small []*Layout
		for _, l := range ls {
			if l.Size <= 4096 {
				small = append(small, l)
			}
		}
		var svg bytes.Buffer
		if err := WriteSVG(&svg, small, SVGOptions{}); err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(&svg)
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("SVG is not XML: %v", err)
			}
		}
	})
}
