//go:build unix

package main

import (
	"os"
	"sort"
	"syscall"
)

// lockDirs takes an exclusive flock(2) on each directory in dirs, in
// sorted order so that two runs cannot each hold one and wait for the
// other, and returns the function that releases them. Runs that write into
// one directory then rename their outputs one run after the other: with a
// pair of outputs, both files of the pair come from the same run, never
// one from each. The lock is on the directory itself, so it leaves no file
// behind, and the kernel drops it when the process dies, SIGKILL included.
// Where a file system has no flock (some network file systems), the runs
// go on unlocked: each file is still replaced whole by its rename.
func lockDirs(dirs []string) (unlock func()) {
	sorted := append([]string(nil), dirs...)
	sort.Strings(sorted)
	var held []*os.File
	for i, d := range sorted {
		if i > 0 && d == sorted[i-1] {
			continue
		}
		f, err := os.Open(d)
		if err != nil {
			continue
		}
		for {
			err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
			if err != syscall.EINTR {
				break
			}
		}
		if err != nil {
			f.Close()
			continue
		}
		held = append(held, f)
	}
	return func() {
		for _, f := range held {
			f.Close() // releases the lock
		}
	}
}
