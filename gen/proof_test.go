package gen_test

import (
	"strings"
	"testing"

	"github.com/mapgen/mapgen/gen"
	"github.com/mapgen/mapgen/internal/gentest"
)

// TestLayoutProofFails edits a layout proof of generated code as a change
// of the C type would make it wrong (a member moved up or down, the type
// grown or shrunk) and requires both the type checker and the compiler to
// refuse the file, quoting the proof's hint: TYPE_changed_in_C_rerun_mapgen.
func TestLayoutProofFails(t *testing.T) {
	src := string(generateBytes(t, "../examples/counter/counter_bpfel.o", gen.Options{Package: "counter"}))
	const hint = "FlowKey_changed_in_C_rerun_mapgen"
	offset := "[" + hint + "(unsafe.Offsetof(v.Proto)) - 4]struct{}{}"
	size := "[" + hint + "(unsafe.Sizeof(v)) - 8]struct{}{}"
	for _, w := range []string{offset, size} {
		if !strings.Contains(src, w) {
			t.Fatalf("generated counter lacks %q; the edits below test nothing", w)
		}
	}
	edits := []struct {
		name, from, to string
	}{
		{"member_later_in_C", offset, strings.Replace(offset, "- 4]", "- 5]", 1)},
		{"member_earlier_in_C", offset, strings.Replace(offset, "- 4]", "- 3]", 1)},
		{"type_grew_in_C", size, strings.Replace(size, "- 8]", "- 12]", 1)},
		{"type_shrank_in_C", size, strings.Replace(size, "- 8]", "- 4]", 1)},
	}
	mod := gentest.Module(t)
	gentest.AddPackage(t, mod, "unchanged", map[string][]byte{"counter.go": []byte(src)})
	for _, e := range edits {
		gentest.AddPackage(t, mod, e.name, map[string][]byte{"counter.go": []byte(strings.Replace(src, e.from, e.to, 1))})
	}
	pkgs, err := gentest.TypeCheck(mod, "amd64", "./...")
	if err != nil {
		t.Fatal(err)
	}
	if p := pkgs[gentest.ModulePath+"/unchanged"]; p == nil || len(p.Errors) > 0 {
		t.Fatalf("the unedited file does not type-check: %v", p)
	}
	env := []string{"GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0"}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			p := pkgs[gentest.ModulePath+"/"+e.name]
			if p == nil || len(p.Errors) != 1 {
				t.Fatalf("type check: want one error, got %v", p)
			}
			if msg := p.Errors[0].Error(); !strings.Contains(msg, hint) {
				t.Errorf("type check error lacks %s: %s", hint, msg)
			}
			out, err := gentest.Go(t, mod, env, "build", "./"+e.name)
			if err == nil {
				t.Fatal("go build succeeded")
			}
			if !strings.Contains(out, hint) {
				t.Errorf("go build error lacks %s:\n%s", hint, out)
			}
			t.Logf("go build: %s", strings.TrimSpace(out))
		})
	}
}
