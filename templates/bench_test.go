package templates

import (
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

// BenchmarkHashIterate walks 1024 entries per op.
func BenchmarkHashIterate(b *testing.B) {
	h, _ := benchMaps(b)
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			it := h.Iterate()
			n := 0
			for range it.All() {
				n++
			}
			if it.Err() != nil || n != 1024 {
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
			if it.Err() != nil || n != 1024 {
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
			if it.Err() != nil || n != 1024 {
				b.Fatal(n, it.Err())
			}
		}
	})
}

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
