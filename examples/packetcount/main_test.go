package main

import (
	"bytes"
	"net/netip"
	"strings"
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
)

// TestCountAndDrop runs the XDP program on handmade frames and checks the
// verdicts, the per-protocol counters summed over CPUs and the drops per
// blocked prefix.
func TestCountAndDrop(t *testing.T) {
	kerneltest.Require(t)
	objs, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer objs.Close()
	for _, p := range []string{"10.0.0.0/8", "192.0.2.128/25"} {
		if err := Block(objs.Maps, netip.MustParsePrefix(p)); err != nil {
			t.Fatal(err)
		}
	}

	frames := []struct {
		src     string
		proto   uint8
		size    int
		verdict uint32
	}{
		{"192.0.2.1", ProtoTCP, 100, xdpPass},
		{"192.0.2.127", ProtoTCP, 200, xdpPass},
		{"192.0.2.128", ProtoTCP, 300, xdpDrop},
		{"192.0.2.255", ProtoUDP, 64, xdpDrop},
		{"10.200.0.1", ProtoUDP, 70, xdpDrop},
		{"11.0.0.1", ProtoUDP, 80, xdpPass},
		{"10.0.0.1", ProtoICMP, 98, xdpDrop},
	}
	for _, f := range frames {
		frame := IPv4Frame(netip.MustParseAddr(f.src), netip.MustParseAddr("192.0.2.254"), f.proto, f.size)
		got, err := objs.Programs.CountPackets.Run(&ebpf.RunOptions{Data: frame})
		if err != nil {
			t.Fatal(err)
		}
		if got != f.verdict {
			t.Errorf("%s proto %d: verdict %d, want %d", f.src, f.proto, got, f.verdict)
		}
	}
	// Not IPv4: passed, not counted.
	arp := IPv4Frame(netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2"), ProtoTCP, 60)
	arp[12], arp[13] = 0x08, 0x06
	if got, err := objs.Programs.CountPackets.Run(&ebpf.RunOptions{Data: arp}); err != nil || got != xdpPass {
		t.Errorf("ARP frame: verdict %d, %v; want %d", got, err, xdpPass)
	}

	want := map[uint32]Counters{
		ProtoTCP:  {Packets: 3, Bytes: 600, Dropped: 1},
		ProtoUDP:  {Packets: 3, Bytes: 214, Dropped: 2},
		ProtoICMP: {Packets: 1, Bytes: 98, Dropped: 1},
	}
	it := objs.Maps.Counters.Iterate()
	seen := 0
	for proto, perCPU := range it.All() {
		seen++
		if len(perCPU) != objs.Maps.Counters.PossibleCPUs() {
			t.Errorf("proto %d: %d per-CPU values, want %d", proto, len(perCPU), objs.Maps.Counters.PossibleCPUs())
		}
		got, err := Total(objs.Maps, proto)
		if err != nil {
			t.Fatal(err)
		}
		if got != want[proto] {
			t.Errorf("proto %d: counters %+v, want %+v", proto, got, want[proto])
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if seen != len(want) {
		t.Errorf("%d protocols counted, want %d", seen, len(want))
	}

	hits := map[netip.Prefix]uint64{}
	rules := objs.Maps.Blocked.Iterate()
	for key, n := range rules.All() {
		hits[netip.PrefixFrom(netip.AddrFrom4(key.Addr), int(key.Prefixlen))] = n
	}
	if err := rules.Err(); err != nil {
		t.Fatal(err)
	}
	wantHits := map[netip.Prefix]uint64{
		netip.MustParsePrefix("10.0.0.0/8"):     2,
		netip.MustParsePrefix("192.0.2.128/25"): 2,
	}
	if len(hits) != len(wantHits) || hits[netip.MustParsePrefix("10.0.0.0/8")] != 2 || hits[netip.MustParsePrefix("192.0.2.128/25")] != 2 {
		t.Errorf("drops per prefix %v, want %v", hits, wantHits)
	}

	// The longest prefix wins: a /32 inside 10.0.0.0/8 takes over its hits.
	if err := Block(objs.Maps, netip.MustParsePrefix("10.0.0.1/32")); err != nil {
		t.Fatal(err)
	}
	frame := IPv4Frame(netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("192.0.2.254"), ProtoICMP, 98)
	if _, err := objs.Programs.CountPackets.Run(&ebpf.RunOptions{Data: frame, Repeat: 5}); err != nil {
		t.Fatal(err)
	}
	n, err := objs.Maps.Blocked.Lookup(Ipv4Prefix{Prefixlen: 32, Addr: [4]byte{10, 0, 0, 1}})
	if err != nil || n != 5 {
		t.Errorf("10.0.0.1/32: %d drops, %v; want 5", n, err)
	}
	n, err = objs.Maps.Blocked.Lookup(Ipv4Prefix{Prefixlen: 32, Addr: [4]byte{10, 9, 9, 9}})
	if err != nil || n != 2 {
		t.Errorf("10.0.0.0/8 (looked up as 10.9.9.9): %d drops, %v; want 2", n, err)
	}
}

// TestRun runs the command as a user would, without -iface, and checks what
// it prints.
func TestRun(t *testing.T) {
	kerneltest.Require(t)
	var out bytes.Buffer
	if err := run(&out, "198.51.100.0/24, 10.0.0.0/8", ""); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"198.51.100.7    udp    80 bytes: XDP_DROP",
		"tcp   packets 2, bytes 1600, dropped 0",
		"udp   packets 2, bytes 140, dropped 1",
		"blocked 10.0.0.0/8: 1 dropped",
	} {
		if !strings.Contains(out.String(), line+"\n") {
			t.Errorf("output lacks %q:\n%s", line, out.String())
		}
	}
}
