// Package bpf2goload is what bpf2go (github.com/cilium/ebpf/cmd/bpf2go, the
// version in go.mod) generates for ../../packetcount.c: its own objects, Go
// types and loader (LoadPacketcountObjects, PacketcountObjects, ...). The
// packetcount tests load the program through it and drive the maps with
// mapgen's typed wrappers, as a project migrating from bpf2go would.
//
// Regenerate with go generate (needs clang-19 and llvm-strip-19).
package bpf2goload

//go:generate go run github.com/cilium/ebpf/cmd/bpf2go -cc clang-19 -strip llvm-strip-19 -cflags "-O2 -g -Wall -Werror -mcpu=v3 -I/usr/include/x86_64-linux-gnu" -target bpfel,bpfeb Packetcount ../../packetcount.c
