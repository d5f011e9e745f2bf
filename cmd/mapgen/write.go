package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Test hooks: tempsWritten runs when every temporary file is written and
// none renamed yet; rename and link are os.Rename and os.Link.
var (
	tempsWritten = func() {}
	rename       = os.Rename
	link         = os.Link
)

// pendingFile is one output on its way: its new content sits in tmp until
// the commit renames it over path.
type pendingFile struct {
	path   string
	tmp    string
	onDisk os.FileInfo // the file being replaced, nil if none
	backup string      // hard link to the replaced file, for a rollback
	saved  []byte      // its content, where no hard link could be made
	done   bool        // renamed into place
}

// writeOutputs writes all outputs of a run or none: every new content goes
// to a temporary file first; only when all are written are they renamed
// into place, and a failed rename puts back the files already replaced.
// Outputs whose content is unchanged are not touched (make sees no new
// modification time).
func writeOutputs(cfg *config, jobs []*job) error {
	// Check again what is on disk now: generation may have taken a while.
	if err := checkOutputs(cfg, jobs); err != nil {
		return err
	}
	var files []*pendingFile
	defer func() {
		for _, f := range files {
			for _, p := range []string{f.tmp, f.backup} {
				if p != "" {
					removeTemp(p)
				}
			}
		}
	}()
	cleaned := make(map[string]bool)
	for _, j := range jobs {
		if unchanged(j) {
			continue
		}
		dir := filepath.Dir(j.output)
		if !cleaned[dir] {
			removeStaleTemps(dir)
			cleaned[dir] = true
		}
		f := &pendingFile{path: j.output, onDisk: j.onDisk}
		var err error
		if f.tmp, err = writeTemp(dir, j.source, j.onDisk); err != nil {
			return fmt.Errorf("writing %s: %w", j.output, err)
		}
		files = append(files, f)
	}
	tempsWritten()
	// One run at a time renames into a directory (see lockDirs); taken
	// before temps.mu, so that a signal never waits for another run.
	dirs := make([]string, len(files))
	for i, f := range files {
		dirs[i] = filepath.Dir(f.path)
	}
	unlock := lockDirs(dirs)
	defer unlock()
	return commit(files)
}

// unchanged reports whether j's output already holds j's source.
func unchanged(j *job) bool {
	if j.onDisk == nil || j.onDisk.Size() != int64(len(j.source)) {
		return false
	}
	old, err := os.ReadFile(j.output)
	return err == nil && bytes.Equal(old, j.source)
}

// writeTemp writes data to a new temporary file in dir, with the
// permissions of the file it will replace (0644 for a new one), flushed to
// disk so that the rename cannot expose a file of zeros after a crash.
func writeTemp(dir string, data []byte, replaced os.FileInfo) (string, error) {
	f, err := createTemp(dir)
	if err != nil {
		return "", err
	}
	perm := fs.FileMode(0o644)
	if replaced != nil {
		perm = replaced.Mode().Perm()
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		removeTemp(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// commit renames every temporary file into place. With more than one file,
// it first keeps a way back for each file it replaces, and on a failed
// rename restores what it already replaced. It holds the temporary files'
// lock, so a signal waits for the renames (or the rollback) to finish.
func commit(files []*pendingFile) error {
	temps.mu.Lock()
	defer temps.mu.Unlock()
	if len(files) > 1 {
		for _, f := range files {
			if err := f.keepBackup(); err != nil {
				return fmt.Errorf("writing %s: keeping the old file for a rollback: %w", f.path, err)
			}
		}
	}
	for _, f := range files {
		if err := rename(f.tmp, f.path); err != nil {
			return fmt.Errorf("writing %s: %w%s", f.path, err, rollback(files))
		}
		forgetTemp(f.tmp)
		f.tmp, f.done = "", true
	}
	for _, f := range files {
		if f.backup != "" {
			os.Remove(f.backup)
			forgetTemp(f.backup)
			f.backup = ""
		}
	}
	return nil
}

// keepBackup makes f.backup a hard link to the file f replaces (a rename
// back restores it atomically, metadata included), or, where the file
// system has no hard links, reads its content. temps.mu must be held.
func (f *pendingFile) keepBackup() error {
	if f.onDisk == nil {
		return nil
	}
	dir := filepath.Dir(f.path)
	tmp, err := createTempLocked(dir)
	if err != nil {
		return err
	}
	name := tmp.Name()
	tmp.Close()
	// Link cannot replace name: remove the placeholder first. Its name
	// stays registered, so a signal still removes a link made here.
	os.Remove(name)
	if err := link(f.path, name); err == nil {
		f.backup = name
		return nil
	}
	forgetTemp(name)
	f.saved, err = os.ReadFile(f.path)
	return err
}

// rollback undoes the renames done so far and says how that went, as a
// suffix for the error message. temps.mu must be held.
func rollback(files []*pendingFile) string {
	var restored, failed []string
	for i := len(files) - 1; i >= 0; i-- {
		f := files[i]
		if !f.done {
			continue
		}
		var err error
		switch {
		case f.onDisk == nil:
			err = os.Remove(f.path)
		case f.backup != "":
			if err = rename(f.backup, f.path); err == nil {
				forgetTemp(f.backup)
				f.backup = ""
			}
		default:
			err = restoreContent(f)
		}
		if err != nil {
			msg := fmt.Sprintf("%s (%v)", f.path, err)
			if f.backup != "" {
				// The only copy of the old file: keep it, and say where.
				msg += "; its old content is in " + f.backup
				forgetTemp(f.backup)
				f.backup = ""
			}
			failed = append(failed, msg)
		} else {
			restored = append(restored, f.path)
		}
	}
	var b strings.Builder
	if len(restored) > 0 {
		fmt.Fprintf(&b, "; restored %s", strings.Join(restored, ", "))
	}
	if len(failed) > 0 {
		fmt.Fprintf(&b, "; could not restore %s", strings.Join(failed, ", "))
	}
	return b.String()
}

// restoreContent puts f's saved content back in place through a
// temporary file. temps.mu must be held.
func restoreContent(f *pendingFile) error {
	tmp, err := createTempLocked(filepath.Dir(f.path))
	if err != nil {
		return err
	}
	_, err = io.Copy(tmp, bytes.NewReader(f.saved))
	if err == nil {
		err = tmp.Chmod(f.onDisk.Mode().Perm())
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// The old modification time too, so that make sees no change.
		err = os.Chtimes(tmp.Name(), time.Time{}, f.onDisk.ModTime())
	}
	if err == nil {
		err = rename(tmp.Name(), f.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	forgetTemp(tmp.Name())
	return err
}
