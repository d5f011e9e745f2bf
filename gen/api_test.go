package gen_test

import (
	"github.com/cilium/ebpf/btf"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
)

// declared lists what a generated file declares: package-level names, and
// the fields and methods of each type as "Type.Name".
func declared(t *testing.T, src []byte) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]bool)
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil {
				recv := d.Recv.List[0].Type
				if star, ok := recv.(*ast.StarExpr); ok {
					recv = star.X
				}
				name = recv.(*ast.Ident).Name + "." + name
			}
			out[name] = true
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					out[s.Name.Name] = true
					if st, ok := s.Type.(*ast.StructType); ok {
						for _, f := range st.Fields.List {
							for _, n := range f.Names {
								out[s.Name.Name+"."+n.Name] = true
							}
						}
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						out[n.Name] = true
					}
				}
			}
		}
	}
	return out
}

// openTypes marshals types as a raw BTF blob and opens it as mapgen does a
// file, for BTF that clang does not make.
func openTypes(t *testing.T, types ...btf.Type) *btfread.Object {
	t.Helper()
	b, err := btf.NewBuilder(types, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := b.Marshal(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := btfread.OpenBytes("types.btf", raw)
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

// TestAPINamesWin: C names that spell the names mapgen invents give way to
// them, in every namespace (package, struct fields and methods, Maps
// fields), and a C name that yields no Go name gets a positional one
// rather than another member's (testdata/c/apinames.c).
func TestAPINamesWin(t *testing.T) {
	for _, order := range []string{"bpfel", "bpfeb"} {
		obj, err := btfread.Open("../testdata/obj/apinames_" + order + ".o")
		if err != nil {
			t.Fatal(err)
		}
		src, err := gen.Generate(obj, gen.Options{Package: "p"})
		if err != nil {
			t.Fatal(err)
		}
		got := declared(t, src)
		for _, want := range []string{
			// The API, exactly as documented.
			"Maps", "NewMaps", "Maps.Close", "Programs", "NewPrograms", "Programs.Close",
			"Objects", "NewObjects", "LoadObjects", "Objects.Close", "Objects.Variables",
			"Globals", "EditGlobals", "LoadObjectsWith", "Variables", "NewVariables",
			"VariableSpecs", "NewVariableSpecs", "MapSpecs", "NewMapSpecs", "Variables.Counter",
			"Data", "DefaultData", "ReadData", "Rodata", "DefaultRodata", "ReadRodata",
			"MapFlows", "MapClose", "ProgCloseProg", "VarCounter", "VarNewObjects",
			"Accessors.Count", "Accessors.SetCount", "Accessors.TaskString", "Accessors.Raw0",
			// C names that spell API names, with their suffixes.
			"Maps_2", "Maps_3", "NewMaps_2", "Programs_2", "Objects_2", "LoadObjects_2",
			"Data_2", "DefaultData_2", "ReadData_2", "EditGlobals_2", "MapFlows_2", "VarCounter_2",
			"Accessors.SetCount_2", "Accessors.TaskString_2", "Accessors.Raw0_2", "Maps.Close_2",
			// Names that come from their own C names.
			"Unnamed.Field0", "Unnamed.X", "Rodata.NewObjects", "Maps.Flows",
			// A section is edited through EditGlobals only: EditData is
			// not an API name.
			"EditData",
			"Placeholders.Field0", "Placeholders.Field0_2",
			// Fixed API names are reserved even where this object does
			// not use them (no --embed, no .values), so that C names do
			// not change when it does.
			"Load_2", "ApplyValues_2",
		} {
			if !got[want] {
				t.Errorf("%s: %s is not declared", order, want)
			}
		}
		if got["Load"] || got["ApplyValues"] || got["LoadWith"] {
			t.Errorf("%s: Load, LoadWith or ApplyValues declared without --embed or .values", order)
		}
		if got["EditData_2"] || got["UpdateData"] || got["EditRodata"] {
			t.Errorf("%s: a per-section Edit or Update function is declared, or reserves its name", order)
		}
		if !strings.Contains(string(src), "// Field0 is the C member field0 ") {
			t.Errorf("%s: member field0 is not Field0", order)
		}
	}
}
