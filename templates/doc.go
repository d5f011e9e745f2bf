// Package templates holds the hand-written Go that mapgen's generated code is
// built from: typed wrappers around [*ebpf.Map] for every map kind, typed
// readers for ring buffers and perf event arrays, and the small runtime types
// (C _Bool, __int128, char arrays) that generated structs use.
//
// Everything here is ordinary, compiled and tested Go. mapgen only emits
// instantiations and calls, such as
//
//	type Maps struct {
//		Flows templates.Hash[FlowKey, FlowCounters]
//		...
//	}
//
//	func NewMaps(maps map[string]*ebpf.Map) (*Maps, error) {
//		var err error
//		m := &Maps{
//			Flows: templates.Open(&err, maps, "flows", ebpf.Hash, templates.NewHash[FlowKey, FlowCounters]),
//			...
//		}
//		return templates.Opened(m, err)
//	}
//
// so what users run is code this repository tests against the real kernel.
//
// # Types
//
// Key and value type parameters (K, V, E) must be fixed-layout types without
// Go pointers: integers, floats, arrays and structs of those, laid out exactly
// like their C counterparts (mapgen generates such types and proves their
// layout with compile-time assertions). Values are passed to the kernel by
// address, without reflection, encoding or copying, so a wrong type corrupts
// data silently; this is why every constructor checks the kernel's key and
// value sizes against the Go types and fails with a [*SizeError] naming the
// map on any mismatch.
//
// # Wrappers
//
// Wrappers are small values holding a *ebpf.Map (and, for per-CPU maps, a
// little shared state); copy them freely. They do not own the map: closing it
// remains the business of whoever loaded it, though every wrapper offers Map
// and Close for convenience. All methods are safe for concurrent use unless
// documented otherwise.
//
//   - [Map]: any map kind with typed keys and values; the base of [Hash] and
//     [LPMTrie].
//   - [Hash] (hash and LRU hash), [Array], [LPMTrie].
//   - [PerCPUHash] (per-CPU hash, LRU per-CPU hash) and [PerCPUArray]: one V
//     per possible CPU, with the kernel's 8-byte per-CPU stride handled here.
//   - [Queue], [Stack], [BloomFilter].
//   - [ArrayOfMaps], [HashOfMaps]: typed inner maps through an [Opener].
//   - [ProgArray].
//   - [RingBuf], [PerfEventArray]: maps of records of an event type E, read
//     with a [RingBufReader] or [PerfReader].
//   - [Untyped]: a map without keys and values to type.
//
// [Open] checks that a map of a collection has exactly the kind the object
// declares before wrapping it; the wrappers themselves accept the related
// kinds they serve (a Hash is a hash or an LRU hash).
//
// # Variables, definitions and configuration
//
//   - [Variable]: one global variable of a loaded collection, read and
//     written atomically in its section's memory where its size allows.
//   - [VariableSpec]: one global variable of a collection spec, set before
//     loading without touching the rest of its section.
//   - [MapSpec]: the definition of a map, from which Create makes new maps
//     with their BTF key and value types.
//   - [EditSections] and [LoadEdited]: the global data sections of an
//     object set in one edit, before loading.
//
// Generated files check at compile time that they were written for this
// package: see [MinVersion].
//
// # Hot path
//
// Lookup, LookupInto, Update and Delete of [Map], [Hash], [Array] and
// [LPMTrie] do not allocate; neither do LookupInto and Update of the per-CPU
// wrappers, nor ReadInto of the readers once their buffers have grown.
//
// # Iteration
//
// Iteration over a map can fail half-way (the map is closed, the kernel
// restarts a hash walk too often, ...). Wrappers therefore return an
// [*Iterator], whose All method is a range-over-func sequence and whose Err
// method reports why the sequence ended early, in the style of
// bufio.Scanner:
//
//	it := counts.Iterate()
//	for key, value := range it.All() {
//		...
//	}
//	if err := it.Err(); err != nil {
//		return err
//	}
//
// # Errors
//
// Errors from the kernel are those of github.com/cilium/ebpf: test them with
// errors.Is against [ebpf.ErrKeyNotExist], [ebpf.ErrKeyExist],
// [ebpf.ErrNotSupported] (for example batch operations on kernels before
// 5.6) and [ebpf.ErrIterationAborted].
package templates
