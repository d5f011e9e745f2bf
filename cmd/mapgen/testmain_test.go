package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Environment of the test binary re-executed as mapgen (see command).
const (
	envAsMapgen = "MAPGEN_TEST_AS_MAPGEN"
	// envPause names a file that the re-executed mapgen creates when all
	// its temporary files are written, before it renames them; it then
	// waits to be killed.
	envPause = "MAPGEN_TEST_PAUSE"
)

func TestMain(m *testing.M) {
	if os.Getenv(envAsMapgen) != "" {
		if marker := os.Getenv(envPause); marker != "" {
			tempsWritten = func() {
				os.WriteFile(marker, nil, 0o644)
				time.Sleep(time.Minute)
			}
		}
		main()
	}
	os.Exit(m.Run())
}

// command returns the test binary run as mapgen in a process of its own,
// for what needs one: exit statuses and signals.
func command(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), envAsMapgen+"=1")
	return cmd
}

// tempFiles lists mapgen's temporary files in dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, ".mapgen-*.tmp"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// writeFile writes data to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readFile returns the content of path, "" if it cannot be read.
func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// copyObject copies an object into dir, so that outputs may go next to it.
func copyObject(t *testing.T, src, dir string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, filepath.Base(src), string(data))
}
