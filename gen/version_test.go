package gen_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/mapgen/mapgen/btfread"
	"github.com/mapgen/mapgen/gen"
	"github.com/mapgen/mapgen/internal/gentest"
)

// TestVersionHandshake: a generated file builds with this templates
// package, and one written for an older or a newer generated API does not,
// failing at the line whose comment says what to do.
func TestVersionHandshake(t *testing.T) {
	obj, err := btfread.Open("../examples/counter/counter_bpfel.o")
	if err != nil {
		t.Fatal(err)
	}
	src, err := gen.Generate(obj, gen.Options{Package: "p"})
	if err != nil {
		t.Fatal(err)
	}
	const current = "templates.EnforceVersion(2 - templates.MinVersion)"
	if !strings.Contains(string(src), current) {
		t.Fatalf("the generated file has no %s", current)
	}
	mod := gentest.Module(t)
	for _, tt := range []struct {
		name, version string
		fails         bool
	}{
		{"current", "2", false},
		{"older", "1", true},
		{"newer", "3", true},
	} {
		s := strings.ReplaceAll(string(src), "(2 - templates.MinVersion)", "("+tt.version+" - templates.MinVersion)")
		s = strings.ReplaceAll(s, "(templates.MaxVersion - 2)", "(templates.MaxVersion - "+tt.version+")")
		dir := gentest.AddPackage(t, mod, tt.name, map[string][]byte{"p.go": []byte(s)})
		pkgs, err := gentest.TypeCheck(mod, "amd64", "./"+tt.name)
		if err != nil {
			t.Fatal(err)
		}
		var errs []string
		for _, p := range pkgs {
			for _, e := range p.Errors {
				errs = append(errs, e.Error())
			}
		}
		if !tt.fails {
			if len(errs) > 0 {
				t.Errorf("%s: %v", tt.name, errs)
			}
			continue
		}
		if len(errs) != 1 || !strings.Contains(errs[0], "EnforceVersion") {
			t.Errorf("%s API version: errors %v, want one at the version check", tt.name, errs)
			continue
		}
		// The line that fails sits under the comment that says what to do.
		var line int
		if _, err := fmt.Sscanf(errs[0][strings.Index(errs[0], ".go:")+4:], "%d", &line); err != nil {
			t.Fatalf("%s: no line in %q", tt.name, errs[0])
		}
		text, _ := os.ReadFile(dir + "/p.go")
		lines := strings.Split(string(text), "\n")
		above := strings.Join(lines[max(0, line-8):line], "\n")
		if !strings.Contains(above, "re-run mapgen") || !strings.Contains(above, "update github.com/mapgen/mapgen") {
			t.Errorf("%s: the failing line %d has no comment saying what to do:\n%s", tt.name, line, above)
		}
	}
}
