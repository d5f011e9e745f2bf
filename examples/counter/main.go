// Command counter counts packets per flow with XDP, reports packets larger
// than a size set before loading, and counts every packet in a global
// variable. It runs its program on three handmade frames with
// BPF_PROG_TEST_RUN, so it needs no network interface:
//
//	sudo go run .
//
// The whole API in use is in README.md, "The generated API".
package main

//go:generate go run github.com/mapgen/mapgen/cmd/mapgen --embed --event events=flow_event -o counter.go counter_bpfel.o counter_bpfeb.o

import (
	"fmt"
	"log"

	"github.com/cilium/ebpf"
)

func main() {
	objs, err := LoadWith(func(g *Globals) {
		g.Rodata.Cfg.BigPacket = 1000 // .rodata, set before the verifier sees it
	}, nil)
	check(err)
	defer objs.Close()
	events, err := objs.Maps.Events.NewReader() // records decoded as FlowEvent
	check(err)
	defer events.Close()
	for _, size := range []int{64, 1200, 1500} { // Ethernet type 0: not IP
		_, err := objs.Programs.CountPackets.Run(&ebpf.RunOptions{Data: make([]byte, size)})
		check(err)
	}
	flows := objs.Maps.Flows.Iterate() // FlowKey to FlowCounters
	for key, c := range flows.All() {
		fmt.Printf("ifindex %d proto %d: %d packets, %d bytes\n", key.Ifindex, key.Proto, c.Packets, c.Bytes)
	}
	check(flows.Err())
	for range 2 { // 1200 and 1500 bytes are more than 1000
		ev, err := events.Read()
		check(err)
		fmt.Printf("big packet: %d bytes\n", ev.Event.Len)
	}
	fmt.Printf("%d packets seen\n", objs.Variables.PacketsSeen.Load()) // a .bss variable
	check(objs.Variables.Counting.Store(0))                            // stop the per-flow counts
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
