package gen_test

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
	"github.com/mapgen/mapgen/internal/gentest"
	"github.com/mapgen/mapgen/layout"
)

// defaultRE finds the composite literal of a section's initial values in
// generated source: its doc comment names the section.
var defaultRE = regexp.MustCompile(`(?m)^// (\w+) returns the contents of (\S+) as compiled into the object\.$`)

// TestDataRoundTrip proves that the generated composite literal of every
// data section's initial values has exactly the section's bytes: a check
// generated beside each package compares the memory of each Default
// variable with the bytes of the object. One test binary per byte order
// runs the checks of all its packages: GOARCH=amd64 for bpfel objects and
// GOARCH=s390x for bpfeb ones (natively or under qemu-user, as
// gentest.Run decides).
func TestDataRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs generated packages")
	}
	mod := gentest.Module(t)
	names := map[binary.ByteOrder][]string{} // packages with data sections
	for path, opts := range goldenObjects(t) {
		opts.Package = "p"
		opts.Embed = ""
		name := strings.TrimSuffix(filepath.Base(path), ".o")
		obj, err := btfread.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		out, err := gen.GenerateFile(obj, opts)
		if err != nil {
			t.Fatal(err)
		}
		check, n := roundTripCheck(t, name, obj, out.Source)
		if n == 0 {
			continue
		}
		gentest.AddPackage(t, mod, orderDir(obj.ByteOrder)+"/"+name, map[string][]byte{
			name + ".go": out.Source,
			"check.go":   check,
		})
		names[obj.ByteOrder] = append(names[obj.ByteOrder], name)
	}
	el, eb := names[binary.LittleEndian], names[binary.BigEndian]
	if len(el) == 0 || len(eb) == 0 {
		t.Fatalf("corpus has no data sections: %d little-endian, %d big-endian packages", len(el), len(eb))
	}
	if !slices.Contains(el, "data_bpfel") {
		t.Fatalf("data_bpfel.o has no data sections? packages: %v", el)
	}

	for _, run := range []struct {
		name   string
		order  binary.ByteOrder
		goarch string
	}{{"bpfel", binary.LittleEndian, "amd64"}, {"bpfeb", binary.BigEndian, "s390x"}} {
		dir := orderDir(run.order)
		t.Run(run.name, func(t *testing.T) {
			t.Parallel()
			pkgs := names[run.order]
			slices.Sort(pkgs)
			// One test package that runs every package's check.
			f := jen.NewFile("all")
			f.HeaderComment("//go:build " + layout.BuildConstraint(run.order))
			var calls []jen.Code
			for _, name := range pkgs {
				calls = append(calls, jen.Id("t").Dot("Run").Call(jen.Lit(name), jen.Qual(gentest.ModulePath+"/"+dir+"/"+name, "CheckDefaults")))
			}
			f.Func().Id("TestDefaults").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(calls...)
			var buf bytes.Buffer
			if err := f.Render(&buf); err != nil {
				t.Fatal(err)
			}
			gentest.AddPackage(t, mod, dir+"/all", map[string][]byte{"all_test.go": buf.Bytes()})
			bin := filepath.Join(t.TempDir(), dir+".test")
			gentest.BuildTest(t, mod, run.goarch, "./"+dir+"/all", bin)
			out, cmdline, err := gentest.Run(t, run.goarch, "", bin, "-test.v")
			if err != nil {
				t.Fatalf("%s: %v\n%s", cmdline, err, out)
			}
			for _, name := range pkgs {
				if want := "--- PASS: TestDefaults/" + name + " "; !bytes.Contains(out, []byte(want)) {
					t.Errorf("%s: output lacks %q:\n%s", cmdline, want, out)
				}
			}
		})
	}
}

// orderDir is the directory of the packages of one byte order.
func orderDir(order binary.ByteOrder) string {
	if order == binary.BigEndian {
		return "eb"
	}
	return "el"
}

// roundTripCheck writes a file of one generated package with its check,
// CheckDefaults: for each data section with a Default literal, the
// section's bytes and a comparison. n counts the sections.
func roundTripCheck(t *testing.T, name string, obj *btfread.Object, src []byte) (check []byte, n int) {
	t.Helper()
	defaults := make(map[string]string) // section -> Go variable
	for _, m := range defaultRE.FindAllSubmatch(src, -1) {
		defaults[string(m[2])] = string(m[1])
	}
	f := jen.NewFile("p")
	f.HeaderComment("//go:build " + layout.BuildConstraint(obj.ByteOrder))
	var checks []jen.Code
	for _, ds := range obj.DataSections {
		if !slices.ContainsFunc(ds.Variables, func(v *btfread.Variable) bool { return !v.Static && !v.Hidden }) {
			continue // no Go view: only static variables
		}
		v, ok := defaults[ds.Name]
		if !ok {
			t.Errorf("%s: no Default variable for section %s", name, ds.Name)
			continue
		}
		n++
		want := "want" + v
		// Bytes no global variable covers (static variables, parts of
		// split static structs) are not in the Go value: EditGlobals keeps them.
		covered := make([]bool, len(ds.Contents))
		for _, v := range ds.Variables {
			if v.Static || v.Hidden {
				continue
			}
			for i := v.Offset; i < v.Offset+v.Size; i++ {
				covered[i] = true
			}
		}
		vals := make([]jen.Code, len(ds.Contents))
		for i, c := range ds.Contents {
			if !covered[i] {
				c = 0
			}
			vals[i] = jen.Lit(int(c))
		}
		f.Var().Id(want).Op("=").Index().Byte().Values(vals...)
		// got: the memory of the literal; the bytes past the section (Go
		// tail padding) must be zero.
		checks = append(checks, jen.Block(
			jen.Id("val").Op(":=").Id(v).Call(),
			jen.Id("all").Op(":=").Qual("unsafe", "Slice").Call(
				jen.Parens(jen.Op("*").Byte()).Call(jen.Qual("unsafe", "Pointer").Call(jen.Op("&").Id("val"))),
				jen.Qual("unsafe", "Sizeof").Call(jen.Id("val"))),
			jen.If(jen.Len(jen.Id("all")).Op("<").Len(jen.Id(want))).Block(
				jen.Id("t").Dot("Fatalf").Call(jen.Lit(ds.Name+": Go value has %d bytes, the section %d"), jen.Len(jen.Id("all")), jen.Len(jen.Id(want)))),
			jen.Id("got").Op(":=").Id("all").Index(jen.Empty(), jen.Len(jen.Id(want))),
			jen.For(jen.List(jen.Id("i"), jen.Id("b")).Op(":=").Range().Id("got")).Block(
				jen.If(jen.Id("b").Op("!=").Id(want).Index(jen.Id("i"))).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit(ds.Name+" ("+v+"): byte %d is %#x, the object has %#x"), jen.Id("i"), jen.Id("b"), jen.Id(want).Index(jen.Id("i"))))),
			jen.For(jen.List(jen.Id("i"), jen.Id("b")).Op(":=").Range().Id("all").Index(jen.Len(jen.Id(want)), jen.Empty())).Block(
				jen.If(jen.Id("b").Op("!=").Lit(0)).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit(ds.Name+" ("+v+"): tail padding byte %d is %#x"), jen.Len(jen.Id(want)).Op("+").Id("i"), jen.Id("b")))),
		))
	}
	f.Func().Id("CheckDefaults").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(checks...)
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), n
}
