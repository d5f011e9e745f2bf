package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/btfread"
)

// hostile is a struct whose names need escaping in XML and HTML (BTF
// names are input: nothing stops a crafted object from using them).
func hostile(t *testing.T) *Layout {
	t.Helper()
	typ := &btf.Struct{Name: `evil<svg onload="x">&amp;`, Size: 16, Members: []btf.Member{
		member(`a</text><script>`, u8, 0, 0), member(`b"&'`, u64, 64, 0)}}
	l, err := New(typ, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// xmlTexts decodes doc as XML, failing on any error, and returns the
// character data of its text elements and the names of its elements.
func xmlTexts(t *testing.T, doc string) (texts []string, elements map[string]int) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	dec.Strict = true
	elements = make(map[string]int)
	var in []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not valid XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			elements[tok.Name.Local]++
			in = append(in, tok.Name.Local)
		case xml.EndElement:
			in = in[:len(in)-1]
		case xml.CharData:
			if len(in) > 0 && in[len(in)-1] == "text" {
				texts = append(texts, string(tok))
			}
		}
	}
	return texts, elements
}

func TestSVGIsValidXMLAndEscapes(t *testing.T) {
	l := hostile(t)
	var buf bytes.Buffer
	if err := WriteSVG(&buf, []*Layout{l}, SVGOptions{Row: 8}); err != nil {
		t.Fatal(err)
	}
	texts, elements := xmlTexts(t, buf.String())
	if elements["svg"] != 1 || elements["script"] != 0 {
		t.Errorf("elements %v: want one svg and no script", elements)
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{`struct evil<svg onload="x">&amp; — 16 bytes, 2 members`, "hole 7", `b"&'`} {
		if !strings.Contains(all, want) {
			t.Errorf("SVG texts lack %q:\n%s", want, all)
		}
	}
}

func TestSVGRowsAndColours(t *testing.T) {
	obj, err := btfread.Open("../../testdata/obj/layout_bpfel.o")
	if err != nil {
		t.Fatal(err)
	}
	types, err := Lookup(obj.Spec, []string{"struct holes"})
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(types[0], Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		row  uint32
		rows int // offsets labelled left of the rows
	}{{8, 6}, {16, 3}} {
		var buf bytes.Buffer
		if err := WriteSVG(&buf, []*Layout{l}, SVGOptions{Row: tc.row}); err != nil {
			t.Fatal(err)
		}
		svg := buf.String()
		texts, _ := xmlTexts(t, svg)
		var offsets []string
		for _, s := range texts {
			if regexp.MustCompile(`^\d+$`).MatchString(s) {
				offsets = append(offsets, s)
			}
		}
		if len(offsets) != tc.rows {
			t.Errorf("row %d: row offsets %v, want %d rows", tc.row, offsets, tc.rows)
		}
		// 3 holes, none crossing a row of 8 or 16 bytes, and the
		// tail padding: count their hatched rectangles (one each in
		// the legend too).
		holes := strings.Count(svg, `fill="url(#hatch-hole)"`) - 1
		padding := strings.Count(svg, `fill="url(#hatch-padding)"`) - 1
		if holes != 3 || padding != 1 {
			t.Errorf("row %d: %d hole and %d padding rectangles, want 3 and 1", tc.row, holes, padding)
		}
	}
	if err := WriteSVG(io.Discard, []*Layout{l}, SVGOptions{Row: 12}); err == nil {
		t.Error("row of 12 bytes accepted")
	}
	big, err := New(&btf.Struct{Name: "big", Size: MaxSVGSize + 1, Members: []btf.Member{
		member("a", &btf.Array{Type: u8, Nelems: MaxSVGSize + 1}, 0, 0)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteSVG(io.Discard, []*Layout{big}, SVGOptions{}); err == nil || !strings.Contains(err.Error(), "struct big: 65537 bytes") {
		t.Errorf("drew a type of %d bytes: %v", big.Size, err)
	}
}

func TestHTMLEscapesAndEmbedsValidSVG(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, `obj<1>.o`, []*Layout{hostile(t), hostile(t)}, SVGOptions{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if strings.Contains(page, "<script>") || strings.Contains(page, `<svg onload`) {
		t.Errorf("page has unescaped names:\n%s", page)
	}
	for _, want := range []string{"<title>mapgen layout: obj&lt;1&gt;.o</title>", `href="#struct-evil`, `id="struct-evil`, "-2\""} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	svgs := regexp.MustCompile(`(?s)<svg xmlns.*?</svg>`).FindAllString(page, -1)
	if len(svgs) != 2 {
		t.Fatalf("%d inline SVGs, want 2", len(svgs))
	}
	for _, s := range svgs {
		xmlTexts(t, s)
	}
}

func TestJSONSchema(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, "x.o", 64, []*Layout{hostile(t)}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version int `json:"version"`
		Types   []struct {
			Name    string `json:"name"`
			Members []struct {
				Name      string `json:"name"`
				Offset    uint32 `json:"offset"`
				BitOffset uint32 `json:"bit_offset"`
			} `json:"members"`
			Holes  []struct{ Offset, Size uint32 } `json:"holes"`
			Totals struct {
				HoleBytes uint32 `json:"hole_bytes"`
			} `json:"totals"`
			Suggestion struct {
				Better bool     `json:"better"`
				Size   uint32   `json:"size"`
				Order  []string `json:"order"`
			} `json:"suggestion"`
		} `json:"types"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	ty := doc.Types[0]
	if doc.Version != JSONVersion || ty.Name != `evil<svg onload="x">&amp;` || ty.Members[1].Offset != 8 || ty.Members[1].BitOffset != 64 ||
		len(ty.Holes) != 1 || ty.Holes[0].Offset != 1 || ty.Holes[0].Size != 7 || ty.Totals.HoleBytes != 7 ||
		!ty.Suggestion.Better || ty.Suggestion.Size != 16 || len(ty.Suggestion.Order) != 2 || ty.Suggestion.Order[0] != `b"&'` {
		t.Errorf("unexpected document: %+v", doc)
	}
}

// TestRenderPNG renders an SVG with headless Chromium when it is
// installed (not required; `make layout-png` does the same for a person
// to look at).
func TestRenderPNG(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil || testing.Short() {
		t.Skip("chromium not installed (or -short)")
	}
	l := hostile(t)
	dir := t.TempDir()
	svg := filepath.Join(dir, "l.svg")
	var buf bytes.Buffer
	if err := WriteSVG(&buf, []*Layout{l}, SVGOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(svg, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	png := filepath.Join(dir, "l.png")
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+png, "--window-size=982,300", "file://"+svg)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	data, err := os.ReadFile(png)
	if err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) || len(data) < 2000 {
		t.Fatalf("no PNG rendered (%d bytes, %v)", len(data), err)
	}
}

// TestHTMLIDsUnique: a page of several types defines every id once (each
// inline SVG defines its hatch patterns), and every pattern reference of a
// picture points at an id its own picture defines.
func TestHTMLIDsUnique(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, "two.o", []*Layout{hostile(t), hostile(t)}, SVGOptions{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	idAttr := regexp.MustCompile(`\sid="([^"]*)"`)
	seen := make(map[string]int)
	for _, m := range idAttr.FindAllStringSubmatch(page, -1) {
		seen[m[1]]++
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("id %q defined %d times", id, n)
		}
	}
	svgs := regexp.MustCompile(`(?s)<svg xmlns.*?</svg>`).FindAllString(page, -1)
	if len(svgs) != 2 {
		t.Fatalf("%d inline SVGs, want 2", len(svgs))
	}
	refs := 0
	for i, s := range svgs {
		own := make(map[string]bool)
		for _, m := range idAttr.FindAllStringSubmatch(s, -1) {
			own[m[1]] = true
		}
		for _, m := range regexp.MustCompile(`url\(#([^)]*)\)`).FindAllStringSubmatch(s, -1) {
			refs++
			if !own[m[1]] {
				t.Errorf("picture %d references #%s, which it does not define", i+1, m[1])
			}
		}
	}
	if len(seen) < 6 || refs < 4 {
		t.Errorf("%d ids and %d pattern references: want the two sections' and four patterns' ids, and the hole and legend references", len(seen), refs)
	}
}
