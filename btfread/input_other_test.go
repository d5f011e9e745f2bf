//go:build !unix

package btfread

import "testing"

func specialFiles(t *testing.T, dir string) []struct{ name, path, want string } {
	return []struct{ name, path, want string }{
		{"directory", dir, "is a directory, not a regular file"},
	}
}
