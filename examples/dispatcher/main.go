// Command dispatcher runs an XDP dispatcher on handmade frames with
// BPF_PROG_TEST_RUN and prints the verdicts and the per-tenant counters.
//
// The program tail-calls one handler per action through a program array and
// counts frames in one inner map per tenant, in an array of maps. Tenants 0
// and 1 and the PASS and DROP handlers are installed by the object's static
// .values; this command adds tenant 2 and the REFLECT handler at run time.
// Its configuration (-ethertype, -miss) is set in .rodata before loading.
//
//	sudo go run .
//	sudo go run . -miss drop
package main

//go:generate go run github.com/mapgen/mapgen/cmd/mapgen --embed -o dispatcher.go dispatcher_bpfel.o dispatcher_bpfeb.o

import (
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/rlimit"
	"github.com/mapgen/mapgen/templates"
)

func main() {
	def := DefaultRodata().Cfg
	ethertype := flag.Uint("ethertype", uint(def.Ethertype), "EtherType of the frames to dispatch")
	miss := flag.String("miss", "pass", "verdict for frames without tenant map or handler: aborted, drop, pass or tx")
	flag.Parse()
	if err := run(os.Stdout, uint16(*ethertype), *miss); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer, ethertype uint16, miss string) error {
	verdict, err := parseVerdict(miss)
	if err != nil {
		return err
	}
	d, err := Start(Config{Ethertype: ethertype, Miss: verdict})
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Objects.Maps.Handlers.Set(uint32(ActionReflect), d.Objects.Programs.HandleReflect); err != nil {
		return err
	}
	if err := d.AddTenant(2); err != nil {
		return err
	}

	for _, m := range []struct{ tenant, action uint8 }{
		{0, uint8(ActionPass)},
		{0, uint8(ActionDrop)},
		{1, uint8(ActionReflect)},
		{2, uint8(ActionPass)},
		{2, uint8(ActionPass)},
		{7, uint8(ActionPass)}, // no map for tenant 7
		{1, 3},                 // no handler for action 3
	} {
		v, _, err := d.Send(MsgFrame(ethertype, m.tenant, m.action, 64))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "tenant %d action %-14s -> %s\n", m.tenant, Action(m.action), v)
	}
	return d.Report(w)
}

// Dispatcher is the loaded dispatcher.
type Dispatcher struct {
	Objects *Objects
	// tenant is the definition of the tenants' inner maps, with BTF.
	tenant templates.MapSpec[templates.Array[ActionStats]]
}

// Start loads the dispatcher with cfg in .rodata.
func Start(cfg Config) (*Dispatcher, error) {
	// Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK.
	if err := rlimit.RemoveMemlock(); err != nil {
		return nil, err
	}
	spec, err := LoadSpec()
	if err != nil {
		return nil, err
	}
	specs, err := NewMapSpecs(spec)
	if err != nil {
		return nil, err
	}
	objs, err := LoadObjectsWith(spec, func(g *Globals) { g.Rodata.Cfg = cfg }, nil)
	if err != nil {
		return nil, err
	}
	return &Dispatcher{Objects: objs, tenant: specs.TenantsInner}, nil
}

// Close releases the programs and maps.
func (d *Dispatcher) Close() error { return d.Objects.Close() }

// AddTenant creates a map for tenant id, typed in BTF as the object's own
// tenant maps are, and puts it in the tenants array.
func (d *Dispatcher) AddTenant(id uint32) error {
	inner, err := d.tenant.Create(fmt.Sprintf("tenant%d", id))
	if err != nil {
		return err
	}
	defer inner.Close() // the array of maps keeps its own reference
	return d.Objects.Maps.Tenants.Set(id, inner)
}

// Send runs the dispatcher on frame and returns its verdict and the frame as
// the program left it.
func (d *Dispatcher) Send(frame []byte) (XDPAction, []byte, error) {
	out := make([]byte, len(frame))
	v, err := d.Objects.Programs.Dispatch.Run(&ebpf.RunOptions{Data: frame, DataOut: out})
	return XDPAction(v), out, err
}

// Stats returns the counters of tenant id by action.
func (d *Dispatcher) Stats(id uint32) ([]ActionStats, error) {
	inner, err := d.Objects.Maps.Tenants.Get(id)
	if err != nil {
		return nil, err
	}
	defer inner.Close()
	stats := make([]ActionStats, inner.Len())
	return stats, inner.ReadAll(stats)
}

// Report prints the counters of every tenant and the misses.
func (d *Dispatcher) Report(w io.Writer) error {
	it := d.Objects.Maps.Tenants.Iterate()
	for id := range it.Keys() {
		stats, err := d.Stats(id)
		if err != nil {
			return err
		}
		for action, s := range stats {
			if s.Packets > 0 {
				fmt.Fprintf(w, "tenant %d %-14s packets %d, bytes %d\n", id, Action(action), s.Packets, s.Bytes)
			}
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	bss, err := ReadBss(d.Objects.Collection)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "misses %d\n", bss.Misses)
	return nil
}

// MsgFrame returns an Ethernet frame of size bytes (at least 18) of the given
// EtherType carrying a message for tenant and action.
func MsgFrame(ethertype uint16, tenant, action uint8, size int) []byte {
	f := make([]byte, max(size, 18))
	copy(f[0:6], []byte{0x02, 0, 0, 0, 0, 2})  // destination MAC
	copy(f[6:12], []byte{0x02, 0, 0, 0, 0, 1}) // source MAC
	binary.BigEndian.PutUint16(f[12:14], ethertype)
	f[14], f[15] = tenant, action
	binary.BigEndian.PutUint16(f[16:18], uint16(len(f)-14))
	return f
}

func parseVerdict(s string) (XDPAction, error) {
	for v := XDPAborted; v <= XDPRedirect; v++ {
		if strings.EqualFold("XDP_"+s, v.String()) {
			return v, nil
		}
	}
	return 0, fmt.Errorf("unknown verdict %q", s)
}
