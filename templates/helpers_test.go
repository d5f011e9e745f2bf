package templates

import (
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/mapgen/mapgen/internal/kerneltest"
)

func newMap(tb testing.TB, spec *ebpf.MapSpec) *ebpf.Map {
	tb.Helper()
	kerneltest.Require(tb)
	m, err := ebpf.NewMap(spec)
	if err != nil {
		kerneltest.SkipIfNotSupported(tb, err)
		tb.Fatalf("create %s map: %v", spec.Type, err)
	}
	tb.Cleanup(func() { m.Close() })
	return m
}

func must[T any](tb testing.TB) func(T, error) T {
	return func(v T, err error) T {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
}

func ok(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// newProg loads an XDP program made of insns.
func newProg(tb testing.TB, insns asm.Instructions) *ebpf.Program {
	tb.Helper()
	kerneltest.Require(tb)
	p, err := ebpf.NewProgram(&ebpf.ProgramSpec{Type: ebpf.XDP, Instructions: insns, License: "GPL"})
	if err != nil {
		kerneltest.SkipIfNotSupported(tb, err)
		tb.Fatalf("load program: %v", err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

func retProg(tb testing.TB, ret int32) *ebpf.Program {
	return newProg(tb, asm.Instructions{asm.Mov.Imm(asm.R0, ret), asm.Return()})
}

// Key and value types shaped like mapgen's output.
type pktKey struct {
	Src, Dst uint32
	Port     uint16
	Proto    uint8
	_        [1]byte
}

type counters struct {
	Packets, Bytes uint64
}

type v4 struct{ A uint32 }        // per-CPU stride 8, size 4
type v12 struct{ A, B, C uint32 } // per-CPU stride 16, size 12
type v16 struct{ A, B uint64 }    // per-CPU stride 16, in place
