package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/mapgen/mapgen/btfread"
)

// The verify subcommand's exit statuses and output; internal/verify tests
// what it finds.

const (
	verifyObj      = "../../testdata/obj/verify_bpfel.o"
	verifyFixtures = "../../testdata/verify/"
)

func TestVerifyExitCodes(t *testing.T) {
	pad64 := []string{
		"../../testdata/verify/pad64/pad64.go:7: Pad64 (386,arm,mipsle,mips): size differs: Go offset 0 size 16, C offset 0 size 24",
		"../../testdata/verify/pad64/pad64.go:9: Pad64.B (386,arm,mipsle,mips): offset differs from C member b (__u64): Go offset 4 size 8, C offset 8 size 8",
		"../../testdata/verify/pad64/pad64.go:10: Pad64.C (386,arm,mipsle,mips): offset differs from C member c (__u32): Go offset 12 size 4, C offset 16 size 4",
	}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		// stderr must contain each of these (exit 2: on one line).
		stderr []string
		// stderrLine, if set, is the whole of stderr.
		stderrLine string
	}{
		{name: "correct types", args: []string{verifyObj, verifyFixtures + "good"}, code: 0},
		{name: "two packages, two GOARCHes", args: []string{"--goarch", "amd64,386", verifyObj, verifyFixtures + "good", verifyFixtures + "pad64"}, code: 1, stdout: []string{
			"../../testdata/verify/pad64/pad64.go:7: Pad64 (386): size differs: Go offset 0 size 16, C offset 0 size 24",
			"../../testdata/verify/pad64/pad64.go:9: Pad64.B (386): offset differs from C member b (__u64): Go offset 4 size 8, C offset 8 size 8",
			"../../testdata/verify/pad64/pad64.go:10: Pad64.C (386): offset differs from C member c (__u32): Go offset 12 size 4, C offset 16 size 4",
		}},
		{name: "u64 after u32, every GOARCH", args: []string{verifyObj, verifyFixtures + "pad64"}, code: 1, stdout: pad64},
		{name: "u64 after u32, 64-bit only", args: []string{"--goarch", "amd64,arm64,s390x", verifyObj, verifyFixtures + "pad64"}, code: 0},
		{name: "verbose", args: []string{"-v", "--goarch", "amd64", verifyObj, verifyFixtures + "good"}, code: 0, stderr: []string{
			"good.Kitchen is struct kitchen (by comment)", "good.Unrelated pairs with no C type", "good.SignsByFlag pairs with no C type", "10 pairs on 1 GOARCH (amd64), 0 mismatches"}},
		{name: "help", args: []string{"--help"}, code: 0, stdout: strings.Split(strings.TrimSuffix(verifyUsage(), "\n"), "\n")},
		{name: "empty GOARCH list", args: []string{"--goarch", "", verifyObj, verifyFixtures + "good"}, code: 2, stderr: []string{"--goarch: empty list"}},
		{name: "not ELF", args: []string{"verify_test.go", verifyFixtures + "good"}, code: 2, stderr: []string{"verify_test.go: not an eBPF ELF object"}},
		{name: "no BTF", args: []string{"../../testdata/obj/bad/nobtf.o", verifyFixtures + "good"}, code: 2, stderr: []string{"nobtf.o: no BTF"}},
		{name: "package does not type-check", args: []string{verifyObj, verifyFixtures + "broken"}, code: 2, stderr: []string{"verify/broken", "broken.go:7:4: undefined: Missing"}},
		{name: "no such package", args: []string{verifyObj, verifyFixtures + "nothere"}, code: 2, stderr: []string{"verify/nothere"}},
		{name: "unknown ctype in --pair", args: []string{"--pair", "Pad64=struct nope", verifyObj, verifyFixtures + "pad64"}, code: 2, stderr: []string{"verify_bpfel.o", "Pad64 (--pair)", `"struct nope": no such C type`}},
		{name: "unknown ctype in a comment", args: []string{verifyObj, verifyFixtures + "badctype"}, code: 2, stderr: []string{"verify_bpfel.o", "Flow (comment)", `"struct flow": no such C type`}},
		{name: "//mapgen:ctype on a generic type", args: []string{verifyObj, verifyFixtures + "generic"}, code: 2,
			stderrLine: "mapgen verify: ../../testdata/verify/generic/generic.go:8: bad input: Pad64 (//mapgen:ctype struct pad64): verify cannot compare Pad64: Pad64 is a generic type (its layout depends on its type arguments)"},
		{name: "--pair of a slice type", args: []string{"--pair", "Names=struct pad64", verifyObj, verifyFixtures + "notdata"}, code: 2,
			stderrLine: "mapgen verify: ../../testdata/verify/notdata/notdata.go:15: bad input: Names (--pair struct pad64): verify cannot compare Names: Names is of underlying type []string, not a struct, array, number or bool"},
		{name: "types verify cannot compare, not named", args: []string{verifyObj, verifyFixtures + "notdata"}, code: 0},
		{name: "--pair of no Go type", args: []string{"--pair", "Nope=struct pad64", verifyObj, verifyFixtures + "pad64"}, code: 2, stderr: []string{"--pair Nope", "no Go type Nope"}},
		{name: "nothing pairs", args: []string{"../../testdata/obj/values_bpfel.o", verifyFixtures + "signs"}, code: 2, stderr: []string{"no Go type of ../../testdata/verify/signs pairs with a C type of ../../testdata/obj/values_bpfel.o"}},
		{name: "unknown GOARCH", args: []string{"--goarch", "wasm", verifyObj, verifyFixtures + "good"}, code: 2, stderr: []string{`--goarch "wasm"`}},
		{name: "no package", args: []string{verifyObj}, code: 2, stderrLine: "mapgen verify: want OBJECT and at least one PACKAGE (see mapgen verify --help)"},
		{name: "verbose, one of each", args: []string{"-v", "--goarch", "amd64", verifyObj, verifyFixtures + "pad64"}, code: 0,
			stderr: []string{"mapgen verify: 1 pair on 1 GOARCH (amd64), 0 mismatches\n"}},
		{name: "verbose, one mismatch", args: []string{"-v", "--goarch", "amd64", verifyObj, verifyFixtures + "flex"}, code: 1,
			stdout: []string{"../../testdata/verify/flex/flex.go:9: Flex.Data (amd64): size differs: Go pads the struct after its final zero-size field: Go offset 0 size 12, C offset 0 size 8"},
			stderr: []string{"mapgen verify: 1 pair on 1 GOARCH (amd64), 1 mismatch\n"}},
		{name: "--pair without =", args: []string{"--pair", "Hdr", verifyObj, verifyFixtures + "pad64"}, code: 2,
			stderrLine: `mapgen verify: --pair "Hdr": want GOTYPE=CTYPE, e.g. FlowKey="struct flow_key" (see mapgen verify --help)`},
		{name: "--pair of one Go type twice", args: []string{"--pair", "Hdr=struct flow_key", "--pair", "Hdr=struct flow_counters", verifyObj, verifyFixtures + "pad64"}, code: 2,
			stderrLine: `mapgen verify: --pair: Go type Hdr given twice (see mapgen verify --help)`},
		{name: "bad format", args: []string{"--format", "xml", verifyObj, verifyFixtures + "good"}, code: 2, stderr: []string{`--format "xml"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := mapgen(t, append([]string{"verify"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			if got, want := strings.TrimSuffix(stdout, "\n"), strings.Join(tc.stdout, "\n"); got != want {
				t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
			}
			if code == 2 && strings.Count(stderr, "\n") != 1 {
				t.Errorf("bad input gives %d lines on stderr, want one:\n%s", strings.Count(stderr, "\n"), stderr)
			}
			if tc.stderrLine != "" && stderr != tc.stderrLine+"\n" {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, tc.stderrLine)
			}
			for _, w := range tc.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestVerifyHelp: the help names the command, every flag and the exit
// statuses.
func TestVerifyHelp(t *testing.T) {
	help := verifyUsage()
	for _, w := range []string{"mapgen verify [flags] OBJECT|BTF PACKAGE...", "--goarch", "--pair", "--prefix", "--format", "--verbose", "--help", "Exit status: 0", "//mapgen:ctype"} {
		if !strings.Contains(help, w) {
			t.Errorf("help lacks %q:\n%s", w, help)
		}
	}
}

// TestVerifyRawBTF verifies against a raw BTF blob (as /sys/kernel/btf/vmlinux
// is) holding the type.
func TestVerifyRawBTF(t *testing.T) {
	obj, err := btfread.Open(verifyObj)
	if err != nil {
		t.Fatal(err)
	}
	var pad64 *btf.Struct
	if err := obj.Spec.TypeByName("pad64", &pad64); err != nil {
		t.Fatal(err)
	}
	blob := rawBTF(t, pad64)
	code, stdout, stderr := mapgen(t, "verify", "--goarch", "386,amd64", blob, verifyFixtures+"pad64", verifyFixtures+"packed")
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	want := "../../testdata/verify/pad64/pad64.go:9: Pad64.B (386): offset differs from C member b (__u64): Go offset 4 size 8, C offset 8 size 8"
	if !strings.Contains(stdout, want+"\n") || strings.Count(stdout, "\n") != 3 {
		t.Errorf("stdout lacks %q or has more than Pad64's 3 lines (PackedPair pairs with nothing):\n%s", want, stdout)
	}
}

func TestVerifyJSON(t *testing.T) {
	code, stdout, stderr := mapgen(t, "verify", "--format", "json", "--goarch", "amd64,386,arm", verifyObj, verifyFixtures+"packed", verifyFixtures+"pad64")
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	var report struct {
		Mismatches []struct {
			File                      string
			Line                      int
			Type, Field, What         string
			GOARCH                    []string `json:"goarch"`
			GoOffset, GoSize, COffset int64
			CSize                     int64 `json:"c_size"`
		}
		Pairs []struct{ GoType, CType, How string } `json:"pairs"`
	}
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if len(report.Mismatches) != 5 || len(report.Pairs) != 2 {
		t.Fatalf("%d mismatches and %d pairs, want 5 and 2:\n%s", len(report.Mismatches), len(report.Pairs), stdout)
	}
	m := report.Mismatches[1] // packed.go comes first: PackedPair.B
	if m.Type != "PackedPair" || m.Field != "B" || strings.Join(m.GOARCH, ",") != "amd64" || m.CSize != 8 || !strings.HasSuffix(m.File, "packed/packed.go") || m.Line != 8 {
		t.Errorf("second mismatch %+v", m)
	}
}

// TestVerifyREADMEExample runs the example of README.md's "mapgen
// verify" section from the repository's root, as it is shown there
// ("$ go run ./cmd/mapgen verify ..."), and requires the lines it shows:
// verify's output and go run's "exit status N".
func TestVerifyREADMEExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const prompt = "    $ go run ./cmd/mapgen verify "
	_, block, ok := strings.Cut(string(readme), "\n"+prompt)
	if !ok {
		t.Fatalf("README.md has no line %q", prompt)
	}
	block, _, _ = strings.Cut(block, "\n\n")
	lines := strings.Split(block, "\n")
	args := strings.Fields(lines[0])
	var want []string
	for _, l := range lines[1:] {
		want = append(want, strings.TrimPrefix(l, "    "))
	}
	t.Chdir("../..")
	code, stdout, stderr := mapgen(t, append([]string{"verify"}, args...)...)
	got := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if code != 0 {
		got = append(got, fmt.Sprintf("exit status %d", code)) // go run's line
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("verify %s prints (stderr %q):\n%s\nREADME.md shows:\n%s", strings.Join(args, " "), stderr, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
