package gen_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/gen"
)

// TestHostileNames: BTF names are bytes. Names with characters no Go
// identifier holds ($, a newline that would end a comment and turn the rest
// of it into code, invalid UTF-8, a leading letter without upper case) map
// to valid exported identifiers, or to positional ones, and reach comments
// escaped.
func TestHostileNames(t *testing.T) {
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	st := &btf.Struct{Name: "evil\n}\nfunc init() { panic(0) }\n//", Size: 20, Members: []btf.Member{
		{Name: "$", Type: u32, Offset: 0},
		{Name: "名前", Type: u32, Offset: 32},
		{Name: "bad\xffbyte", Type: u32, Offset: 64},
		{Name: "x\ty", Type: u32, Offset: 96},
		{Name: "_", Type: u32, Offset: 128},
	}}
	en := &btf.Enum{Name: "$$", Size: 4, Values: []btf.EnumValue{{Name: "\u2028", Value: 1}, {Name: "ok", Value: 2}}}
	obj := openTypes(t, st, en, &btf.Typedef{Name: "t\r\nx", Type: st})
	src, err := gen.Generate(obj, gen.Options{Package: "p", AllTypes: true})
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "hostile.go", src, parser.ParseComments)
	if err != nil {
		t.Fatalf("generated source does not parse: %v", err)
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "init" {
			t.Error("a C name injected a function")
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name != "_" && !token.IsIdentifier(id.Name) {
			t.Errorf("invalid identifier %q", id.Name)
		}
		return true
	})
	got := declared(t, src)
	for _, want := range []string{"EvilFuncInitPanic0.Field0", "EvilFuncInitPanic0.X名前", "EvilFuncInitPanic0.BadByte", "EvilFuncInitPanic0.XY", "EvilFuncInitPanic0.Field4", "TX", "Type1Value0", "Ok"} {
		if !got[want] {
			t.Errorf("%s not declared", want)
		}
	}
	if !strings.Contains(string(src), `the C member "x\ty"`) {
		t.Error("a member name with a tab is not shown escaped in its doc comment")
	}
}
