//go:build unix

package btfread

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// specialFiles makes the files that are not regular which Open must
// refuse: a FIFO without a writer (reading it blocks for ever), a
// character device that never ends, and a symbolic link to one.
func specialFiles(t *testing.T, dir string) []struct{ name, path, want string } {
	fifo := filepath.Join(dir, "fifo.o")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "zero.o")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	return []struct{ name, path, want string }{
		{"FIFO without writer", fifo, "is a named pipe (FIFO), not a regular file"},
		{"/dev/zero", "/dev/zero", "is a character device, not a regular file"},
		{"symlink to /dev/zero", link, "is a character device, not a regular file"},
		{"directory", dir, "is a directory, not a regular file"},
	}
}
