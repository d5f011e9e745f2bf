package btfread

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxInputSize bounds the input Open and OpenBytes accept: 256 MiB. The
// largest inputs mapgen is for are far smaller (vmlinux's BTF is about
// 6 MB, an eBPF object with DWARF rarely more than a few MB), so a larger
// file is a mistake (a disk image, a core dump) to refuse rather than read
// into memory. (layout.MaxSize, the largest type mapgen plans, is the
// same.)
const MaxInputSize = 1 << 28

// readInput reads the file at path whole, refusing anything that is not a
// regular file (a FIFO without a writer would block for ever, /dev/zero
// never ends) and files of more than MaxInputSize bytes.
//
// The file is checked before it is opened, since opening some special
// files has effects of its own, and again once open, since path may have
// been replaced in between. It is opened non-blocking: opening a FIFO for
// reading blocks until a writer appears.
func readInput(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	if err := checkInputFile(path, fi); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	if err := checkInputFile(path, fi); err != nil {
		return nil, err
	}
	// The size from Stat is a hint (files in /proc and /sys may say 0,
	// and a file may grow while it is read): the limit holds whatever it
	// says. Grow makes one allocation for a file that keeps its size.
	var buf bytes.Buffer
	buf.Grow(int(min(fi.Size(), MaxInputSize)) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxInputSize+1)); err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	if buf.Len() > MaxInputSize {
		return nil, tooLarge(path, int64(buf.Len()), "more than")
	}
	return buf.Bytes(), nil
}

// checkInputFile refuses what readInput must not read.
func checkInputFile(path string, fi fs.FileInfo) error {
	if kind := fileKind(fi.Mode()); kind != "" {
		return fmt.Errorf("%s: is %s, not a regular file holding an eBPF object or BTF blob", path, kind)
	}
	if fi.Size() > MaxInputSize {
		return tooLarge(path, fi.Size(), "")
	}
	return nil
}

func tooLarge(path string, size int64, qualifier string) error {
	if qualifier != "" {
		qualifier += " "
	}
	return fmt.Errorf("%s: file of %s%d bytes exceeds the limit of %d bytes (%d MiB)", path, qualifier, size, MaxInputSize, MaxInputSize>>20)
}

// fileKind describes a file that is not regular, or returns "".
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return ""
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "an irregular file"
}
