//go:build unix

package main

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Concurrent runs of mapgen in one package directory: 8 runs writing 8
// files, 8 runs writing the same pair of files, and runs killed with
// SIGKILL at random points. Each run i passes --prefix Pi, so that its
// output differs from every other run's and the file on disk tells which
// run wrote it.
//
// The design under test (write.go, temps.go, dirlock_unix.go): each run
// writes its outputs to temporary files .mapgen-PID-RANDOM.tmp in the
// output's directory, flushes them, and renames them over the outputs
// while holding a flock on the directory. A rename is atomic, so a reader
// sees the old file or the new one, whole; the lock makes the renames of
// one run (both files of a pair) happen together. SIGKILL leaves the
// temporary files of the killed run: they carry its PID, and the next run
// in the directory removes those whose process is gone (a running run's
// are left alone).

const concurrentRuns = 8

// concurrentExpected returns the output of run i, generated alone into
// dir, which must be empty, and removed again: the counter pair into
// c_bpfel.go and c_bpfeb.go (pair set), else counter_bpfel.o into name.
// (The header of a generated file records the command line, -o included,
// so the output path must be the one the concurrent runs use.)
func concurrentExpected(t *testing.T, i int, dir, name string, pair bool) map[string]string {
	t.Helper()
	args := concurrentArgs(i, filepath.Join(dir, name), pair)
	if code, _, stderr := mapgen(t, args...); code != 0 {
		t.Fatalf("run %d alone: exit %d: %s", i, code, stderr)
	}
	out := map[string]string{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		out[e.Name()] = readFile(p)
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// emptyDir removes every file in dir.
func emptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
}

func concurrentArgs(i int, output string, pair bool) []string {
	args := []string{"-p", "x", "--prefix", fmt.Sprintf("P%d", i), "-o", output, counterEL}
	if pair {
		args = append(args, counterEB)
	}
	return args
}

// whichRun returns the run whose output content is, -1 if none.
func whichRun(expected []map[string]string, name, content string) int {
	for i, e := range expected {
		if e[name] == content {
			return i
		}
	}
	return -1
}

// startRuns starts one mapgen process per argument list.
func startRuns(t *testing.T, argLists [][]string) []*exec.Cmd {
	t.Helper()
	cmds := make([]*exec.Cmd, len(argLists))
	for i, args := range argLists {
		cmds[i] = command(t, args...)
		cmds[i].Stderr = new(strings.Builder)
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmds[i].Process.Kill(); cmds[i].Wait() })
	}
	return cmds
}

// TestConcurrentDifferentFiles: 8 runs at once, each writing its own file
// into one package directory: every file is its run's whole output, and no
// temporary file is left.
func TestConcurrentDifferentFiles(t *testing.T) {
	dir := t.TempDir()
	var argLists [][]string
	var expected []string
	for i := range concurrentRuns {
		name := fmt.Sprintf("out%d.go", i)
		expected = append(expected, concurrentExpected(t, i, dir, name, false)[name])
		argLists = append(argLists, concurrentArgs(i, filepath.Join(dir, name), false))
	}
	for i, cmd := range startRuns(t, argLists) {
		if err := cmd.Wait(); err != nil {
			t.Errorf("run %d: %v: %s", i, err, cmd.Stderr)
		}
	}
	for i := range concurrentRuns {
		if got := readFile(filepath.Join(dir, fmt.Sprintf("out%d.go", i))); got != expected[i] {
			t.Errorf("out%d.go is not run %d's output (%d bytes, want %d)", i, i, len(got), len(expected[i]))
		}
	}
	if left := tempFiles(t, dir); len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

// TestConcurrentSameFiles: 8 runs at once, each writing the same pair of
// files: in the end both files are the whole output of one run, the same
// run for both, and no temporary file is left. Repeated, since which run
// wins changes.
func TestConcurrentSameFiles(t *testing.T) {
	dir := t.TempDir()
	var expected []map[string]string
	for i := range concurrentRuns {
		expected = append(expected, concurrentExpected(t, i, dir, "c.go", true))
	}
	rounds := 5
	if testing.Short() {
		rounds = 1
	}
	for round := range rounds {
		emptyDir(t, dir)
		var argLists [][]string
		for i := range concurrentRuns {
			argLists = append(argLists, concurrentArgs(i, filepath.Join(dir, "c.go"), true))
		}
		for i, cmd := range startRuns(t, argLists) {
			if err := cmd.Wait(); err != nil {
				t.Errorf("round %d, run %d: %v: %s", round, i, err, cmd.Stderr)
			}
		}
		el := whichRun(expected, "c_bpfel.go", readFile(filepath.Join(dir, "c_bpfel.go")))
		eb := whichRun(expected, "c_bpfeb.go", readFile(filepath.Join(dir, "c_bpfeb.go")))
		if el < 0 || eb < 0 || el != eb {
			t.Errorf("round %d: c_bpfel.go is run %d's output, c_bpfeb.go run %d's (-1: no run's); want both of one run", round, el, eb)
		}
		if left := tempFiles(t, dir); len(left) > 0 {
			t.Errorf("round %d: temporary files left: %q", round, left)
		}
	}
}

// TestConcurrentSIGKILL starts 8 runs at once on the same pair of files,
// over an older output of that pair, and kills them with SIGKILL: four at
// random moments in their first 150 ms, four once they have written their
// temporary files and before any rename (paused there: the worst moment
// for a run to die). Then every output file is the old
// content or the whole output of one run, never anything else; the only
// other files are the killed runs' temporary files; and the next run
// removes them all.
func TestConcurrentSIGKILL(t *testing.T) {
	dir := t.TempDir()
	var expected []map[string]string
	for i := range concurrentRuns {
		expected = append(expected, concurrentExpected(t, i, dir, "c.go", true))
	}
	old := concurrentExpected(t, 99, dir, "c.go", true)
	rounds := 10
	if testing.Short() {
		rounds = 2
	}
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewSource(seed))
	for round := range rounds {
		emptyDir(t, dir)
		for name, content := range old {
			writeFile(t, dir, name, content)
		}
		var cmds, random []*exec.Cmd
		var markers []string
		for i := range concurrentRuns {
			cmd := command(t, concurrentArgs(i, filepath.Join(dir, "c.go"), true)...)
			if i%2 == 0 {
				// Paused for a minute once its temporary files are
				// written (testmain_test.go), then killed.
				marker := filepath.Join(t.TempDir(), "paused")
				cmd.Env = append(cmd.Env, envPause+"="+marker)
				markers = append(markers, marker)
			} else {
				random = append(random, cmd)
			}
			cmd.Stderr = new(strings.Builder)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds = append(cmds, cmd)
		}
		// Kill the others each at a random moment within the first
		// 150 ms (a run of the counter pair takes about 50 ms alone).
		for _, i := range r.Perm(len(random)) {
			time.Sleep(time.Duration(r.Intn(150/len(random)+1)) * time.Millisecond)
			random[i].Process.Signal(syscall.SIGKILL)
		}
		deadline := time.Now().Add(time.Minute)
		for _, m := range markers {
			for {
				if _, err := os.Stat(m); err == nil || time.Now().After(deadline) {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
		}
		for _, cmd := range cmds {
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
		}
		// What is on disk now: old or whole outputs, and temporary files.
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var temps []string
		for _, e := range entries {
			name := e.Name()
			content := readFile(filepath.Join(dir, name))
			switch {
			case tempName.MatchString(name):
				temps = append(temps, name)
			case old[name] == "":
				t.Errorf("round %d: unexpected file %s", round, name)
			case content != old[name] && whichRun(expected, name, content) < 0:
				t.Errorf("round %d: %s is neither the old file nor a run's whole output: %d bytes", round, name, len(content))
			}
		}
		if len(old) != len(entries)-len(temps) {
			t.Errorf("round %d: %d output files, want %d", round, len(entries)-len(temps), len(old))
		}
		if len(temps) == 0 {
			t.Errorf("round %d: no temporary files after killing runs paused with theirs written", round)
		}
		// The next run removes the killed runs' temporary files.
		args := concurrentArgs(0, filepath.Join(dir, "c.go"), true)
		if code, _, stderr := mapgen(t, args...); code != 0 {
			t.Fatalf("round %d: run after the kills: exit %d: %s", round, code, stderr)
		}
		if left := tempFiles(t, dir); len(left) > 0 {
			sort.Strings(left)
			t.Errorf("round %d: temporary files left after the next run: %q", round, left)
		}
		for name, want := range expected[0] {
			if got := readFile(filepath.Join(dir, name)); !bytes.Equal([]byte(got), []byte(want)) {
				t.Errorf("round %d: %s is not the next run's output", round, name)
			}
		}
	}
}
