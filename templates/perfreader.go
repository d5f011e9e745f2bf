// cilium/ebpf/perf is Linux-only and does not compile for GOARCH=mips
// (x/sys/unix's perf bitfield constants overflow int on 32-bit big-endian).

//go:build linux && !mips

package templates

import (
	"fmt"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/perf"
)

// PerfReader reads BPF_MAP_TYPE_PERF_EVENT_ARRAY records as events of type
// E.
//
// The kernel pads perf raw samples so that the 4-byte size field plus the
// data is a multiple of 8 bytes, and that padded size is what the record
// reports: a sample of n bytes arrives as round_up(n+4, 8)-4 bytes, the tail
// being unspecified bytes. A record is accepted if its size lies between
// sizeof(E) and that padded size; the padding is dropped. Anything else
// gives a [*RecordSizeError]. The padding makes some wrong sizes
// undetectable: an 8-byte sample arrives as 12 bytes, exactly like a 12-byte
// one.
type PerfReader[E any] struct {
	rd   *perf.Reader
	name string
	max  int
}

// PerfRecord is one perf record: either an event, or a report of samples
// lost because the per-CPU buffer was full (LostSamples > 0, Event zero).
type PerfRecord[E any] struct {
	Event E
	// CPU is the CPU the record was written on.
	CPU int
	// LostSamples is non-zero for a loss record.
	LostSamples uint64
	// Remaining is the number of bytes left in this CPU's buffer.
	Remaining int
	raw       perf.Record
}

// Raw returns the sample's bytes as read, including the kernel's padding.
func (r *PerfRecord[E]) Raw() []byte { return r.raw.RawSample }

// NewPerfReader opens a reader on a perf event array with perCPUBuffer
// bytes (rounded up to pages) per CPU.
func NewPerfReader[E any](name string, m *ebpf.Map, perCPUBuffer int) (*PerfReader[E], error) {
	return NewPerfReaderWithOptions[E](name, m, perCPUBuffer, perf.ReaderOptions{})
}

// NewPerfReaderWithOptions is [NewPerfReader] with reader options.
func NewPerfReaderWithOptions[E any](name string, m *ebpf.Map, perCPUBuffer int, opts perf.ReaderOptions) (*PerfReader[E], error) {
	if err := CheckType(name, m, ebpf.PerfEventArray); err != nil {
		return nil, err
	}
	rd, err := perf.NewReaderWithOptions(m, perCPUBuffer, opts)
	if err != nil {
		return nil, fmt.Errorf("map %q: %w", name, err)
	}
	size := int(sizeOf[E]())
	return &PerfReader[E]{rd: rd, name: name, max: (size+4+7)&^7 - 4}, nil
}

// Read blocks for the next record and returns it in a new [PerfRecord].
func (r *PerfReader[E]) Read() (PerfRecord[E], error) {
	var rec PerfRecord[E]
	err := r.ReadInto(&rec)
	return rec, err
}

// ReadInto blocks for the next record and decodes it into rec, reusing
// rec's buffer. It returns [perf.ErrClosed] after Close and
// os.ErrDeadlineExceeded after the deadline. Check rec.LostSamples.
func (r *PerfReader[E]) ReadInto(rec *PerfRecord[E]) error {
	if err := r.rd.ReadInto(&rec.raw); err != nil {
		return err
	}
	rec.CPU, rec.LostSamples, rec.Remaining = rec.raw.CPU, rec.raw.LostSamples, rec.raw.Remaining
	if rec.LostSamples > 0 {
		rec.Event = *new(E)
		return nil
	}
	return decode(&rec.Event, rec.raw.RawSample, r.name, r.max)
}

// SetDeadline makes Read and ReadInto return os.ErrDeadlineExceeded once t
// has passed; a zero t means no deadline.
func (r *PerfReader[E]) SetDeadline(t time.Time) { r.rd.SetDeadline(t) }

// Flush unblocks a pending Read so that it returns the records available
// now; see [perf.Reader.Flush].
func (r *PerfReader[E]) Flush() error { return r.rd.Flush() }

// Close releases the reader and unblocks pending reads. It does not close
// the map.
func (r *PerfReader[E]) Close() error { return r.rd.Close() }
