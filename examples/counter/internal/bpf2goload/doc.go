// Package bpf2goload is what bpf2go (github.com/cilium/ebpf/cmd/bpf2go, the
// version in go.mod) generates for ../../counter.c: its own objects, Go
// types and loader (LoadCounterObjects, CounterObjects, ...). The counter
// tests load the program through it and use mapgen's typed maps, programs
// and variables over bpf2go's objects, as a project migrating from bpf2go
// would; its file is also the measure of the generated file's size.
//
// Regenerate with go generate (needs clang-19 and llvm-strip-19).
package bpf2goload

//go:generate go run github.com/cilium/ebpf/cmd/bpf2go -cc clang-19 -strip llvm-strip-19 -cflags "-O2 -g -Wall -Werror -mcpu=v3 -I/usr/include/x86_64-linux-gnu" -target bpfel,bpfeb Counter ../../counter.c
