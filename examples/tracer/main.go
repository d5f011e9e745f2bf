// Command tracer prints the files that processes open and unlink, as the
// tracepoints syscalls/sys_enter_openat and syscalls/sys_enter_unlinkat see
// them, from typed events read off a ring buffer.
//
//	sudo go run .              # every process, until interrupted
//	sudo go run . -pid 1234    # one process (filtered in the kernel)
//	sudo go run . -n 10        # stop after 10 events
package main

//go:generate go run github.com/mapgen/mapgen/cmd/mapgen --embed -o tracer.go tracer_bpfel.o tracer_bpfeb.o

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/ringbuf"
	"github.com/cilium/ebpf/rlimit"
	"github.com/mapgen/mapgen/templates"
	"golang.org/x/sys/unix"
)

func main() {
	pid := flag.Uint("pid", 0, "trace only this process ID (0: all)")
	n := flag.Int("n", 0, "stop after this many events (0: until interrupted)")
	flag.Parse()

	t, err := Start(uint32(*pid))
	if err != nil {
		log.Fatal(err)
	}
	defer t.Close()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	go func() {
		<-stop
		t.Reader.Close() // unblocks Read
	}()
	for i := 0; *n == 0 || i < *n; i++ {
		rec, err := t.Reader.Read()
		if errors.Is(err, ringbuf.ErrClosed) {
			return
		}
		if err != nil {
			log.Fatal(err)
		}
		Print(os.Stdout, &rec.Event)
	}
}

// Tracer is the loaded program, attached, with a typed reader of its events.
type Tracer struct {
	Objects *Objects
	Links   []link.Link
	// Reader decodes the ring buffer's records into FileEvents.
	Reader *templates.RingBufReader[FileEvent]
}

// Start loads the programs with the .rodata filter set to pid (0: every
// process), attaches them and opens the reader.
func Start(pid uint32) (*Tracer, error) {
	// Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK.
	if err := rlimit.RemoveMemlock(); err != nil {
		return nil, err
	}
	if err := EnsureTracefs(); err != nil {
		return nil, err
	}
	objs, err := LoadWith(func(g *Globals) { g.Rodata.Cfg.Tgid = pid }, nil)
	if err != nil {
		return nil, err
	}
	t := &Tracer{Objects: objs}
	for name, prog := range map[string]*ebpf.Program{
		"sys_enter_openat":   objs.Programs.TraceOpenat,
		"sys_enter_unlinkat": objs.Programs.TraceUnlinkat,
	} {
		l, err := link.Tracepoint("syscalls", name, prog, nil)
		if err != nil {
			t.Close()
			return nil, err
		}
		t.Links = append(t.Links, l)
	}
	if t.Reader, err = objs.Maps.Events.NewReader(); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// Close detaches the programs and releases everything.
func (t *Tracer) Close() {
	if t.Reader != nil {
		t.Reader.Close()
	}
	for _, l := range t.Links {
		l.Close()
	}
	t.Objects.Close()
}

// Print writes one line for e.
func Print(w io.Writer, e *FileEvent) {
	switch e.Op {
	case FileOpOpen:
		mode := ""
		if e.Create() != 0 {
			mode = fmt.Sprintf(" mode %#o", e.Args.Open().Mode)
		}
		fmt.Fprintf(w, "%-7d %-16s open   %s %s%s\n", e.PID, e.CommString(), e.PathString(), openFlags(e), mode)
	case FileOpUnlink:
		what := "file"
		if e.Removedir() != 0 {
			what = "dir"
		}
		fmt.Fprintf(w, "%-7d %-16s unlink %s (%s)\n", e.PID, e.CommString(), e.PathString(), what)
	default:
		fmt.Fprintf(w, "%-7d %-16s %s\n", e.PID, e.CommString(), e.Op)
	}
}

func openFlags(e *FileEvent) string {
	flags := []string{[]string{"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"}[e.Accmode()]}
	if e.Create() != 0 {
		flags = append(flags, "O_CREAT")
	}
	if e.Truncate() != 0 {
		flags = append(flags, "O_TRUNC")
	}
	if e.Cloexec() != 0 {
		flags = append(flags, "O_CLOEXEC")
	}
	return strings.Join(flags, "|")
}

// EnsureTracefs mounts tracefs on /sys/kernel/tracing if neither it nor
// debugfs is mounted there: attaching to a tracepoint reads the
// tracepoint's ID from tracefs.
func EnsureTracefs() error {
	for _, dir := range []string{"/sys/kernel/tracing", "/sys/kernel/debug/tracing"} {
		var fs unix.Statfs_t
		if unix.Statfs(dir, &fs) == nil && (fs.Type == unix.TRACEFS_MAGIC || fs.Type == unix.DEBUGFS_MAGIC) {
			return nil
		}
	}
	if err := unix.Mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, ""); err != nil {
		return fmt.Errorf("tracefs is not mounted and mounting it failed (mount -t tracefs tracefs /sys/kernel/tracing): %w", err)
	}
	fmt.Fprintln(os.Stderr, "tracer: mounted tracefs on /sys/kernel/tracing")
	return nil
}
