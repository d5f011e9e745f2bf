package main

import (
	"testing"

	"github.com/cilium/ebpf"
	"github.com/mapgen/mapgen/examples/counter/internal/bpf2goload"
	"github.com/mapgen/mapgen/internal/kerneltest"
)

// TestBpf2goLoader loads counter.c through the loader bpf2go generated
// (internal/bpf2goload) and uses mapgen's typed maps, programs and
// variables over bpf2go's objects: what a project migrating from bpf2go
// does while it still loads with bpf2go. bpf2go hands out no data section
// maps, so the variables go through its *ebpf.Variable.
func TestBpf2goLoader(t *testing.T) {
	kerneltest.Require(t)
	spec, err := bpf2goload.LoadCounter()
	if err != nil {
		t.Fatal(err)
	}
	// Configured with mapgen's types on bpf2go's spec, before bpf2go loads it.
	if err := EditGlobals(spec, func(g *Globals) { g.Rodata.Cfg.BigPacket = 100 }); err != nil {
		t.Fatal(err)
	}
	var objs bpf2goload.CounterObjects
	if err := spec.LoadAndAssign(&objs, nil); err != nil {
		t.Fatal(err)
	}
	defer objs.Close()

	maps, err := NewMaps(map[string]*ebpf.Map{MapFlows: objs.Flows, MapEvents: objs.Events, MapVerdicts: objs.Verdicts})
	if err != nil {
		t.Fatal(err)
	}
	progs, err := NewPrograms(map[string]*ebpf.Program{ProgCountPackets: objs.CountPackets})
	if err != nil {
		t.Fatal(err)
	}
	vars, err := NewVariables(map[string]*ebpf.Variable{
		VarPacketsSeen: objs.PacketsSeen, VarCounting: objs.Counting,
		VarCfg: objs.Cfg, VarUnusedFlowEvent: objs.UnusedFlowEvent,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	events, err := maps.Events.NewReader()
	if err != nil {
		t.Fatal(err)
	}
	defer events.Close()

	run(t, progs.CountPackets, 300)
	if got := vars.Cfg.Load(); got.BigPacket != 100 {
		t.Errorf("cfg through bpf2go's variable: %+v, want big_packet 100", got)
	}
	if vars.PacketsSeen.Atomic() {
		t.Error("a variable through *ebpf.Variable claims to be atomic")
	}
	if got := vars.PacketsSeen.Load(); got != 1 {
		t.Errorf("packets_seen = %d, want 1", got)
	}
	if ev, err := events.Read(); err != nil || ev.Event.Len != 300 {
		t.Errorf("event: %+v, %v; want a 300-byte packet", ev.Event, err)
	}
	if err := vars.Counting.Store(0); err != nil {
		t.Fatal(err)
	}
	run(t, progs.CountPackets, 64)
	if c, err := maps.Flows.Lookup(FlowKey{Ifindex: lo}); err != nil || c.Packets != 1 {
		t.Errorf("flow after counting = 0: %+v, %v; want 1 packet", c, err)
	}

	// bpf2go's own view agrees.
	var n uint64
	if err := objs.PacketsSeen.Get(&n); err != nil || n != 2 {
		t.Errorf("packets_seen through bpf2go: %d, %v; want 2", n, err)
	}
}

// TestBpf2goSpecLoadWith loads bpf2go's embedded spec configured, with
// mapgen's LoadObjectsWith, which leaves the spec as it was.
func TestBpf2goSpecLoadWith(t *testing.T) {
	kerneltest.Require(t)
	spec, err := bpf2goload.LoadCounter()
	if err != nil {
		t.Fatal(err)
	}
	objs, err := LoadObjectsWith(spec, func(g *Globals) { g.Data.Counting = 0 }, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer objs.Close()
	if got := objs.Variables.Counting.Load(); got != 0 {
		t.Errorf("counting = %d, want 0", got)
	}
	var c uint32
	if err := spec.Variables[VarCounting].Get(&c); err != nil || c != 1 {
		t.Errorf("the spec after LoadObjectsWith: counting %d, %v; want it unchanged, 1", c, err)
	}
}
