package report

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/btfread"
)

// needClang returns clang-19, skipping the test without it (failing it
// under CI=true, where `make deps` installs it).
func needClang(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("clang-19")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("clang-19 not found (CI=true requires it)")
		}
		t.Skip("clang-19 not found")
	}
	return path
}

// sourceOf returns the C source an object of the corpus was built from.
func sourceOf(obj string) string {
	base := strings.TrimSuffix(filepath.Base(obj), ".o")
	for _, suffix := range []string{"_bpfel", "_bpfeb", "_clang14"} {
		base = strings.TrimSuffix(base, suffix)
	}
	if strings.Contains(obj, filepath.Join("examples", "counter")) {
		return filepath.Join(filepath.Dir(obj), base+".c")
	}
	return filepath.Join(filepath.Dir(obj), "..", "c", base+".c")
}

// TestSuggestionCompiles compiles, for every struct of the corpus, the
// suggested order and the declaration inferred from BTF with clang for the
// BPF target of the object's byte order, beside the original source, and
// reads their BTF back: the inferred declaration has every member at its
// original offset and the original size, and the suggested order has
// exactly the size, member offsets and holes the report promised.
func TestSuggestionCompiles(t *testing.T) {
	clang := needClang(t)
	checked, better := 0, 0
	for _, path := range corpusObjects(t) {
		obj, err := btfread.Open(path)
		if err != nil {
			continue
		}
		types, err := Named(obj.Spec)
		if err != nil {
			t.Fatal(err)
		}
		c, b := compileChecks(t, clang, targetOf(path), sourceOf(path), filepath.Base(path), types)
		checked += c
		better += b
	}
	if checked < 100 || better < 10 {
		t.Errorf("checked %d declarations and %d better orders: the corpus should give many", checked, better)
	}
	t.Logf("%d inferred declarations and %d suggested orders compiled to the promised layouts", checked, better)
}

// TestInferredFromC does the same for testdata/padding.c, declarations
// whose BTF leaves out what shaped them (unnamed padding bitfields between
// whole members and at the end, zero-width bitfields, attributes), compiled
// here for both byte orders.
func TestInferredFromC(t *testing.T) {
	clang := needClang(t)
	for _, target := range []string{"bpfel", "bpfeb"} {
		spec := compileBTF(t, clang, target, "testdata/padding.c")
		types, err := Named(spec)
		if err != nil {
			t.Fatal(err)
		}
		checked, better := compileChecks(t, clang, target, "testdata/padding.c", "padding.c/"+target, types)
		if checked != 7 || better < 4 {
			t.Errorf("%s: checked %d declarations and %d better orders, want 7 and at least 4", target, checked, better)
		}
	}
}

// TestTypedefSuggestionCompiles: a typedef of an anonymous struct is
// reported and suggested under the typedef's name, and the suggestion
// compiles on its own to the promised size.
func TestTypedefSuggestionCompiles(t *testing.T) {
	clang := needClang(t)
	dir := t.TempDir()
	obj := filepath.Join(dir, "padding.o")
	if out, err := exec.Command(clang, "-g", "-target", "bpfel", "-c", "testdata/padding.c", "-o", obj).CombinedOutput(); err != nil {
		t.Fatalf("clang: %v\n%s", err, out)
	}
	spec, err := btf.LoadSpec(obj)
	if err != nil {
		t.Fatal(err)
	}
	types, err := Lookup(spec, []string{"holey_t"})
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(types[0], Options{})
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	if err := WriteText(&text, []*Layout{l}); err != nil {
		t.Fatal(err)
	}
	c := l.Suggestion.C()
	if !strings.HasPrefix(text.String(), "typedef struct {") || !strings.Contains(text.String(), "\n} holey_t;\n") ||
		!l.Suggestion.Better || !strings.HasPrefix(c, "typedef struct {\n\t__u64 b;") || !strings.HasSuffix(c, "} holey_t;\n") {
		t.Fatalf("report:\n%s", text.String())
	}
	src := "typedef unsigned char __u8;\ntypedef unsigned long long __u64;\n" + c + "holey_t *use;\n"
	cfile, ofile := filepath.Join(dir, "s.c"), filepath.Join(dir, "s.o")
	if err := os.WriteFile(cfile, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(clang, "-g", "-target", "bpfel", "-c", cfile, "-o", ofile).CombinedOutput(); err != nil {
		t.Fatalf("clang: %v\n%s\n%s", err, out, src)
	}
	spec, err = btf.LoadSpec(ofile)
	if err != nil {
		t.Fatal(err)
	}
	types, err = Lookup(spec, []string{"holey_t"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := New(types[0], Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := sameLayout(l.Suggestion.Layout, got); d != "" {
		t.Errorf("suggestion compiles to another layout: %s\n%s", d, src)
	}
}

func targetOf(obj string) string {
	if strings.Contains(filepath.Base(obj), "bpfeb") {
		return "bpfeb"
	}
	return "bpfel"
}

// compileChecks writes, for each struct of types, its inferred declaration
// and (when better) its suggested order under new names into a C file that
// includes src, compiles it for target, and compares their BTF with the
// original and with what the report promised. It returns how many
// declarations and better orders it checked.
func compileChecks(t *testing.T, clang, target, src, label string, types []btf.Type) (checked, better int) {
	t.Helper()
	count := make(map[string]int)
	for _, typ := range types {
		count[typ.TypeName()]++
	}
	src, err := filepath.Abs(src)
	if err != nil {
		t.Fatal(err)
	}
	var c strings.Builder
	fmt.Fprintf(&c, "#include %q\n\n", src)
	type check struct {
		l                  *Layout
		origName, suggName string
	}
	var checks []check
	for i, typ := range types {
		l, err := New(typ, Options{})
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		s := l.Suggestion
		if s == nil {
			continue // a union
		}
		if s.decl == nil {
			// Every struct here has a declaration C reproduces;
			// failing to infer one is a bug.
			t.Errorf("%s: %s: %s", label, tag(l), s.Reason)
			continue
		}
		if count[l.Name] > 1 {
			// Namesakes (one of them local to a function) cannot all
			// be named in C at file scope.
			continue
		}
		ck := check{l: l, origName: fmt.Sprintf("%s__mapgen_orig_%d", l.Name, i)}
		decl, err := s.cNamed(ck.origName, true, true)
		if err != nil {
			t.Fatalf("%s: %s: %v", label, tag(l), err)
		}
		fmt.Fprintf(&c, "%sstruct %s *__mapgen_var_o%d;\n\n", decl, ck.origName, i)
		if s.Better {
			ck.suggName = fmt.Sprintf("%s__mapgen_sugg_%d", l.Name, i)
			decl, err := s.cNamed(ck.suggName, true, false)
			if err != nil {
				t.Fatalf("%s: %s: %v", label, tag(l), err)
			}
			fmt.Fprintf(&c, "%sstruct %s *__mapgen_var_s%d;\n\n", decl, ck.suggName, i)
		}
		checks = append(checks, ck)
	}
	if len(checks) == 0 {
		return 0, 0
	}
	dir := t.TempDir()
	cfile, ofile := filepath.Join(dir, "suggested.c"), filepath.Join(dir, "suggested.o")
	if err := os.WriteFile(cfile, []byte(c.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(clang, "-g", "-O2", "-mcpu=v3", "-target", target, "-I/usr/include/x86_64-linux-gnu",
		"-I"+filepath.Dir(src), "-c", cfile, "-o", ofile)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: clang: %v\n%s\n--- %s:\n%s", label, err, out, cfile, c.String())
	}
	spec, err := btf.LoadSpec(ofile)
	if err != nil {
		t.Fatalf("%s: BTF of the compiled suggestions: %v", label, err)
	}
	for _, ck := range checks {
		orig := compiled(t, spec, ck.origName)
		if d := sameLayout(ck.l, orig); d != "" {
			t.Errorf("%s: %s: the declaration inferred from BTF compiles to another layout: %s\n%s", label, tag(ck.l), d, mustC(ck.l.Suggestion, true))
		}
		checked++
		if ck.suggName == "" {
			continue
		}
		better++
		promised := ck.l.Suggestion.Layout
		got := compiled(t, spec, ck.suggName)
		if d := sameLayout(promised, got); d != "" {
			t.Errorf("%s: %s: the suggested order compiles to another layout than promised: %s\n%s", label, tag(ck.l), d, ck.l.Suggestion.C())
		}
		if got.Analysis.HoleBytes() > promised.Analysis.HoleBytes() || len(got.Analysis.Holes) > len(promised.Analysis.Holes) {
			t.Errorf("%s: %s: suggested order has %d holes (%d bytes), promised %d (%d bytes)", label, tag(ck.l),
				len(got.Analysis.Holes), got.Analysis.HoleBytes(), len(promised.Analysis.Holes), promised.Analysis.HoleBytes())
		}
	}
	return checked, better
}

func mustC(s *Suggestion, original bool) string {
	c, err := s.cNamed(s.decl.l.Name, true, original)
	if err != nil {
		return err.Error()
	}
	return c
}

// compiled reports on the struct name of spec.
func compiled(t *testing.T, spec *btf.Spec, name string) *Layout {
	t.Helper()
	var st *btf.Struct
	if err := spec.TypeByName(name, &st); err != nil {
		t.Fatalf("compiled %s: %v", name, err)
	}
	l, err := New(st, Options{})
	if err != nil {
		t.Fatalf("compiled %s: %v", name, err)
	}
	return l
}

// sameLayout describes the first difference of size or member placement
// between want and got, "" if none.
func sameLayout(want, got *Layout) string {
	if want.Size != got.Size {
		return fmt.Sprintf("size %d, want %d", got.Size, want.Size)
	}
	if len(want.Members) != len(got.Members) {
		return fmt.Sprintf("%d members, want %d", len(got.Members), len(want.Members))
	}
	for i, w := range want.Members {
		g := got.Members[i]
		if w.Name != g.Name || w.BitOffset-8*want.Base != g.BitOffset-8*got.Base || w.BitSize != g.BitSize || w.Size != g.Size {
			return fmt.Sprintf("member %d %q at bit %d (%d bits, %d bytes), want %q at bit %d (%d bits, %d bytes)",
				i, g.Name, g.BitOffset, g.BitSize, g.Size, w.Name, w.BitOffset, w.BitSize, w.Size)
		}
		if (w.Nested == nil) != (g.Nested == nil) {
			return fmt.Sprintf("member %q nested differently", w.Name)
		}
		if w.Nested != nil {
			if d := sameLayout(w.Nested, g.Nested); d != "" {
				return fmt.Sprintf("in member %q: %s", memberName(w), d)
			}
		}
	}
	return ""
}

// compileBTF compiles the C file src with clang for target (bpfel or
// bpfeb) and returns the BTF of the object.
func compileBTF(t *testing.T, clang, target, src string) *btf.Spec {
	t.Helper()
	obj := filepath.Join(t.TempDir(), strings.TrimSuffix(filepath.Base(src), ".c")+".o")
	cmd := exec.Command(clang, "-g", "-O2", "-target", target, "-c", src, "-o", obj)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("clang: %v\n%s", err, out)
	}
	spec, err := btf.LoadSpec(obj)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}
