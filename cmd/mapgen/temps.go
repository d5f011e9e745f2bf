package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Temporary files are named .mapgen-PID-RANDOM.tmp in the directory of the
// output they become, so that the rename is atomic, and so that a later
// run can tell a file left by a killed process (its PID is gone) from one
// a running mapgen is writing.
var tempName = regexp.MustCompile(`^\.mapgen-([0-9]+)-[0-9a-f]+\.tmp$`)

// temps holds the temporary files of this process that exist, so that a
// signal handler can remove them. The handler takes mu and never releases
// it: whatever holds mu (creating a temporary file, renaming outputs) runs
// to the end of its step before the process dies.
var temps struct {
	mu    sync.Mutex
	paths map[string]bool
}

// createTemp creates a new temporary file in dir and registers it. The
// lock makes creating and registering one step for the signal handler.
func createTemp(dir string) (*os.File, error) {
	temps.mu.Lock()
	defer temps.mu.Unlock()
	return createTempLocked(dir)
}

// createTempLocked is createTemp for a caller holding temps.mu.
func createTempLocked(dir string) (*os.File, error) {
	var rnd [6]byte
	for range 100 {
		if _, err := rand.Read(rnd[:]); err != nil {
			return nil, err
		}
		name := filepath.Join(dir, fmt.Sprintf(".mapgen-%d-%s.tmp", os.Getpid(), hex.EncodeToString(rnd[:])))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			// Say what failed in terms of the directory: the random
			// name of the file mapgen tried means nothing to the user.
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, fmt.Errorf("creating a temporary file in %s: %w", dir, err)
		}
		if temps.paths == nil {
			temps.paths = make(map[string]bool)
		}
		temps.paths[name] = true
		return f, nil
	}
	return nil, fmt.Errorf("cannot create a temporary file in %s", dir)
}

// forgetTemp unregisters path (renamed or removed); mu must be held.
func forgetTemp(path string) {
	delete(temps.paths, path)
}

// removeTemp removes and unregisters a temporary file.
func removeTemp(path string) {
	temps.mu.Lock()
	defer temps.mu.Unlock()
	os.Remove(path)
	forgetTemp(path)
}

// cleanUpOnSignals makes SIGINT, SIGTERM and SIGHUP remove this process's
// temporary files before the process dies of the signal, as it would have
// without a handler (so the parent sees the usual status, 128+N in a
// shell). The returned function ends the handling.
func cleanUpOnSignals() (stop func()) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig, ok := <-c
		if !ok {
			return
		}
		temps.mu.Lock() // never released: the process ends here
		for p := range temps.paths {
			os.Remove(p)
		}
		signal.Reset(sig)
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			p.Signal(sig)
		}
		time.Sleep(time.Second) // the signal is fatal now; this is a fallback
		if s, ok := sig.(syscall.Signal); ok {
			os.Exit(128 + int(s))
		}
		os.Exit(exitBad)
	}()
	return func() {
		signal.Stop(c)
		close(c)
		// Wait for a handler already running, which ends the process;
		// else keep mu until the caller exits.
		temps.mu.Lock()
	}
}

// removeStaleTemps removes temporary files in dir left by mapgen processes
// that no longer exist (killed by SIGKILL, or a crash). Files of running
// processes, and files it cannot judge, are left alone.
func removeStaleTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		m := tempName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil {
			continue
		}
		path := filepath.Join(dir, e.Name())
		temps.mu.Lock()
		ours := temps.paths[path]
		temps.mu.Unlock()
		if ours || (pid != os.Getpid() && !processGone(pid)) {
			continue
		}
		os.Remove(path)
	}
}
