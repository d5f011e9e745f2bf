package verify

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mapgen/mapgen/internal/gentest"
)

// addFixtures copies the packages of testdata/verify into mod/fixtures and
// returns their names.
func addFixtures(t *testing.T, root, mod string) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(root, "testdata", "verify", "*", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range dirs {
		name := filepath.Base(filepath.Dir(f))
		copyFile(t, f, filepath.Join(mod, "fixtures", name))
		if len(names) == 0 || names[len(names)-1] != name {
			names = append(names, name)
		}
	}
	return names
}

const (
	all    = "amd64,arm64,386,arm,riscv64,ppc64le,mips64le,loong64,mipsle,s390x,ppc64,mips,mips64"
	align4 = "386,arm,mipsle,mips"
	align8 = "amd64,arm64,riscv64,ppc64le,mips64le,loong64,s390x,ppc64,mips64"
)

// fixtureCases are the fixture packages and what verify must find in each
// against testdata/obj/verify_bpfel.o: every classic failure on exactly the
// GOARCHes where it occurs, and nothing on correct types.
var fixtureCases = []struct {
	pkg   string
	pairs map[string]string
	want  []string
	// paired is how many Go types pair.
	paired int
	// err is the start of the error for bad input.
	err string
}{
	{pkg: "good", pairs: map[string]string{"SignsByFlag": "struct signs"}, paired: 11},
	{pkg: "pad64", paired: 1, want: []string{
		"fixtures/pad64/pad64.go:7: Pad64 (" + align4 + "): size differs: Go offset 0 size 16, C offset 0 size 24",
		"fixtures/pad64/pad64.go:9: Pad64.B (" + align4 + "): offset differs from C member b (__u64): Go offset 4 size 8, C offset 8 size 8",
		"fixtures/pad64/pad64.go:10: Pad64.C (" + align4 + "): offset differs from C member c (__u32): Go offset 12 size 4, C offset 16 size 4",
	}},
	{pkg: "only386", paired: 1, want: []string{
		"fixtures/only386/only386.go:8: Pad64 (386): size differs: Go offset 0 size 16, C offset 0 size 24",
		"fixtures/only386/only386.go:10: Pad64.B (386): offset differs from C member b (__u64): Go offset 4 size 8, C offset 8 size 8",
		"fixtures/only386/only386.go:11: Pad64.C (386): offset differs from C member c (__u32): Go offset 12 size 4, C offset 16 size 4",
	}},
	{pkg: "packed", paired: 1, want: []string{
		"fixtures/packed/packed.go:6: PackedPair (" + align8 + "): size differs: Go offset 0 size 16, C offset 0 size 12",
		"fixtures/packed/packed.go:8: PackedPair.B (" + align8 + "): offset differs from C member b (__u64): Go offset 8 size 8, C offset 4 size 8",
	}},
	{pkg: "flex", paired: 1, want: []string{
		"fixtures/flex/flex.go:9: Flex.Data (" + all + "): size differs: Go pads the struct after its final zero-size field: Go offset 0 size 12, C offset 0 size 8",
	}},
	{pkg: "union", paired: 1, want: []string{
		"fixtures/union/union.go:9: Tagged.V.Small (" + all + "): holds only the member v.small (4 of 8 bytes) of C union v: Go offset 8 size 4, C offset 8 size 8",
	}},
	{pkg: "bitfield", paired: 1, want: []string{
		"fixtures/bitfield/bitfield.go:7: Bits._ (" + all + "): padding ([4]byte) over C bitfields lo, mid, hi: dropped: Go offset 0 size 4, C offset 0 size 4",
	}},
	{pkg: "signs", paired: 1, want: []string{
		"fixtures/signs/signs.go:6: Signs.S (" + all + "): uint32 (unsigned integer) holds C member s (__s32): signed integer: Go offset 0 size 4, C offset 0 size 4",
	}},
	{pkg: "broken", err: "GOARCH=amd64: package mapgen.test/generated/fixtures/broken: "},
	{pkg: "generic", err: "generic/generic.go:8: bad input: Pad64 (//mapgen:ctype struct pad64): verify cannot compare Pad64: Pad64 is a generic type"},
	{pkg: "notdata", paired: 1},
	{pkg: "notdata", pairs: map[string]string{"Names": "struct pad64"}, err: "notdata/notdata.go:15: bad input: Names (--pair struct pad64): verify cannot compare Names: Names is of underlying type []string, not a struct, array, number or bool"},
	{pkg: "notdata", pairs: map[string]string{"Pair": "struct pad64"}, err: "notdata/notdata.go:18: bad input: Pair (--pair struct pad64): verify cannot compare Pair: Pair is a generic type"},
	{pkg: "notdata", pairs: map[string]string{"Alias": "struct pad64"}, err: "notdata/notdata.go:21: bad input: Alias (--pair struct pad64): verify cannot compare Alias: Alias is an alias"},
	{pkg: "badctype", err: "bad input: Flow (comment): ctype \"struct flow\": no such C type"},
	{pkg: "good", pairs: map[string]string{"Pad64": "struct nope"}, err: "bad input: Pad64 (--pair): ctype \"struct nope\": no such C type"},
	{pkg: "good", pairs: map[string]string{"Missing": "struct pad64"}, err: "--pair Missing: bad input: no Go type Missing"},
}

func testFixtures(t *testing.T, root, mod string, loaded []*Loaded, names []string) {
	obj := openObject(t, filepath.Join(root, "testdata", "obj", "verify_bpfel.o"))
	tested := make(map[string]bool)
	for _, tc := range fixtureCases {
		tested[tc.pkg] = true
		t.Run(tc.pkg, func(t *testing.T) {
			r, err := Verify(obj, loaded, Options{Pairs: tc.pairs, Packages: []string{gentest.ModulePath + "/fixtures/" + tc.pkg}})
			if tc.err != "" {
				if err == nil || !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want ErrBadInput with %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			diffLines(t, "mismatches", lines(r, mod), tc.want)
			if len(r.Pairs) != tc.paired {
				t.Errorf("%d pairs, want %d: %v", len(r.Pairs), tc.paired, r.Pairs)
			}
		})
	}
	for _, n := range names {
		if !tested[n] {
			t.Errorf("fixture package testdata/verify/%s has no case", n)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "testdata", "verify", "good")); err != nil {
		t.Fatal(err)
	}
}
