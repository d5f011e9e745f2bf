package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// failRename makes the n-th rename into an output (1-based) fail while the
// test runs.
func failRename(t *testing.T, n int) {
	t.Helper()
	calls := 0
	rename = func(from, to string) error {
		if strings.HasSuffix(to, ".go") {
			calls++
			if calls == n {
				return errors.New("injected failure")
			}
		}
		return os.Rename(from, to)
	}
	t.Cleanup(func() { rename = os.Rename })
}

// TestPairAllOrNothing makes the second rename of a bpfel/bpfeb pair fail:
// the first output must be back as it was, and no temporary file left;
// also where the file system has no hard links for the backup.
func TestPairAllOrNothing(t *testing.T) {
	for _, tc := range []struct {
		name            string
		existing, links bool
	}{{"outputs exist", true, true}, {"outputs exist, no hard links", true, false}, {"new outputs", false, true}} {
		existing := tc.existing
		t.Run(tc.name, func(t *testing.T) {
			if !tc.links {
				link = func(string, string) error { return errors.New("no hard links here") }
				t.Cleanup(func() { link = os.Link })
			}
			dir := t.TempDir()
			el, eb := filepath.Join(dir, "c_bpfel.go"), filepath.Join(dir, "c_bpfeb.go")
			if existing {
				writeFile(t, dir, "c_bpfel.go", sentinel+"// el\n")
				writeFile(t, dir, "c_bpfeb.go", sentinel+"// eb\n")
			}
			before := snapshot(t, dir)
			failRename(t, 2)
			code, _, stderr := mapgen(t, "-p", "c", "-o", filepath.Join(dir, "c.go"), counterEL, counterEB)
			if code != exitBad {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(stderr, "injected failure") || !strings.Contains(stderr, "c_bpfel.go") {
				t.Errorf("stderr %q does not say what failed and what was restored", stderr)
			}
			if after := snapshot(t, dir); after != before {
				t.Errorf("outputs changed:\n%s\nwas:\n%s", after, before)
			}
			if existing && readFile(el) != sentinel+"// el\n" {
				t.Errorf("first output not restored: %.80q", readFile(el))
			}
			if !existing {
				for _, p := range []string{el, eb} {
					if _, err := os.Stat(p); err == nil {
						t.Errorf("%s left behind", p)
					}
				}
			}
		})
	}
}

// TestDiskFullLeavesOutputs fills the disk while the second temporary
// file of a pair is written (a 16 KiB tmpfs: the first fits, the second
// does not): neither output may be replaced.
func TestDiskFullLeavesOutputs(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	writeFile(t, dir, "c_bpfel.go", sentinel+"// el\n")
	writeFile(t, dir, "c_bpfeb.go", sentinel+"// eb\n")
	before := snapshot(t, dir)
	code, _, stderr := mapgen(t, "-p", "c", "-o", filepath.Join(dir, "c.go"), counterEL, counterEB)
	if code != exitBad || !strings.Contains(stderr, "no space left") {
		t.Fatalf("exit %d, want 2 for a full disk: %s", code, stderr)
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("outputs changed:\n%s\nwas:\n%s", after, before)
	}
}

// TestUnchangedOutputKeepsTime regenerates an up-to-date file: it is not
// rewritten, so make and go build see no change.
func TestUnchangedOutputKeepsTime(t *testing.T) {
	out := filepath.Join(t.TempDir(), "c.go")
	if code, _, stderr := mapgen(t, "-p", "c", "-o", out, counterEL); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	os.Chtimes(out, old, old)
	if code, _, stderr := mapgen(t, "-p", "c", "-o", out, counterEL); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if fi, _ := os.Stat(out); !fi.ModTime().Equal(old) {
		t.Errorf("modification time changed to %v", fi.ModTime())
	}
}
