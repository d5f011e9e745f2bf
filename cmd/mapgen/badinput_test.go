//go:build linux

package main

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mapgen/mapgen/internal/badbtf"
)

// badInput is one entry of the catalogue of bad input.
type badInput struct {
	name string
	// setup makes the input in dir, the directory of the output, and
	// returns the arguments after "-p x -o DIR/out.go" (an -o among them
	// wins).
	setup func(t *testing.T, dir string) []string
	// want is the whole of stderr, one line, with the output directory
	// written $DIR; with prefix set, only its start.
	want   string
	prefix bool
	// asNobody runs mapgen in a process of user nobody (uid 65534),
	// for the permission checks root is exempt from.
	asNobody bool
}

// TestBadInputCatalogue is the catalogue of bad input: each entry is run
// in a directory that holds an output file mapgen generated earlier
// (out.go, a sentinel), and must exit with status 2, print nothing on
// stdout and exactly the expected line on stderr, naming the file and the
// map, type or field at fault, within a minute (a FIFO must not hang it),
// and leave every file of the directory as it was: same names, bytes and
// modification times, no temporary files.
//
// Decisions documented here:
//   - Unreadable file: the tests run as root, and root reads a file of
//     mode 000 (CAP_DAC_OVERRIDE); mapgen run by root reads it like any
//     other. So there are two entries: a file of mode 000 read by mapgen
//     run as user nobody (a process of its own), and, as root, a regular
//     file the kernel refuses to read even to root:
//     /proc/sys/vm/compact_memory (mode 0200; procfs checks the mode bits
//     for root too).
//   - Duplicate names after Go naming: none is an error any more; names
//     that collide get suffixes (gen's TestDuplicateNames), so there is no
//     entry.
//   - Read-only output directory: a read-only bind mount of a
//     subdirectory (root ignores the mode bits of a directory too). The
//     entry is skipped where mounting is not allowed.
func TestBadInputCatalogue(t *testing.T) {
	good, err := os.ReadFile(counterEL)
	if err != nil {
		t.Fatal(err)
	}
	blobs := map[string][]byte{}
	bb, err := badbtf.Blobs()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bb {
		blobs[b.Name] = b.Data
	}
	// rawBlob writes a blob of package badbtf into dir and returns the
	// arguments to generate every type of it.
	rawBlob := func(name string) func(t *testing.T, dir string) []string {
		return func(t *testing.T, dir string) []string {
			data, ok := blobs[name]
			if !ok {
				t.Fatalf("badbtf has no blob %s", name)
			}
			return []string{"--all-types", writeFile(t, dir, name+".btf", string(data))}
		}
	}
	file := func(name, data string) func(t *testing.T, dir string) []string {
		return func(t *testing.T, dir string) []string { return []string{writeFile(t, dir, name, data)} }
	}
	testObj := func(args ...string) func(t *testing.T, dir string) []string {
		return func(t *testing.T, dir string) []string { return args }
	}

	catalogue := []badInput{
		{name: "empty file", setup: file("empty.o", ""),
			want: "mapgen: $DIR/empty.o: empty file, not an eBPF object or BTF blob"},
		{name: "directory", setup: func(t *testing.T, dir string) []string {
			os.Mkdir(filepath.Join(dir, "objdir.o"), 0o755)
			return []string{filepath.Join(dir, "objdir.o")}
		}, want: "mapgen: $DIR/objdir.o: is a directory, not a regular file holding an eBPF object or BTF blob"},
		{name: "FIFO", setup: func(t *testing.T, dir string) []string {
			fifo := filepath.Join(dir, "fifo.o")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Fatal(err)
			}
			return []string{fifo}
		}, want: "mapgen: $DIR/fifo.o: is a named pipe (FIFO), not a regular file holding an eBPF object or BTF blob"},
		{name: "unreadable file", setup: func(t *testing.T, dir string) []string {
			const p = "/proc/sys/vm/compact_memory"
			if _, err := os.ReadFile(p); !os.IsPermission(err) {
				t.Skipf("%s is readable here (%v): no file to test with", p, err)
			}
			return []string{p}
		}, want: "mapgen: /proc/sys/vm/compact_memory: open: permission denied"},
		{name: "missing file", setup: testObj("$DIR/no/such/object.o"),
			want: "mapgen: $DIR/no/such/object.o: stat: no such file or directory"},
		{name: "character device", setup: testObj("/dev/zero"),
			want: "mapgen: /dev/zero: is a character device, not a regular file holding an eBPF object or BTF blob"},
		{name: "file of 4 GiB", setup: func(t *testing.T, dir string) []string {
			huge := writeFile(t, dir, "huge.o", "")
			if err := os.Truncate(huge, 1<<32); err != nil { // sparse
				t.Fatal(err)
			}
			return []string{huge}
		}, want: "mapgen: $DIR/huge.o: file of 4294967296 bytes exceeds the limit of 268435456 bytes (256 MiB)"},
		{name: "file of mode 000, as a user", asNobody: true, setup: func(t *testing.T, dir string) []string {
			obj := copyObject(t, counterEL, dir)
			if err := os.Chmod(obj, 0); err != nil {
				t.Fatal(err)
			}
			return []string{obj}
		}, want: "mapgen: $DIR/counter_bpfel.o: open: permission denied"},
		{name: "not ELF", setup: file("text.o", "hello, not an object\n"),
			want: "mapgen: $DIR/text.o: not an eBPF ELF object or raw BTF blob (magic 68 65 6c 6c)"},
		{name: "x86-64 object", setup: testObj("../../testdata/obj/bad/x86_64.o"),
			want: "mapgen: ../../testdata/obj/bad/x86_64.o: ELF object for machine EM_X86_64 (e_machine 62), not an eBPF object (EM_BPF)"},
		{name: "x86-64 executable", setup: func(t *testing.T, dir string) []string {
			return []string{copyObject(t, "/bin/true", dir)}
		}, want: "mapgen: $DIR/true: ELF object for machine EM_X86_64 (e_machine 62), not an eBPF object (EM_BPF)"},
		{name: "32-bit i386 object", setup: testObj("../../testdata/obj/bad/i386.o"),
			want: "mapgen: ../../testdata/obj/bad/i386.o: ELF object for machine EM_386 (e_machine 3), not an eBPF object (EM_BPF)"},
		{name: "32-bit ELF claiming EM_BPF", setup: func(t *testing.T, dir string) []string {
			data, err := os.ReadFile("../../testdata/obj/bad/i386.o")
			if err != nil {
				t.Fatal(err)
			}
			binary.LittleEndian.PutUint16(data[18:], 247) // e_machine = EM_BPF
			return []string{writeFile(t, dir, "bpf32.o", string(data))}
		}, want: "mapgen: $DIR/bpf32.o: ELF class ELFCLASS32; eBPF objects are 64-bit ELF (ELFCLASS64)"},
		{name: "ELF without BTF", setup: testObj("../../testdata/obj/bad/nobtf.o"),
			want: "mapgen: ../../testdata/obj/bad/nobtf.o: no BTF (no .BTF section; compile with clang -g)"},
		{name: "BTF type section beyond its end", setup: func(t *testing.T, dir string) []string {
			corrupt := bytes.Clone(good)
			i := bytes.Index(corrupt, []byte{0x9f, 0xeb, 1, 0})
			if i < 0 {
				t.Fatal("no BTF header in the counter object")
			}
			copy(corrupt[i+12:], []byte{0xff, 0xff, 0xff, 0x7f}) // type_len
			return []string{writeFile(t, dir, "corrupt.o", string(corrupt))}
		}, want: "mapgen: $DIR/corrupt.o: .BTF section: types section is out of bounds"},
		{name: "BTF with a type loop", setup: rawBlob("typedef-loop"),
			want: `mapgen: $DIR/typedef-loop.btf: raw BTF: typedef "a" refers to itself through typedef "b"`},
		{name: "BTF struct that contains itself", setup: rawBlob("struct-contains-itself"),
			want: `mapgen: $DIR/struct-contains-itself.btf: raw BTF: struct "s" contains itself through array (type ID 4)`},
		{name: "BTF pointer to itself", setup: rawBlob("pointer-to-itself"),
			want: `mapgen: $DIR/pointer-to-itself.btf: raw BTF: pointer (type ID 2) refers to itself`},
		{name: "struct of 4 GiB", setup: rawBlob("struct-size-4GiB"),
			want: `mapgen: $DIR/struct-size-4GiB.btf: type struct huge: struct huge: 4294967295 bytes exceed the limit of 268435456 bytes: unsupported type`},
		{name: "array of 2^40 elements", setup: rawBlob("array-2e40-elements"),
			want: `mapgen: $DIR/array-2e40-elements.btf: type struct tera: struct tera: member "m": char[1048576][1048576]: 1099511627776 bytes exceed the limit of 268435456 bytes: unsupported type`},
		{name: "array of 2^64 bytes", setup: rawBlob("array-4G-of-4G"),
			want: `mapgen: $DIR/array-4G-of-4G.btf: type struct s: struct s: member "a": unsigned long long[4294967295]: 34359738360 bytes exceed the limit of 268435456 bytes: unsupported type`},
		{name: "member beyond its struct", setup: rawBlob("member-offset-beyond-struct"),
			want: `mapgen: $DIR/member-offset-beyond-struct.btf: type struct s: struct s: member "x": bit offset 4294967280 outside of 4-byte type`},
		{name: "bitfield wider than its type", setup: rawBlob("bitfield-wider-than-type"),
			want: `mapgen: $DIR/bitfield-wider-than-type.btf: type struct bits: struct bits: member "b": 200-bit bitfield of a 4-byte type`},
		{name: "struct size wraps in clang's BTF", setup: testObj("../../testdata/obj/btfread_bad_bigstruct_bpfel.o"),
			want: `mapgen: ../../testdata/obj/btfread_bad_bigstruct_bpfel.o: map "big_map": value: struct big: member "a": int[1073741825]: 4294967300 bytes exceed the limit of 268435456 bytes: unsupported type`},
		{name: "map value of 4 GiB", setup: testObj("../../testdata/obj/btfread_bad_bigvalue_bpfel.o"),
			want: `mapgen: ../../testdata/obj/btfread_bad_bigvalue_bpfel.o: map "big_map": value type int[1073741825] is 4294967300 bytes, more than 32 bits`},
		{name: "typedefs 5000 deep", setup: rawBlob("typedef-chain-5000"),
			want: `mapgen: $DIR/typedef-chain-5000.btf: type struct chain: struct chain: member "m": typedef "t4999": more than 32 typedefs and qualifiers in a row`},
		{name: "structs nested 5000 deep", setup: rawBlob("structs-nested-5000"),
			want: `mapgen: $DIR/structs-nested-5000.btf: type struct s4999: struct s4999: member "m": struct s3975 is nested more than 1024 levels deep`},
		{name: "arrays nested 5000 deep", setup: rawBlob("arrays-nested-5000"),
			want: `mapgen: $DIR/arrays-nested-5000.btf: type struct deep: struct deep: member "m": ...` + strings.Repeat("[1]", 34) + ` is nested more than 1024 levels deep`},
		{name: "integer of 3 bytes", setup: rawBlob("int-of-3-bytes"),
			want: `mapgen: $DIR/int-of-3-bytes.btf: type struct weird: struct weird: member "odd": int "int24": unsupported type: integer of 3 bytes`},
		{name: "enum of 0 bytes", setup: rawBlob("enum-of-size-0"),
			want: `mapgen: $DIR/enum-of-size-0.btf: type enum e: enum e: 0-byte enum: unsupported type`},
		{name: "member of a type only declared", setup: rawBlob("unsupported-kinds"),
			want: `mapgen: $DIR/unsupported-kinds.btf: type struct has_fwd: struct has_fwd: member "o": struct "opaque" is only declared, not defined: unsupported type`},
		{name: "bad .values slot", setup: testObj("../../testdata/obj/btfread_bad_symbol_bpfel.o"),
			want: `mapgen: ../../testdata/obj/btfread_bad_symbol_bpfel.o: map "outer": values slot 1: "not_a_map" (neither a map nor a program) is not a map`},
		{name: "unknown --type", setup: testObj("--type", "no_such_type", counterEL),
			want: `mapgen: ../../examples/counter/counter_bpfel.o: --type no_such_type: type "no_such_type": not in the BTF; clang writes BTF only for types that a map, a global variable or a function signature uses (a type only local variables use has none): declare a global that uses it, such as ` + "`struct no_such_type *unused_no_such_type __attribute__((unused));`" + ` (without "struct" for a typedef)`},
		{name: "--event of a map that is not there", setup: testObj("--event", "nomap=flow_event", counterEL),
			want: `mapgen: ../../examples/counter/counter_bpfel.o: --event nomap=flow_event: no map of that name; the object has flows, events, verdicts`},
		{name: "--event without a type", setup: testObj("--event", "events=", counterEL),
			want: `mapgen: --event "events=": want MAP=TYPE, e.g. events=flow_event (see mapgen --help)`},
		{name: "unknown flag", setup: testObj("--frobnicate", counterEL),
			want: `mapgen: unknown flag: --frobnicate (see mapgen --help)`},
		{name: "no object", setup: testObj(),
			want: `mapgen: no OBJECT given (see mapgen --help)`},
		{name: "package name not an identifier", setup: testObj("-p", "not-a-name", counterEL),
			want: `mapgen: package name "not-a-name" is not a Go identifier`},
		{name: "two objects, one output", setup: testObj(counterEL, counterEL),
			want: `mapgen: ../../examples/counter/counter_bpfel.o and ../../examples/counter/counter_bpfel.o would both be written to $DIR/out_bpfel.go`},
		{name: "output in a missing directory", setup: testObj("-o", "$DIR/nodir/x.go", counterEL),
			want: `mapgen: $DIR/nodir/x.go: the directory $DIR/nodir does not exist`},
		{name: "output is a directory", setup: func(t *testing.T, dir string) []string {
			os.Mkdir(filepath.Join(dir, "sub.go"), 0o755)
			return []string{"-o", filepath.Join(dir, "sub.go"), counterEL}
		}, want: `mapgen: $DIR/sub.go is a directory: mapgen writes only regular files (or standard output with -o -)`},
		{name: "output is the input", setup: func(t *testing.T, dir string) []string {
			obj := copyObject(t, counterEL, dir)
			return []string{"-o", obj, obj}
		}, want: `mapgen: $DIR/counter_bpfel.o would be written over the input $DIR/counter_bpfel.o: mapgen never writes over an input (give -o another file)`},
		{name: "read-only output directory", setup: func(t *testing.T, dir string) []string {
			ro := filepath.Join(dir, "ro")
			os.Mkdir(ro, 0o755)
			writeFile(t, ro, "out.go", sentinel)
			readOnlyMount(t, ro)
			return []string{"-o", filepath.Join(ro, "out.go"), counterEL}
		}, want: `mapgen: writing $DIR/ro/out.go: creating a temporary file in $DIR/ro: read-only file system`},
	}
	// Truncated anywhere: a real object cut at each of its first 64 bytes
	// (the ELF header), at every 8th byte, and at each section's start
	// and end and one byte either side fails, naming the file.
	cuts := map[int]bool{}
	for n := 1; n < len(good); n++ {
		if n <= 64 || n%8 == 0 {
			cuts[n] = true
		}
	}
	ef, err := elf.NewFile(bytes.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range ef.Sections {
		for _, at := range []int{int(sec.Offset), int(sec.Offset + sec.Size)} {
			for _, n := range []int{at - 1, at, at + 1} {
				if n > 0 && n < len(good) {
					cuts[n] = true
				}
			}
		}
	}
	for n := 1; n < len(good); n++ {
		if !cuts[n] {
			continue
		}
		catalogue = append(catalogue, badInput{
			name:   fmt.Sprintf("truncated to %d bytes", n),
			setup:  file("trunc.o", string(good[:n])),
			want:   "mapgen: $DIR/trunc.o: ",
			prefix: true,
		})
	}

	for _, c := range catalogue {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, outputName, sentinel)
			old := time.Now().Add(-time.Hour).Truncate(time.Second)
			os.Chtimes(filepath.Join(dir, outputName), old, old)
			args := c.setup(t, dir)
			for i := range args {
				args[i] = strings.ReplaceAll(args[i], "$DIR", dir)
			}
			before := snapshotTree(t, dir)
			args = append([]string{"-p", "x", "-o", filepath.Join(dir, outputName)}, args...)

			var code int
			var stdout, stderr bytes.Buffer
			done := make(chan struct{})
			go func() {
				defer close(done)
				if c.asNobody {
					code = runAsNobody(t, dir, args, &stdout, &stderr)
					return
				}
				code = run(args, &stdout, &stderr)
			}()
			select {
			case <-done:
			case <-time.After(time.Minute):
				t.Fatal("mapgen still running after a minute")
			}

			if code != exitBad {
				t.Errorf("exit status %d, want 2", code)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout: %.200q", stdout.String())
			}
			want := strings.ReplaceAll(c.want, "$DIR", dir)
			got := stderr.String()
			if c.prefix {
				if !strings.HasPrefix(got, want) || strings.Count(got, "\n") != 1 {
					t.Errorf("stderr:\n%s\nwant one line starting with:\n%s", got, want)
				}
			} else if got != want+"\n" {
				t.Errorf("stderr:\n%s\nwant:\n%s", got, want)
			}
			if after := snapshotTree(t, dir); after != before {
				t.Errorf("directory changed:\n%s\nwas:\n%s", after, before)
			}
		})
	}
}

// runAsNobody runs mapgen (this test binary, copied where user nobody
// can run it) as user nobody with args, and returns its exit status. dir,
// the output directory, is made searchable for nobody first (t.TempDir
// makes directories only their owner may enter).
func runAsNobody(t *testing.T, dir string, args []string, stdout, stderr *bytes.Buffer) int {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a process as user nobody")
	}
	for d := dir; d != os.TempDir() && d != "/" && d != "."; d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	exe := filepath.Join(dir, "..", "mapgen.test")
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, self, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), envAsMapgen+"=1")
	cmd.Dir = "/"
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return 0
}

// snapshotTree describes every file under dir: path, type, size,
// modification time and content.
func snapshotTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v %d %v", p, fi.Mode(), fi.Size(), fi.ModTime().UnixNano())
		if fi.Mode().IsRegular() && fi.Size() < 1<<20 { // not the sparse 4 GiB file
			b.WriteString(" " + readFile(p))
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// readOnlyMount makes dir a read-only bind mount of itself until the test
// ends, or skips the test where mounting is not allowed.
func readOnlyMount(t *testing.T, dir string) {
	t.Helper()
	if err := syscall.Mount(dir, dir, "", syscall.MS_BIND, ""); err != nil {
		t.Skipf("bind mount: %v (needs root and mount rights)", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	if err := syscall.Mount(dir, dir, "", syscall.MS_BIND|syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("read-only remount: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "probe"), nil, 0o644); err == nil {
		t.Fatal("the read-only mount is writable")
	}
}
