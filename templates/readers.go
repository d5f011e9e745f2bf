package templates

import (
	"fmt"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"
)

// RecordSizeError reports a ring buffer or perf record whose size does not
// fit the event type. Records are never silently truncated or zero-extended.
type RecordSizeError struct {
	Map    string
	Got    int    // bytes in the record
	Want   int    // sizeof(E)
	Max    int    // largest accepted size (perf pads samples), >= Want
	GoType string // name of E
}

func (e *RecordSizeError) Error() string {
	if e.Max > e.Want {
		return fmt.Sprintf("map %q: record of %d bytes, Go type %s needs %d to %d", e.Map, e.Got, e.GoType, e.Want, e.Max)
	}
	return fmt.Sprintf("map %q: record of %d bytes, Go type %s has %d", e.Map, e.Got, e.GoType, e.Want)
}

func decode[E any](dst *E, raw []byte, name string, maxLen int) error {
	want := int(sizeOf[E]())
	if len(raw) < want || len(raw) > maxLen {
		return &RecordSizeError{Map: name, Got: len(raw), Want: want, Max: maxLen, GoType: typeName[E]()}
	}
	copy(unsafe.Slice((*byte)(unsafe.Pointer(dst)), want), raw)
	return nil
}

// RingBufReader reads BPF_MAP_TYPE_RINGBUF records as events of type E.
//
// The kernel pads every ring buffer sample to a multiple of 8 bytes in the
// ring, but records the exact reserved size in the sample header, and
// cilium/ebpf returns exactly that many bytes. A record must therefore be
// exactly sizeof(E) bytes; any other size (a program that reserves a
// different struct, or variable-length samples) gives a [*RecordSizeError],
// and the raw bytes remain available in [RingBufRecord.Raw].
type RingBufReader[E any] struct {
	rd   *ringbuf.Reader
	name string
}

// RingBufRecord is one decoded ring buffer record.
type RingBufRecord[E any] struct {
	Event E
	// Remaining is the number of bytes left in the ring after this record.
	Remaining int
	raw       ringbuf.Record
}

// Raw returns the record's bytes as read from the ring. It stays valid until
// the record is passed to ReadInto again.
func (r *RingBufRecord[E]) Raw() []byte { return r.raw.RawSample }

// NewRingBufReader opens a reader on a ring buffer map.
func NewRingBufReader[E any](name string, m *ebpf.Map) (*RingBufReader[E], error) {
	if err := CheckType(name, m, ebpf.RingBuf); err != nil {
		return nil, err
	}
	rd, err := ringbuf.NewReader(m)
	if err != nil {
		return nil, fmt.Errorf("map %q: %w", name, err)
	}
	return &RingBufReader[E]{rd, name}, nil
}

// Read blocks for the next record and returns it in a new [RingBufRecord].
func (r *RingBufReader[E]) Read() (RingBufRecord[E], error) {
	var rec RingBufRecord[E]
	err := r.ReadInto(&rec)
	return rec, err
}

// ReadInto blocks for the next record and decodes it into rec, reusing
// rec's buffer: once that has grown to the record size, reading allocates
// nothing. It returns [ringbuf.ErrClosed] after Close and
// os.ErrDeadlineExceeded after the deadline.
func (r *RingBufReader[E]) ReadInto(rec *RingBufRecord[E]) error {
	if err := r.rd.ReadInto(&rec.raw); err != nil {
		return err
	}
	rec.Remaining = rec.raw.Remaining
	return decode(&rec.Event, rec.raw.RawSample, r.name, int(sizeOf[E]()))
}

// SetDeadline makes Read and ReadInto return os.ErrDeadlineExceeded once t
// has passed; a zero t means no deadline.
func (r *RingBufReader[E]) SetDeadline(t time.Time) { r.rd.SetDeadline(t) }

// Flush makes a blocked or the next Read return the records available now
// without waiting for more; see [ringbuf.Reader.Flush].
func (r *RingBufReader[E]) Flush() error { return r.rd.Flush() }

// Close releases the reader and unblocks pending reads. It does not close
// the map.
func (r *RingBufReader[E]) Close() error { return r.rd.Close() }

// RingBuf is a BPF_MAP_TYPE_RINGBUF whose records are events of type E.
type RingBuf[E any] struct {
	m    *ebpf.Map
	name string
}

// NewRingBuf wraps a ring buffer whose records are of type E.
func NewRingBuf[E any](name string, m *ebpf.Map) (RingBuf[E], error) {
	if err := CheckType(name, m, ebpf.RingBuf); err != nil {
		return RingBuf[E]{}, err
	}
	return RingBuf[E]{m, name}, nil
}

// Map returns the underlying map.
func (r RingBuf[E]) Map() *ebpf.Map { return r.m }

// Close closes the underlying map.
func (r RingBuf[E]) Close() error { return r.m.Close() }

// NewReader opens a reader that decodes each record into an E. Close it
// when done.
func (r RingBuf[E]) NewReader() (*RingBufReader[E], error) {
	return NewRingBufReader[E](r.name, r.m)
}
