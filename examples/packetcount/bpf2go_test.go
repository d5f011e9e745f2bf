package main

import (
	"net/netip"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/mapgen/mapgen/examples/packetcount/internal/bpf2goload"
	"github.com/mapgen/mapgen/internal/kerneltest"
)

// TestBpf2goLoader loads packetcount.c through the loader bpf2go generated
// (internal/bpf2goload, its own objects) and drives the maps and programs
// through mapgen's typed wrappers, built from bpf2go's fields: what a
// project migrating from bpf2go does while it still loads with bpf2go.
func TestBpf2goLoader(t *testing.T) {
	kerneltest.Require(t)
	var objs bpf2goload.PacketcountObjects
	if err := bpf2goload.LoadPacketcountObjects(&objs, nil); err != nil {
		t.Fatal(err)
	}
	defer objs.Close()

	// mapgen's wrappers over bpf2go's maps: NewMaps checks kinds and sizes.
	maps, err := NewMaps(map[string]*ebpf.Map{
		MapCounters: objs.Counters,
		MapBlocked:  objs.Blocked,
	})
	if err != nil {
		t.Fatal(err)
	}
	progs, err := NewPrograms(map[string]*ebpf.Program{ProgCountPackets: objs.CountPackets})
	if err != nil {
		t.Fatal(err)
	}
	if err := Block(maps, netip.MustParsePrefix("198.51.100.0/24")); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{"198.51.100.1", "198.51.100.2", "192.0.2.1"} {
		frame := IPv4Frame(netip.MustParseAddr(src), netip.MustParseAddr("192.0.2.254"), ProtoUDP, 100)
		if _, err := progs.CountPackets.Run(&ebpf.RunOptions{Data: frame}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Total(maps, ProtoUDP)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Counters{Packets: 3, Bytes: 300, Dropped: 2}); got != want {
		t.Errorf("udp counters %+v, want %+v", got, want)
	}
	hits, err := maps.Blocked.Lookup(Ipv4Prefix{Prefixlen: 32, Addr: [4]byte{198, 51, 100, 77}})
	if err != nil || hits != 2 {
		t.Errorf("198.51.100.0/24: %d drops, %v; want 2", hits, err)
	}

	// bpf2go's code, with its own types, sees through the untyped *ebpf.Map
	// what mapgen's wrappers wrote. (The types do not convert into each
	// other: each has its own blank field of type structs.HostLayout, and
	// blank fields of two packages differ.)
	key := bpf2goload.PacketcountIpv4Prefix{Prefixlen: 24, Addr: [4]uint8{198, 51, 100, 0}}
	var n uint64
	if err := objs.Blocked.Lookup(&key, &n); err != nil || n != 2 {
		t.Errorf("bpf2go map, bpf2go key: %d drops, %v; want 2", n, err)
	}
	var perCPU []bpf2goload.PacketcountCounters
	if err := objs.Counters.Lookup(uint32(ProtoUDP), &perCPU); err != nil {
		t.Fatal(err)
	}
	var sum Counters
	for _, c := range perCPU {
		sum.Packets += c.Packets
		sum.Bytes += c.Bytes
		sum.Dropped += c.Dropped
	}
	if sum != got || len(perCPU) != maps.Counters.PossibleCPUs() {
		t.Errorf("bpf2go map, bpf2go values: %+v over %d CPUs; the typed wrapper read %+v over %d", sum, len(perCPU), got, maps.Counters.PossibleCPUs())
	}
}

// TestBpf2goSpec loads bpf2go's embedded spec with mapgen's LoadObjects.
func TestBpf2goSpec(t *testing.T) {
	kerneltest.Require(t)
	spec, err := bpf2goload.LoadPacketcount()
	if err != nil {
		t.Fatal(err)
	}
	objs, err := LoadObjects(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer objs.Close()
	frame := IPv4Frame(netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.254"), ProtoTCP, 64)
	if _, err := objs.Programs.CountPackets.Run(&ebpf.RunOptions{Data: frame}); err != nil {
		t.Fatal(err)
	}
	if c, err := Total(objs.Maps, ProtoTCP); err != nil || c.Packets != 1 || c.Bytes != 64 {
		t.Errorf("tcp counters %+v, %v; want 1 packet of 64 bytes", c, err)
	}
}
