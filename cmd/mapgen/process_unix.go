//go:build unix

package main

import (
	"errors"
	"syscall"
)

// processGone reports whether no process has the given id. A process of
// another user (EPERM) exists.
func processGone(pid int) bool {
	if pid <= 0 {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
