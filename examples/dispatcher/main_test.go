package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/mapgen/mapgen/examples/internal/gencheck"
	"github.com/mapgen/mapgen/internal/kerneltest"
)

func TestGeneratedUpToDate(t *testing.T) {
	gencheck.UpToDate(t)
}

// TestDispatch loads the dispatcher with a .rodata configuration other than
// the compiled-in one and checks, with BPF_PROG_TEST_RUN, the static .values
// slots (tenants 0 and 1, the PASS and DROP handlers), slots set from Go
// (tenant 2, the REFLECT handler), the per-tenant counters and the misses.
func TestDispatch(t *testing.T) {
	kerneltest.Require(t)
	cfg := Config{Ethertype: 0x88b6, Miss: XDPDrop}
	if def := DefaultRodata().Cfg; def.Ethertype != 0x88b5 || def.Miss != XDPPass {
		t.Fatalf("compiled-in cfg %+v, want EtherType 0x88b5 and XDP_PASS", def)
	}
	d, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	objs := d.Objects
	if err := CheckValues(objs.Collection); err != nil {
		t.Fatalf("static .values: %v", err)
	}
	ro, err := ReadRodata(objs.Collection)
	if err != nil || ro.Cfg != cfg {
		t.Fatalf(".rodata in the kernel: %+v, %v; want %+v", ro.Cfg, err, cfg)
	}

	send := func(ethertype uint16, tenant uint8, action Action) (XDPAction, []byte) {
		t.Helper()
		v, out, err := d.Send(MsgFrame(ethertype, tenant, uint8(action), 60))
		if err != nil {
			t.Fatal(err)
		}
		return v, out
	}
	expect := func(what string, got, want XDPAction) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %s, want %s", what, got, want)
		}
	}

	// The compiled-in EtherType is no longer dispatched: .rodata was set.
	v, _ := send(0x88b5, 0, ActionDrop)
	expect("EtherType 0x88b5", v, XDPPass)
	// Static slots.
	v, _ = send(0x88b6, 0, ActionPass)
	expect("tenant 0, PASS", v, XDPPass)
	v, _ = send(0x88b6, 0, ActionDrop)
	expect("tenant 0, DROP", v, XDPDrop)
	v, _ = send(0x88b6, 1, ActionDrop)
	expect("tenant 1, DROP", v, XDPDrop)
	// Empty slots: misses, with the verdict cfg.miss.
	v, _ = send(0x88b6, 1, ActionReflect)
	expect("tenant 1, REFLECT before its handler is set", v, XDPDrop)
	v, _ = send(0x88b6, 2, ActionPass)
	expect("tenant 2 before its map is set", v, XDPDrop)

	// Slots set from Go.
	if err := objs.Maps.Handlers.Set(uint32(ActionReflect), objs.Programs.HandleReflect); err != nil {
		t.Fatal(err)
	}
	if err := d.AddTenant(2); err != nil {
		t.Fatal(err)
	}
	// Tenant 2's map, created from Go, is typed in BTF like the object's.
	tenant2, err := objs.Maps.Tenants.Get(2)
	if err != nil {
		t.Fatal(err)
	}
	info, err := tenant2.Map().Info()
	tenant2.Close()
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := info.BTFID(); !ok || id == 0 || info.Name != "tenant2" {
		t.Errorf("tenant 2's map %q: BTF ID %d, %v; want a BTF ID", info.Name, id, ok)
	}
	frame := MsgFrame(0x88b6, 1, uint8(ActionReflect), 60)
	v, out, err := d.Send(frame)
	if err != nil {
		t.Fatal(err)
	}
	expect("tenant 1, REFLECT", v, XDPTx)
	if !bytes.Equal(out[0:6], frame[6:12]) || !bytes.Equal(out[6:12], frame[0:6]) || !bytes.Equal(out[12:], frame[12:]) {
		t.Errorf("REFLECT frame out % x, want the MAC addresses of % x swapped", out[:18], frame[:18])
	}
	for range 3 {
		v, _ = send(0x88b6, 2, ActionPass)
		expect("tenant 2, PASS", v, XDPPass)
	}
	v, _ = send(0x88b6, 9, ActionPass)
	expect("tenant 9 (no map)", v, XDPDrop)

	// Counters, read through the array of maps (typed inner maps)...
	want := map[uint32][ActionMax]uint64{ // packets by action
		0: {ActionPass: 1, ActionDrop: 1},
		1: {ActionDrop: 1, ActionReflect: 2},
		2: {ActionPass: 3},
	}
	for id, w := range want {
		stats, err := d.Stats(id)
		if err != nil {
			t.Fatal(err)
		}
		for action, s := range stats {
			if s.Packets != w[action] || s.Bytes != 60*w[action] {
				t.Errorf("tenant %d %s: %+v, want %d packets of 60 bytes", id, Action(action), s, w[action])
			}
		}
	}
	if _, err := d.Stats(3); !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Errorf("tenant 3: %v, want an empty slot", err)
	}
	// ... and through the maps the static slots name.
	if s, err := objs.Maps.Tenant1.Lookup(uint32(ActionReflect)); err != nil || s.Packets != 2 {
		t.Errorf("tenant1 map, REFLECT: %+v, %v; want 2 packets", s, err)
	}
	bss, err := ReadBss(objs.Collection)
	if err != nil || bss.Misses != 3 {
		t.Errorf("misses %d, %v; want 3", bss.Misses, err)
	}
}

// TestRun runs the command as a user would and checks what it prints.
func TestRun(t *testing.T) {
	kerneltest.Require(t)
	var out bytes.Buffer
	if err := run(&out, 0x88b5, "drop"); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"tenant 1 action ACTION_REFLECT -> XDP_TX",
		"tenant 7 action ACTION_PASS    -> XDP_DROP",
		"tenant 2 ACTION_PASS    packets 2, bytes 128",
		"misses 2",
	} {
		if !strings.Contains(out.String(), line+"\n") {
			t.Errorf("output lacks %q:\n%s", line, out.String())
		}
	}
}
