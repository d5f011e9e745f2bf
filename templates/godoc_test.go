package templates

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// TestGoDocListsMethods: go doc shows every wrapper's methods, those it
// shares with Map included (an embedded alias once hid them).
func TestGoDocListsMethods(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	files := make(map[string]*ast.File)
	for name, f := range pkgs["templates"].Files {
		files[name] = f
	}
	p := doc.New(&ast.Package{Name: "templates", Files: files}, "github.com/mapgen/mapgen/templates", 0)
	methods := make(map[string]map[string]bool)
	for _, ty := range p.Types {
		methods[ty.Name] = make(map[string]bool)
		for _, m := range ty.Methods {
			methods[ty.Name][m.Name] = true
		}
	}
	for ty, want := range map[string][]string{
		"Map":     {"Lookup", "Update", "Delete", "Iterate", "BatchLookup", "Map", "Close"},
		"Hash":    {"Lookup", "LookupInto", "Update", "Delete", "Iterate", "BatchUpdate", "Map", "Close"},
		"LPMTrie": {"Lookup", "Update", "Delete", "Iterate", "Map", "Close"},
		"Array":   {"Lookup", "Update", "Map", "Close"},
	} {
		for _, m := range want {
			if !methods[ty][m] {
				t.Errorf("go doc shows no %s.%s", ty, m)
			}
		}
	}
}
