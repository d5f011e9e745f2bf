//go:build linux && !mips

package templates

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
)

func TestPerfReader(t *testing.T) {
	m := newMap(t, &ebpf.MapSpec{Type: ebpf.PerfEventArray})
	rd := must[*PerfReader[v12]](t)(NewPerfReader[v12]("events", m, os.Getpagesize()))
	defer rd.Close()
	rd.SetDeadline(time.Now().Add(5 * time.Second))

	// 12 bytes + 4-byte size header = 16: no padding.
	run(t, outputProg(t, m, asm.FnPerfEventOutput, 12))
	rec := must[PerfRecord[v12]](t)(rd.Read())
	if rec.Event != (v12{1, 2, 3}) || rec.LostSamples != 0 {
		t.Fatalf("%+v", rec)
	}

	// An 8-byte event arrives as 12 bytes (8+4 padded to 16, minus 4).
	m8 := newMap(t, &ebpf.MapSpec{Type: ebpf.PerfEventArray})
	rd8 := must[*PerfReader[uint64]](t)(NewPerfReader[uint64]("events8", m8, os.Getpagesize()))
	defer rd8.Close()
	rd8.SetDeadline(time.Now().Add(5 * time.Second))
	run(t, outputProg(t, m8, asm.FnPerfEventOutput, 8))
	rec8 := must[PerfRecord[uint64]](t)(rd8.Read())
	if len(rec8.Raw()) != 12 || rec8.Event != 1|2<<32 {
		t.Fatalf("raw %x event %x", rec8.Raw(), rec8.Event)
	}

	// Too short and too long are errors. (An 8-byte sample would arrive as
	// 12 bytes, indistinguishable from a 12-byte one: perf's padding.)
	for _, size := range []int32{4, 16, 20} {
		run(t, outputProg(t, m, asm.FnPerfEventOutput, size))
		err := rd.ReadInto(&rec)
		var se *RecordSizeError
		if !errors.As(err, &se) {
			t.Fatalf("size %d: %v", size, err)
		}
		t.Log(err)
	}
}
