package templates

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
)

// outputProg returns an XDP program that writes size bytes of
// {1, 2, 3, 4, ...} (uint32s) from its stack to m with helper fn.
func outputProg(t *testing.T, m *ebpf.Map, fn asm.BuiltinFunc, size int32) *ebpf.Program {
	insns := asm.Instructions{asm.Mov.Reg(asm.R6, asm.R1)}
	for i := int16(0); i < 8; i++ {
		insns = append(insns, asm.StoreImm(asm.RFP, -32+4*i, int64(i+1), asm.Word))
	}
	if fn == asm.FnRingbufOutput {
		insns = append(insns,
			asm.LoadMapPtr(asm.R1, m.FD()),
			asm.Mov.Reg(asm.R2, asm.RFP), asm.Add.Imm(asm.R2, -32),
			asm.Mov.Imm(asm.R3, size),
			asm.Mov.Imm(asm.R4, 0),
		)
	} else {
		insns = append(insns,
			asm.Mov.Reg(asm.R1, asm.R6),
			asm.LoadMapPtr(asm.R2, m.FD()),
			asm.LoadImm(asm.R3, 0xffffffff, asm.DWord), // BPF_F_CURRENT_CPU
			asm.Mov.Reg(asm.R4, asm.RFP), asm.Add.Imm(asm.R4, -32),
			asm.Mov.Imm(asm.R5, size),
		)
	}
	insns = append(insns, fn.Call(), asm.Mov.Imm(asm.R0, 2), asm.Return())
	return newProg(t, insns)
}

func run(t *testing.T, p *ebpf.Program) {
	t.Helper()
	if _, err := p.Run(&ebpf.RunOptions{Data: make([]byte, 64)}); err != nil {
		t.Fatalf("test run: %v", err)
	}
}

func TestRingBufReader(t *testing.T) {
	m := newMap(t, &ebpf.MapSpec{Type: ebpf.RingBuf, MaxEntries: 4096})
	rd := must[*RingBufReader[v12]](t)(NewRingBufReader[v12]("events", m))
	defer rd.Close()
	rd.SetDeadline(time.Now().Add(5 * time.Second))

	run(t, outputProg(t, m, asm.FnRingbufOutput, 12)) // padded to 16 in the ring
	rec := must[RingBufRecord[v12]](t)(rd.Read())
	if rec.Event != (v12{1, 2, 3}) || len(rec.Raw()) != 12 {
		t.Fatalf("event %+v, raw %x", rec.Event, rec.Raw())
	}

	// Reuse without allocating.
	p := outputProg(t, m, asm.FnRingbufOutput, 12)
	allocs := testing.AllocsPerRun(20, func() {
		run(t, p)
		ok(t, rd.ReadInto(&rec))
	})
	t.Logf("run+ReadInto: %v allocs (test run included)", allocs)

	for _, size := range []int32{8, 16} {
		run(t, outputProg(t, m, asm.FnRingbufOutput, size))
		err := rd.ReadInto(&rec)
		var se *RecordSizeError
		if !errors.As(err, &se) || se.Got != int(size) || se.Want != 12 {
			t.Fatalf("size %d: %v", size, err)
		}
		t.Log(err)
	}

	rd.SetDeadline(time.Now().Add(10 * time.Millisecond))
	if err := rd.ReadInto(&rec); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal(err)
	}
}
