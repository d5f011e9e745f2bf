package templates

import (
	"errors"
	"testing"
	"unsafe"

	"github.com/cilium/ebpf"
)

// Typed wrappers against the two ways of using *ebpf.Map directly: `any`
// holding a pointer to the value (cilium/ebpf's reflection-based encoding)
// and unsafe.Pointer (zero-copy, what the wrappers use underneath).

func benchMaps(b *testing.B) (Hash[pktKey, counters], Array[counters]) {
	hm := newMap(b, hashSpec(ebpf.Hash, 12, 16, 1024))
	am := newMap(b, hashSpec(ebpf.Array, 4, 16, 1024))
	h := must[Hash[pktKey, counters]](b)(NewHash[pktKey, counters]("h", hm))
	a := must[Array[counters]](b)(NewArray[counters]("a", am))
	for i := range uint32(1024) {
		ok(b, h.Update(pktKey{Src: i}, counters{uint64(i), 1}, ebpf.UpdateAny))
	}
	return h, a
}

func BenchmarkHashLookup(b *testing.B) {
	h, _ := benchMaps(b)
	k := pktKey{Src: 7}
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := h.Lookup(k); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("any", func(b *testing.B) {
		b.ReportAllocs()
		var v counters
		for b.Loop() {
			if err := h.Map().Lookup(&k, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unsafe", func(b *testing.B) {
		b.ReportAllocs()
		var v counters
		for b.Loop() {
			if err := h.Map().Lookup(unsafe.Pointer(&k), unsafe.Pointer(&v)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkHashUpdate(b *testing.B) {
	h, _ := benchMaps(b)
	k, v := pktKey{Src: 7}, counters{1, 2}
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := h.Update(k, v, ebpf.UpdateAny); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("any", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := h.Map().Update(&k, &v, ebpf.UpdateAny); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unsafe", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := h.Map().Update(unsafe.Pointer(&k), unsafe.Pointer(&v), ebpf.UpdateAny); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkArrayLookup(b *testing.B) {
	_, a := benchMaps(b)
	i := uint32(7)
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := a.Lookup(i); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("any", func(b *testing.B) {
		b.ReportAllocs()
		var v counters
		for b.Loop() {
			if err := a.Map().Lookup(&i, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unsafe", func(b *testing.B) {
		b.ReportAllocs()
		var v counters
		for b.Loop() {
			if err := a.Map().Lookup(unsafe.Pointer(&i), unsafe.Pointer(&v)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkArrayUpdate(b *testing.B) {
	_, a := benchMaps(b)
	i, v := uint32(7), counters{1, 2}
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := a.Update(i, v, ebpf.UpdateAny); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("any", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := a.Map().Update(&i, &v, ebpf.UpdateAny); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unsafe", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := a.Map().Update(unsafe.Pointer(&i), unsafe.Pointer(&v), ebpf.UpdateAny); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkHashDelete(b *testing.B) {
	h, _ := benchMaps(b)
	k, v := pktKey{Src: 7}, counters{1, 2}
	// Each op deletes a key the op before it stored again.
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ok(b, h.Delete(k))
			ok(b, h.Update(k, v, ebpf.UpdateAny))
		}
	})
	b.Run("any", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ok(b, h.Map().Delete(&k))
			ok(b, h.Map().Update(&k, &v, ebpf.UpdateAny))
		}
	})
	b.Run("unsafe", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ok(b, h.Map().Delete(unsafe.Pointer(&k)))
			ok(b, h.Map().Update(unsafe.Pointer(&k), unsafe.Pointer(&v), ebpf.UpdateAny))
		}
	})
}

// iterEntries is the size of the hash the iteration and batch benchmarks
// walk.
const iterEntries = 10_000

func bigHash(b *testing.B) Hash[pktKey, counters] {
	m := newMap(b, hashSpec(ebpf.Hash, 12, 16, iterEntries))
	h := must[Hash[pktKey, counters]](b)(NewHash[pktKey, counters]("h", m))
	for i := range uint32(iterEntries) {
		ok(b, h.Update(pktKey{Src: i}, counters{uint64(i), 1}, ebpf.UpdateAny))
	}
	return h
}

// BenchmarkHashIterate walks a 10,000-entry hash per op: the typed
// iterator (batch lookups) against cilium/ebpf's MapIterator with `any`
// and with unsafe.Pointer (a NextKey and a Lookup per entry).
func BenchmarkHashIterate(b *testing.B) {
	h := bigHash(b)
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			it := h.Iterate()
			n := 0
			for range it.All() {
				n++
			}
			if it.Err() != nil || n != iterEntries {
				b.Fatal(n, it.Err())
			}
		}
	})
	b.Run("any", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var k pktKey
			var v counters
			it := h.Map().Iterate()
			n := 0
			for it.Next(&k, &v) {
				n++
			}
			if it.Err() != nil || n != iterEntries {
				b.Fatal(n, it.Err())
			}
		}
	})
	b.Run("unsafe", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var k pktKey
			var v counters
			it := h.Map().Iterate()
			n := 0
			for it.Next(unsafe.Pointer(&k), unsafe.Pointer(&v)) {
				n++
			}
			if it.Err() != nil || n != iterEntries {
				b.Fatal(n, it.Err())
			}
		}
	})
}

// BenchmarkHashBatchLookup reads the 10,000-entry hash 1,024 entries per
// call.
func BenchmarkHashBatchLookup(b *testing.B) {
	h := bigHash(b)
	keys, values := make([]pktKey, 1024), make([]counters, 1024)
	walk := func(b *testing.B, lookup func(*ebpf.MapBatchCursor) (int, error)) {
		b.ReportAllocs()
		for b.Loop() {
			var cursor ebpf.MapBatchCursor
			total := 0
			for {
				n, err := lookup(&cursor)
				total += n
				if errors.Is(err, ebpf.ErrKeyNotExist) {
					break
				}
				ok(b, err)
			}
			if total != iterEntries {
				b.Fatal(total)
			}
		}
	}
	b.Run("typed", func(b *testing.B) {
		walk(b, func(c *ebpf.MapBatchCursor) (int, error) { return h.BatchLookup(c, keys, values, nil) })
	})
	b.Run("any", func(b *testing.B) {
		walk(b, func(c *ebpf.MapBatchCursor) (int, error) { return h.Map().BatchLookup(c, keys, values, nil) })
	})
}

// Per-CPU maps: cilium/ebpf takes no unsafe.Pointer for their values, so
// `any` (a []V, decoded with reflection) is the only direct path.

func BenchmarkPerCPULookup(b *testing.B) {
	m := newMap(b, hashSpec(ebpf.PerCPUHash, 4, 12, 16))
	h := must[PerCPUHash[uint32, v12]](b)(NewPerCPUHash[uint32, v12]("p", m))
	ok(b, h.Update(1, []v12{{1, 2, 3}}, ebpf.UpdateAny))
	k := uint32(1)
	dst := make([]v12, h.PossibleCPUs())
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ok(b, h.LookupInto(&k, dst))
		}
	})
	b.Run("any", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ok(b, m.Lookup(&k, dst))
		}
	})
}

func BenchmarkPerCPUUpdate(b *testing.B) {
	m := newMap(b, hashSpec(ebpf.PerCPUHash, 4, 12, 16))
	h := must[PerCPUHash[uint32, v12]](b)(NewPerCPUHash[uint32, v12]("p", m))
	k := uint32(1)
	vals := make([]v12, h.PossibleCPUs())
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ok(b, h.Update(k, vals, ebpf.UpdateAny))
		}
	})
	b.Run("any", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ok(b, m.Update(&k, vals, ebpf.UpdateAny))
		}
	})
}

// BenchmarkPerCPUBatch writes and reads 1,024 entries of a per-CPU hash
// with 12-byte values (stride 16) in one batch each.
func BenchmarkPerCPUBatch(b *testing.B) {
	const n = 1024
	m := newMap(b, hashSpec(ebpf.PerCPUHash, 4, 12, n))
	h := must[PerCPUHash[uint32, v12]](b)(NewPerCPUHash[uint32, v12]("p", m))
	keys := make([]uint32, n)
	for i := range keys {
		keys[i] = uint32(i)
	}
	vals := make([]v12, n*h.PossibleCPUs())
	if _, err := h.BatchUpdate(keys, vals, nil); errors.Is(err, ebpf.ErrNotSupported) {
		b.Skip(err)
	}
	out := make([]uint32, n)
	lookup := func(b *testing.B, f func(*ebpf.MapBatchCursor) (int, error)) {
		b.ReportAllocs()
		for b.Loop() {
			var c ebpf.MapBatchCursor
			if got, err := f(&c); got != n || (err != nil && !errors.Is(err, ebpf.ErrKeyNotExist)) {
				b.Fatal(got, err)
			}
		}
	}
	b.Run("update/typed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			must[int](b)(h.BatchUpdate(keys, vals, nil))
		}
	})
	b.Run("update/any", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			must[int](b)(m.BatchUpdate(keys, vals, nil))
		}
	})
	b.Run("lookup/typed", func(b *testing.B) {
		lookup(b, func(c *ebpf.MapBatchCursor) (int, error) { return h.BatchLookup(c, out, vals, nil) })
	})
	b.Run("lookup/any", func(b *testing.B) {
		lookup(b, func(c *ebpf.MapBatchCursor) (int, error) { return m.BatchLookup(c, out, vals, nil) })
	})
}
