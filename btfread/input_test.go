package btfread

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// openWithin runs Open and fails the test if it does not return in time:
// an input that blocks must fail the test, not hang it.
func openWithin(t *testing.T, path string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := Open(path)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("Open(%s) still running after 10s", path)
		return nil
	}
}

// TestSpecialAndHugeFiles: Open reads regular files only, and at most
// MaxInputSize bytes of them, refusing anything else without reading it.
func TestSpecialAndHugeFiles(t *testing.T) {
	dir := t.TempDir()
	sparse := func(name string, size int64) string {
		// No disk space, but Stat says size bytes.
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		return path
	}

	cases := []struct{ name, path, want string }{
		// Refused before reading: reading it would take 4 GiB.
		{"4 GiB file", sparse("4g.o", 1<<32), "file of 4294967296 bytes exceeds the limit of 268435456 bytes (256 MiB)"},
		{"one byte beyond the limit", sparse("huge.o", MaxInputSize+1), "file of 268435457 bytes exceeds the limit"},
	}
	cases = append(cases, specialFiles(t, dir)...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkErr(t, c.path, openWithin(t, c.path), c.path+": "+c.want)
		})
	}

	t.Run("OpenBytes", func(t *testing.T) {
		_, err := OpenBytes("big.o", make([]byte, MaxInputSize+1))
		checkErr(t, "big.o", err, "big.o: file of 268435457 bytes exceeds the limit")
	})
}
