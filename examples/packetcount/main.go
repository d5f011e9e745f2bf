// Command packetcount counts IPv4 packets per IP protocol with XDP and drops
// packets whose source address is in a blocked prefix.
//
// By default it runs the XDP program on a few handmade frames with
// BPF_PROG_TEST_RUN, so it needs no network interface; with -iface it attaches
// to that interface and prints the counters every second until interrupted.
//
//	sudo go run . -block 192.0.2.128/25
//	sudo go run . -iface lo
package main

//go:generate go run github.com/mapgen/mapgen/cmd/mapgen --embed -o packetcount.go packetcount_bpfel.o packetcount_bpfeb.o

import (
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/rlimit"
)

func main() {
	block := flag.String("block", "198.51.100.0/24,10.0.0.0/8", "comma-separated IPv4 prefixes to drop")
	iface := flag.String("iface", "", "attach to this interface instead of running handmade frames")
	flag.Parse()
	if err := run(os.Stdout, *block, *iface); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer, block, iface string) error {
	// Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK.
	if err := rlimit.RemoveMemlock(); err != nil {
		return err
	}
	objs, err := Load(nil)
	if err != nil {
		return err
	}
	defer objs.Close()

	for _, s := range strings.Split(block, ",") {
		p, err := netip.ParsePrefix(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		if err := Block(objs.Maps, p); err != nil {
			return err
		}
	}

	if iface == "" {
		return demo(w, objs)
	}
	ifi, err := net.InterfaceByName(iface)
	if err != nil {
		return err
	}
	l, err := link.AttachXDP(link.XDPOptions{Program: objs.Programs.CountPackets, Interface: ifi.Index})
	if err != nil {
		return err
	}
	defer l.Close()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return nil
		case <-tick.C:
			if err := Report(w, objs.Maps); err != nil {
				return err
			}
		}
	}
}

// demo runs the program on handmade frames and prints what it counted.
func demo(w io.Writer, objs *Objects) error {
	frames := []struct {
		src   string
		proto uint8
		size  int
	}{
		{"192.0.2.1", ProtoTCP, 100},
		{"192.0.2.2", ProtoTCP, 1500},
		{"203.0.113.9", ProtoUDP, 60},
		{"198.51.100.7", ProtoUDP, 80}, // in 198.51.100.0/24
		{"10.1.2.3", ProtoICMP, 84},    // in 10.0.0.0/8
	}
	for _, f := range frames {
		frame := IPv4Frame(netip.MustParseAddr(f.src), netip.MustParseAddr("192.0.2.254"), f.proto, f.size)
		verdict, err := objs.Programs.CountPackets.Run(&ebpf.RunOptions{Data: frame})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%-15s %-4s %4d bytes: %s\n", f.src, protoName(uint32(f.proto)), f.size, xdpVerdict(verdict))
	}
	return Report(w, objs.Maps)
}

// Block drops packets from the addresses of p.
func Block(m *Maps, p netip.Prefix) error {
	if !p.Addr().Is4() {
		return fmt.Errorf("%s: only IPv4 prefixes can be blocked", p)
	}
	key := Ipv4Prefix{Prefixlen: uint32(p.Bits()), Addr: p.Masked().Addr().As4()}
	return m.Blocked.Update(key, 0, ebpf.UpdateAny)
}

// Total returns the counters of one protocol summed over all CPUs.
func Total(m *Maps, proto uint32) (Counters, error) {
	return m.Counters.Sum(proto, func(acc, c Counters) Counters {
		acc.Packets += c.Packets
		acc.Bytes += c.Bytes
		acc.Dropped += c.Dropped
		return acc
	})
}

// Report prints the counters of every protocol seen and the drops of every
// blocked prefix.
func Report(w io.Writer, m *Maps) error {
	var protos []uint32
	it := m.Counters.Iterate()
	for proto := range it.Keys() {
		protos = append(protos, proto)
	}
	if err := it.Err(); err != nil {
		return err
	}
	slices.Sort(protos)
	for _, proto := range protos {
		c, err := Total(m, proto)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%-5s packets %d, bytes %d, dropped %d\n", protoName(proto), c.Packets, c.Bytes, c.Dropped)
	}
	rules := m.Blocked.Iterate()
	for key, hits := range rules.All() {
		p := netip.PrefixFrom(netip.AddrFrom4(key.Addr), int(key.Prefixlen))
		fmt.Fprintf(w, "blocked %s: %d dropped\n", p, hits)
	}
	return rules.Err()
}

// IP protocol numbers.
const (
	ProtoICMP = 1
	ProtoTCP  = 6
	ProtoUDP  = 17
)

func protoName(p uint32) string {
	switch p {
	case ProtoICMP:
		return "icmp"
	case ProtoTCP:
		return "tcp"
	case ProtoUDP:
		return "udp"
	}
	return fmt.Sprintf("ip%d", p)
}

func xdpVerdict(v uint32) string {
	switch v {
	case 1:
		return "XDP_DROP"
	case 2:
		return "XDP_PASS"
	}
	return fmt.Sprintf("XDP(%d)", v)
}

// IPv4Frame returns an Ethernet frame of size bytes (at least 34) carrying an
// IPv4 packet from src to dst with IP protocol proto and a zero payload.
func IPv4Frame(src, dst netip.Addr, proto uint8, size int) []byte {
	const ethLen, ipLen = 14, 20
	if size < ethLen+ipLen {
		panic("IPv4Frame: size below 34 bytes")
	}
	f := make([]byte, size)
	copy(f[0:6], []byte{0x02, 0, 0, 0, 0, 2})    // destination MAC
	copy(f[6:12], []byte{0x02, 0, 0, 0, 0, 1})   // source MAC
	binary.BigEndian.PutUint16(f[12:14], 0x0800) // EtherType IPv4
	ip := f[ethLen:]
	ip[0] = 0x45 // version 4, 20-byte header
	binary.BigEndian.PutUint16(ip[2:4], uint16(size-ethLen))
	ip[8] = 64 // TTL
	ip[9] = proto
	s, d := src.As4(), dst.As4()
	copy(ip[12:16], s[:])
	copy(ip[16:20], d[:])
	var sum uint32
	for i := 0; i < ipLen; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(ip[i:]))
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	binary.BigEndian.PutUint16(ip[10:12], ^uint16(sum))
	return f
}
