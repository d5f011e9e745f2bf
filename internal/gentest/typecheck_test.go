package gentest

import (
	"strings"
	"testing"
)

// TestTypeCheck: a layout assertion that holds on amd64 and not on 386
// type-checks for one and is reported for the other, through a package
// that imports another of the module and the standard library.
func TestTypeCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	mod := Module(t)
	AddPackage(t, mod, "dep", map[string][]byte{"dep.go": []byte(`package dep

import "strings"

// T is 16 bytes on 64-bit targets, 12 where uint64 has alignment 4.
type T struct {
	A uint64
	B uint32
}

func Upper(s string) string { return strings.ToUpper(s) }
`)})
	AddPackage(t, mod, "p", map[string][]byte{"p.go": []byte(`package p

import (
	"unsafe"

	"` + ModulePath + `/dep"
)

var _ = dep.Upper("x")

func _() {
	var x [1]struct{}
	_ = x[unsafe.Sizeof(dep.T{})-16]
}
`)})
	for _, tc := range []struct {
		goarch string
		errs   []string
	}{
		{"amd64", nil},
		{"arm64", nil},
		{"386", []string{"p.go:13:", "overflows uintptr"}},
		{"arm", []string{"p.go:13:", "overflows uintptr"}},
	} {
		pkgs, err := TypeCheck(mod, tc.goarch, "./p")
		if err != nil {
			t.Fatalf("GOARCH=%s: %v", tc.goarch, err)
		}
		p := pkgs[ModulePath+"/p"]
		if p == nil || len(pkgs) != 1 {
			t.Fatalf("GOARCH=%s: TypeCheck returned %v, want only package p", tc.goarch, pkgs)
		}
		var got []string
		for _, e := range p.Errors {
			got = append(got, e.Error())
		}
		if tc.errs == nil {
			if len(got) > 0 {
				t.Errorf("GOARCH=%s: errors %q, want none", tc.goarch, got)
			}
			continue
		}
		if len(got) != 1 {
			t.Errorf("GOARCH=%s: errors %q, want one", tc.goarch, got)
			continue
		}
		for _, w := range tc.errs {
			if !strings.Contains(got[0], w) {
				t.Errorf("GOARCH=%s: error %q lacks %q", tc.goarch, got[0], w)
			}
		}
	}
}
