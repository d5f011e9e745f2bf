//go:build unix

package btfread

import "syscall"

// openNonblock makes opening a FIFO for reading return at once instead of
// waiting for a writer; readInput then refuses it. Reads of regular files
// ignore the flag.
const openNonblock = syscall.O_NONBLOCK
