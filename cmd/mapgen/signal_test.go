package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalRemovesTemporaryFiles kills mapgen between writing its
// temporary files and renaming them: it must leave no temporary file and
// no changed output, and die of the signal.
func TestSignalRemovesTemporaryFiles(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			old := writeFile(t, dir, "counter_bpfel.go", sentinel)
			cmd, _ := startPaused(t, dir)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("exit: %v, want death by %v", err, sig)
			}
			ws := ee.Sys().(syscall.WaitStatus)
			if !(ws.Signaled() && ws.Signal() == sig) && ws.ExitStatus() != 128+int(sig) {
				t.Errorf("exit status %v, want death by %v or %d", ws, sig, 128+int(sig))
			}
			if left := tempFiles(t, dir); len(left) > 0 {
				t.Errorf("temporary files left: %q", left)
			}
			if got := readFile(old); got != sentinel {
				t.Errorf("output changed: %.100q", got)
			}
			if _, err := os.Stat(filepath.Join(dir, "counter_bpfeb.go")); err == nil {
				t.Errorf("second output written")
			}
		})
	}
}

// startPaused starts mapgen on the counter pair writing into dir, and
// returns when its temporary files are written.
func startPaused(t *testing.T, dir string) (*exec.Cmd, string) {
	t.Helper()
	marker := filepath.Join(t.TempDir(), "paused")
	cmd := command(t, "-p", "counter", "-o", filepath.Join(dir, "counter.go"), counterEL, counterEB)
	cmd.Env = append(cmd.Env, envPause+"="+marker)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("mapgen did not reach its renames: %s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(tempFiles(t, dir)); n != 2 {
		t.Fatalf("%d temporary files while paused, want 2", n)
	}
	return cmd, marker
}

// TestStaleTemporaryFiles kills mapgen with SIGKILL, which it cannot
// catch: the next run in that directory removes what it left, but not the
// files of a mapgen that is still running.
func TestStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	cmd, _ := startPaused(t, dir)
	cmd.Process.Kill()
	cmd.Wait()
	stale := tempFiles(t, dir)
	if len(stale) != 2 {
		t.Fatalf("after SIGKILL: %q, want two temporary files", stale)
	}

	// A temporary file of a live process (this one's parent stands in).
	live := filepath.Join(dir, ".mapgen-"+strconv.Itoa(os.Getppid())+"-0123ab.tmp")
	writeFile(t, dir, filepath.Base(live), "being written")
	// Not mapgen's pattern: never touched.
	other := writeFile(t, dir, ".mapgen-notes.tmp", "mine")

	code, _, stderr := mapgen(t, "-p", "counter", "-o", filepath.Join(dir, "counter.go"), counterEL, counterEB)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, p := range stale {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("stale %s not removed", p)
		}
	}
	for _, p := range []string{live, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
}
