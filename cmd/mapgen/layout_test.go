package main

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"strings"
	"testing"
)

const vmlinux = "/sys/kernel/btf/vmlinux"

func TestLayoutExitCodes(t *testing.T) {
	dir := t.TempDir()
	notObject := writeFile(t, dir, "x.o", "not an object")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string // in the message
	}{
		{"one type", []string{"layout", layoutObj, "holes"}, 0, ""},
		{"kind and name", []string{"layout", layoutObj, "struct holes", "union num"}, 0, ""},
		{"unknown type", []string{"layout", layoutObj, "holes", "no_such_type"}, 2, `no struct or union named "no_such_type"`},
		{"wrong kind", []string{"layout", layoutObj, "union holes"}, 2, `no union named "holes"`},
		{"enum is not a struct", []string{"layout", layoutObj, "color"}, 2, `no struct or union named "color"`},
		{"bad format", []string{"layout", "--format", "png", layoutObj}, 2, `--format "png"`},
		{"bad row", []string{"layout", "--row", "12", layoutObj}, 2, "--row 12"},
		{"bad cacheline", []string{"layout", "--cacheline", "0", layoutObj}, 2, "--cacheline 0"},
		{"no input", []string{"layout"}, 2, "no OBJECT or BTF given"},
		{"all with types", []string{"layout", "--all", layoutObj, "holes"}, 2, "--all reports every type"},
		{"missing file", []string{"layout", dir + "/missing.o"}, 2, "missing.o"},
		{"not an object", []string{"layout", notObject}, 2, "x.o: not an eBPF ELF object or raw BTF blob"},
		{"help", []string{"layout", "--help"}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := mapgen(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.code, tc.stderr)
			}
			if code != 0 && stdout != "" {
				t.Errorf("a failing run printed a report:\n%s", stdout)
			}
			if code == 0 && stdout == "" {
				t.Error("no output")
			}
		})
	}
}

func TestLayoutFormats(t *testing.T) {
	for _, tc := range []struct {
		format string
		check  func(t *testing.T, out string)
	}{
		{"text", func(t *testing.T, out string) {
			for _, want := range []string{
				"struct holes {", "/* XXX 3 bytes hole */", "/* holes: 3, sum holes: 13 bytes */",
				"/* struct holes: suggested order: size 32 (was 48)", "\t__u64 d;\n\t__u64 f;\n",
				"union num {",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("text lacks %q:\n%s", want, out)
				}
			}
		}},
		{"json", func(t *testing.T, out string) {
			var doc struct {
				Version int
				Input   string
				Types   []struct {
					Kind, Name string
					Size       uint32
				}
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Version != 1 || doc.Input != "layout_bpfel.o" || len(doc.Types) != 2 ||
				doc.Types[0].Name != "holes" || doc.Types[0].Size != 48 || doc.Types[1].Kind != "union" {
				t.Errorf("unexpected JSON: %+v", doc)
			}
		}},
		{"svg", func(t *testing.T, out string) {
			dec := xml.NewDecoder(strings.NewReader(out))
			for {
				_, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("not XML: %v", err)
				}
			}
			if !strings.HasPrefix(out, "<svg") || !strings.Contains(out, "struct holes — 48 bytes") {
				t.Errorf("unexpected SVG: %.200s", out)
			}
		}},
		{"html", func(t *testing.T, out string) {
			for _, want := range []string{"<!DOCTYPE html>", `<a href="#struct-holes">struct holes</a>`, `<section id="union-num">`, "<svg"} {
				if !strings.Contains(out, want) {
					t.Errorf("HTML lacks %q", want)
				}
			}
		}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			code, stdout, stderr := mapgen(t, "layout", "--format", tc.format, layoutObj, "holes", "union num")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			tc.check(t, stdout)
		})
	}
}

// TestLayoutAllTypes: without TYPE, every named struct and union of an
// object, in BTF order.
func TestLayoutAllTypes(t *testing.T) {
	code, stdout, stderr := mapgen(t, "layout", counterEL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got []string
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "struct ") || strings.HasPrefix(line, "union ") {
			got = append(got, strings.Fields(line)[1])
		}
	}
	if want := "flow_key flow_counters xdp_md config flow_event"; strings.Join(got, " ") != want {
		t.Errorf("types %v, want %s", got, want)
	}
}

func TestLayoutCacheLine(t *testing.T) {
	code, stdout, _ := mapgen(t, "layout", "--cacheline", "16", layoutObj, "holes")
	if code != 0 || !strings.Contains(stdout, "/* --- cacheline 1 boundary (16 bytes) --- */") ||
		!strings.Contains(stdout, "/* size: 48, cachelines: 3, members: 7 */") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

func TestLayoutRawBTF(t *testing.T) {
	if _, err := os.Stat(vmlinux); err != nil {
		t.Skipf("no kernel BTF: %v", err)
	}
	code, _, stderr := mapgen(t, "layout", vmlinux)
	if code != 2 || !strings.Contains(stderr, "raw BTF: name the types to report, or give --all") {
		t.Errorf("without TYPE: exit %d, %s", code, stderr)
	}
	code, stdout, stderr := mapgen(t, "layout", vmlinux, "task_struct", "struct sk_buff", "union bpf_attr")
	if code != 0 || !strings.Contains(stdout, "struct task_struct {") || !strings.Contains(stdout, "union bpf_attr {") {
		t.Errorf("exit %d, %s", code, stderr)
	}
}

// BenchmarkLayoutVmlinux is `mapgen layout /sys/kernel/btf/vmlinux` for a
// handful of types: reading the BTF dominates.
func BenchmarkLayoutVmlinux(b *testing.B) {
	if _, err := os.Stat(vmlinux); err != nil {
		b.Skipf("no kernel BTF: %v", err)
	}
	cfg := &layoutConfig{input: vmlinux, types: []string{"task_struct", "sk_buff", "file", "inode", "bpf_attr"}, format: "text", cacheLine: 64, row: 16}
	for b.Loop() {
		if err := layoutReport(cfg, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLayoutNoStructs: an object without named structs or unions is an
// empty report (as its golden), with a note on stderr, and exit status 0.
func TestLayoutNoStructs(t *testing.T) {
	const obj = "../../testdata/obj/btfread_weak_bpfel.o"
	code, stdout, stderr := mapgen(t, "layout", obj)
	if code != 0 || stdout != "" || !strings.Contains(stderr, "btfread_weak_bpfel.o: no named struct or union") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 0, no report and a note naming the object", code, stdout, stderr)
	}
	code, stdout, _ = mapgen(t, "layout", "--format", "json", obj)
	var doc struct {
		Types []json.RawMessage `json:"types"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); code != 0 || err != nil || doc.Types == nil || len(doc.Types) != 0 {
		t.Fatalf("--format json: exit %d, %v, %q; want exit 0 and a document with no types", code, err, stdout)
	}
}

// TestHelpSubcommand: mapgen help layout and mapgen help verify print the
// subcommand's help, as its --help does.
func TestHelpSubcommand(t *testing.T) {
	for _, sub := range []string{"layout", "verify"} {
		code, stdout, stderr := mapgen(t, "help", sub)
		_, want, _ := mapgen(t, sub, "--help")
		if code != 0 || stderr != "" || stdout != want || !strings.Contains(stdout, "mapgen "+sub+" [flags]") {
			t.Errorf("help %s: exit %d, stderr %q, stdout %q; want exit 0 and %q", sub, code, stderr, stdout, want)
		}
	}
	if code, _, stderr := mapgen(t, "help", "nonsense"); code != 2 || !strings.Contains(stderr, "help takes no arguments") {
		t.Errorf("help nonsense: exit %d, stderr %q; want exit 2", code, stderr)
	}
}
