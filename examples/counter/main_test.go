package main

import (
	"errors"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/mapgen/mapgen/examples/internal/gencheck"
	"github.com/mapgen/mapgen/internal/kerneltest"
)

func TestGeneratedUpToDate(t *testing.T) {
	gencheck.UpToDate(t)
}

const (
	xdpDrop = 1
	xdpPass = 2
	lo      = 1 // BPF_PROG_TEST_RUN runs XDP programs on the loopback device
)

// run runs the XDP program on a frame of size bytes (Ethernet type 0: a
// flow of ifindex lo, protocol 0) and returns the XDP verdict.
func run(t *testing.T, prog *ebpf.Program, size int) uint32 {
	t.Helper()
	ret, err := prog.Run(&ebpf.RunOptions{Data: make([]byte, size)})
	if err != nil {
		t.Fatal(err)
	}
	return ret
}

// TestLoadWithConfiguration is a user's program: one call loads the object
// with its .rodata configuration, the typed program runs, the typed maps
// and variables show what it did, a variable written from Go changes what
// it does, and Close releases it all.
func TestLoadWithConfiguration(t *testing.T) {
	kerneltest.Require(t)
	want := Config{BigPacket: 1000, DropBig: 1}
	objs, err := LoadWith(func(g *Globals) { g.Rodata.Cfg = want }, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := objs.Close(); err != nil {
			t.Error(err)
		}
	}()
	events, err := objs.Maps.Events.NewReader()
	if err != nil {
		t.Fatal(err)
	}
	defer events.Close()

	// The configuration reached the verifier: big packets are dropped.
	if got := run(t, objs.Programs.CountPackets, 64); got != xdpPass {
		t.Errorf("64 bytes: verdict %d, want XDP_PASS", got)
	}
	if got := run(t, objs.Programs.CountPackets, 1200); got != xdpDrop {
		t.Errorf("1200 bytes over a limit of 1000 with drop_big: verdict %d, want XDP_DROP", got)
	}
	if got := objs.Variables.Cfg.Load(); got != want {
		t.Errorf("cfg after load = %+v, want %+v", got, want)
	}
	if err := objs.Variables.Cfg.Store(Config{}); !errors.Is(err, ebpf.ErrReadOnly) {
		t.Errorf("Store into .rodata = %v, want ErrReadOnly", err)
	}

	flow := FlowKey{Ifindex: lo}
	c, err := objs.Maps.Flows.Lookup(flow)
	if err != nil || c.Packets != 2 || c.Bytes != 1264 || c.MaxLen != 1200 {
		t.Errorf("flow %+v: %+v, %v; want 2 packets, 1264 bytes, max 1200", flow, c, err)
	}
	drops, err := objs.Maps.Verdicts.Sum(uint32(VerdictDrop), func(a, b uint64) uint64 { return a + b })
	if err != nil || drops != 1 {
		t.Errorf("drop verdicts: %d, %v; want 1", drops, err)
	}
	ev, err := events.Read()
	if err != nil || ev.Event.Len != 1200 || ev.Event.Verdict != VerdictDrop || ev.Event.Key != flow {
		t.Errorf("event %+v, %v; want 1200 bytes of flow %+v, dropped", ev.Event, err, flow)
	}

	// Variables: the program's own counter, read atomically from its
	// memory; a switch written from Go that the program reads.
	seen, counting := objs.Variables.PacketsSeen, objs.Variables.Counting
	if !seen.Atomic() || !counting.Atomic() || seen.ReadOnly() || counting.ReadOnly() {
		t.Errorf("packets_seen, counting: atomic %v %v, read-only %v %v; want atomic and writable", seen.Atomic(), counting.Atomic(), seen.ReadOnly(), counting.ReadOnly())
	}
	if got := seen.Load(); got != 2 {
		t.Errorf("packets_seen = %d, want 2", got)
	}
	if err := counting.Store(0); err != nil {
		t.Fatal(err)
	}
	if d, err := ReadData(objs.Collection); err != nil || d.Counting != 0 {
		t.Errorf(".data through the map after Store(0): %+v, %v", d, err)
	}
	run(t, objs.Programs.CountPackets, 100)
	if got := seen.Load(); got != 3 {
		t.Errorf("packets_seen = %d, want 3", got)
	}
	if c, err := objs.Maps.Flows.Lookup(flow); err != nil || c.Packets != 2 {
		t.Errorf("flow counted while counting is 0: %+v, %v", c, err)
	}
	if err := seen.Store(40); err != nil {
		t.Fatal(err)
	}
	if err := counting.Store(1); err != nil {
		t.Fatal(err)
	}
	run(t, objs.Programs.CountPackets, 100)
	if got := seen.Load(); got != 41 {
		t.Errorf("packets_seen after Store(40) and a packet = %d, want 41", got)
	}
	if c, err := objs.Maps.Flows.Lookup(flow); err != nil || c.Packets != 3 {
		t.Errorf("flow after counting is 1 again: %+v, %v; want 3 packets", c, err)
	}
	// Read and reset the program's counter at once.
	if old, err := seen.Swap(0); err != nil || old != 41 {
		t.Errorf("packets_seen.Swap(0) = %d, %v; want 41", old, err)
	}
	run(t, objs.Programs.CountPackets, 100)
	if got := seen.Load(); got != 1 {
		t.Errorf("packets_seen after the reset and a packet = %d, want 1", got)
	}
}

// TestVariableSpecs sets one .rodata variable in the spec, by type, and
// loads it: the program sees it; the variables left alone keep their
// compiled-in values.
func TestVariableSpecs(t *testing.T) {
	kerneltest.Require(t)
	spec, err := LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	vars, err := NewVariableSpecs(spec)
	if err != nil {
		t.Fatal(err)
	}
	if got := vars.Cfg.Get(); got != DefaultRodata().Cfg {
		t.Errorf("cfg in the spec = %+v, want the compiled-in %+v", got, DefaultRodata().Cfg)
	}
	vars.Cfg.Set(Config{BigPacket: 100})
	objs, err := LoadObjects(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer objs.Close()
	if got := objs.Variables.Counting.Load(); got != DefaultData().Counting {
		t.Errorf("counting = %d, want the compiled-in %d", got, DefaultData().Counting)
	}
	events, err := objs.Maps.Events.NewReader()
	if err != nil {
		t.Fatal(err)
	}
	defer events.Close()
	run(t, objs.Programs.CountPackets, 200)
	if ev, err := events.Read(); err != nil || ev.Event.Len != 200 {
		t.Errorf("event of a 200-byte packet over a limit of 100: %+v, %v", ev.Event, err)
	}
}

// TestCreateMap makes a map of the definition of flows from Go, as a test
// of the user's own would: typed, empty, with the BTF types of its key and
// value attached, and its kind, sizes and flags readable from the wrapper.
func TestCreateMap(t *testing.T) {
	kerneltest.Require(t)
	spec, err := LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	specs, err := NewMapSpecs(spec)
	if err != nil {
		t.Fatal(err)
	}
	flows, err := specs.Flows.Create("test_flows")
	if err != nil {
		t.Fatal(err)
	}
	defer flows.Close()
	k, v := FlowKey{Ifindex: 7, Proto: 17, IPVersion: 4}, FlowCounters{Packets: 5, MaxLen: 99}
	if err := flows.Update(k, v, ebpf.UpdateNoExist); err != nil {
		t.Fatal(err)
	}
	if got, err := flows.Lookup(k); err != nil || got != v {
		t.Errorf("Lookup = %+v, %v; want %+v", got, err, v)
	}
	m := flows.Map()
	if m.Type() != ebpf.Hash || m.KeySize() != 8 || m.ValueSize() != 32 || m.MaxEntries() != 1024 {
		t.Errorf("created map: %s, key %d, value %d, %d entries", m.Type(), m.KeySize(), m.ValueSize(), m.MaxEntries())
	}
	info, err := m.Info()
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := info.BTFID(); !ok || id == 0 {
		t.Errorf("created map has no BTF (id %d, %v): bpftool would show bytes", id, ok)
	}
	if info.Name != "test_flows" {
		t.Errorf("name %q", info.Name)
	}
}
