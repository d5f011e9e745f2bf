package templates

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoDocListsMethods: go doc shows every wrapper's methods, those it
// shares with Map included (an embedded alias once hid them).
func TestGoDocListsMethods(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	p, err := doc.NewFromFiles(fset, files, "github.com/mapgen/mapgen/templates")
	if err != nil {
		t.Fatal(err)
	}
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
