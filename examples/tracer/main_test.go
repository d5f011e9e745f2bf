package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mapgen/mapgen/examples/internal/gencheck"
	"github.com/mapgen/mapgen/internal/kerneltest"
	"golang.org/x/sys/unix"
)

func TestGeneratedUpToDate(t *testing.T) {
	gencheck.UpToDate(t)
}

// TestTraceOwnCalls attaches the tracer, filtered in the kernel to this
// process through .rodata, makes openat and unlinkat calls on one thread, and
// reads their events back through the typed reader: pid and tid, the
// bitfields, the union and the strings must be what the calls passed.
func TestTraceOwnCalls(t *testing.T) {
	kerneltest.Require(t)
	var u unix.Utsname
	if err := unix.Uname(&u); err == nil && strconv.IntSize == 32 && strings.Contains(unix.ByteSliceToString(u.Machine[:]), "64") {
		t.Skipf("a %s process on a %s kernel makes compat syscalls, which syscall tracepoints do not see", runtime.GOARCH, unix.ByteSliceToString(u.Machine[:]))
	}
	tr, err := Start(uint32(os.Getpid()))
	if err != nil {
		kerneltest.SkipIfNotSupported(t, err)
		t.Fatal(err)
	}
	defer tr.Close()

	t.Chdir(t.TempDir())
	const file, dir = "mapgen-tracer-file", "mapgen-tracer-dir"
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	runtime.LockOSThread()
	tid := unix.Gettid()
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err == nil {
		f.Close()
		err = os.Remove(file)
	}
	if err == nil {
		// Go tries unlinkat(dir, 0), gets EISDIR, then unlinkat(dir, AT_REMOVEDIR).
		err = os.Remove(dir)
	}
	runtime.UnlockOSThread()
	if err != nil {
		t.Fatal(err)
	}

	var opened, unlinked, rmdir *FileEvent
	tr.Reader.SetDeadline(time.Now().Add(10 * time.Second))
	for opened == nil || unlinked == nil || rmdir == nil {
		rec, err := tr.Reader.Read()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("events missing after 10s: open %v, unlink %v, rmdir %v", opened != nil, unlinked != nil, rmdir != nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		e := rec.Event
		if e.PID != uint32(os.Getpid()) {
			t.Errorf("event of pid %d (%s %s) got past the .rodata filter for pid %d", e.PID, e.CommString(), e.PathString(), os.Getpid())
		}
		switch {
		case e.Op == FileOpOpen && e.PathString() == file:
			opened = &e
		case e.Op == FileOpUnlink && e.PathString() == file:
			unlinked = &e
		case e.Op == FileOpUnlink && e.PathString() == dir && e.Removedir() != 0:
			rmdir = &e
		}
	}

	comm := filepath.Base(os.Args[0])
	if len(comm) > 15 {
		comm = comm[:15]
	}
	for _, e := range []*FileEvent{opened, unlinked, rmdir} {
		if e.TID != uint32(tid) || e.UID != uint32(os.Getuid()) || e.Dfd != unix.AT_FDCWD || e.CommString() != comm || e.TsNs == 0 {
			t.Errorf("%s %s: tid %d uid %d dfd %d comm %q ts %d; want tid %d uid %d dfd %d comm %q",
				e.Op, e.PathString(), e.TID, e.UID, e.Dfd, e.CommString(), e.TsNs, tid, os.Getuid(), unix.AT_FDCWD, comm)
		}
	}

	if opened.Accmode() != unix.O_WRONLY || opened.Create() != 1 || opened.Truncate() != 1 || opened.Cloexec() != 1 || opened.Removedir() != 0 {
		t.Errorf("open bitfields: accmode %d create %d truncate %d cloexec %d removedir %d; want 1 1 1 1 0",
			opened.Accmode(), opened.Create(), opened.Truncate(), opened.Cloexec(), opened.Removedir())
	}
	args := opened.Args.Open()
	const want = unix.O_WRONLY | unix.O_CREAT | unix.O_TRUNC | unix.O_CLOEXEC
	if args.Flags&(unix.O_ACCMODE|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC) != want || args.Mode != 0o600 {
		t.Errorf("open args: flags %#x mode %#o; want flags %#x mode 0600", args.Flags, args.Mode, want)
	}
	if unlinked.Removedir() != 0 || unlinked.Args.Unlink().Flags != 0 || unlinked.Create() != 0 {
		t.Errorf("unlink of a file: removedir %d flags %#x create %d; want 0 0 0", unlinked.Removedir(), unlinked.Args.Unlink().Flags, unlinked.Create())
	}
	if rmdir.Args.Unlink().Flags != unix.AT_REMOVEDIR {
		t.Errorf("unlink of a directory: flags %#x, want AT_REMOVEDIR", rmdir.Args.Unlink().Flags)
	}

	var out bytes.Buffer
	Print(&out, opened)
	Print(&out, rmdir)
	if want := "open   mapgen-tracer-file O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC mode 0600\n"; !bytes.Contains(out.Bytes(), []byte(want)) {
		t.Errorf("Print: %q lacks %q", out.String(), want)
	}
	if want := "unlink mapgen-tracer-dir (dir)\n"; !bytes.Contains(out.Bytes(), []byte(want)) {
		t.Errorf("Print: %q lacks %q", out.String(), want)
	}
}
