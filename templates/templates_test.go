package templates

import (
	"errors"
	"maps"
	"math/big"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/cilium/ebpf"
)

func hashSpec(typ ebpf.MapType, k, v uint32, n uint32) *ebpf.MapSpec {
	return &ebpf.MapSpec{Type: typ, KeySize: k, ValueSize: v, MaxEntries: n}
}

func TestHash(t *testing.T) {
	for _, typ := range []ebpf.MapType{ebpf.Hash, ebpf.LRUHash} {
		t.Run(typ.String(), func(t *testing.T) {
			m := newMap(t, hashSpec(typ, 12, 16, 128))
			h := must[Hash[pktKey, counters]](t)(NewHash[pktKey, counters]("counts", m))
			k := pktKey{Src: 1, Dst: 2, Port: 80, Proto: 6}
			if _, err := h.Lookup(k); !errors.Is(err, ebpf.ErrKeyNotExist) {
				t.Fatalf("Lookup of missing key: %v", err)
			}
			ok(t, h.Update(k, counters{3, 4}, ebpf.UpdateNoExist))
			if err := h.Update(k, counters{3, 4}, ebpf.UpdateNoExist); !errors.Is(err, ebpf.ErrKeyExist) {
				t.Fatalf("UpdateNoExist on present key: %v", err)
			}
			if got := must[counters](t)(h.Lookup(k)); got != (counters{3, 4}) {
				t.Fatalf("Lookup = %+v", got)
			}
			var got counters
			ok(t, h.LookupInto(&k, &got))
			// Untyped view must agree byte for byte.
			raw := must[[]byte](t)(m.LookupBytes(unsafe.Pointer(&k)))
			if want := unsafe.Slice((*byte)(unsafe.Pointer(&got)), 16); !slices.Equal(raw, want) {
				t.Fatalf("raw %x, typed %x", raw, want)
			}
			ok(t, h.UpdatePtr(&k, &counters{5, 6}, ebpf.UpdateExist))
			if got := must[counters](t)(h.LookupAndDelete(k)); got != (counters{5, 6}) && typ == ebpf.Hash {
				t.Fatalf("LookupAndDelete = %+v", got)
			}
			ok(t, h.Update(k, counters{7, 8}, ebpf.UpdateAny))
			ok(t, h.Delete(k))
			if err := h.Delete(k); !errors.Is(err, ebpf.ErrKeyNotExist) {
				t.Fatalf("Delete of missing key: %v", err)
			}
		})
	}
}

func TestHashIterate(t *testing.T) {
	m := newMap(t, hashSpec(ebpf.Hash, 4, 8, 64))
	h := must[Hash[uint32, uint64]](t)(NewHash[uint32, uint64]("h", m))
	want := map[uint32]uint64{}
	for i := range uint32(40) {
		want[i] = uint64(i) * 1000
		ok(t, h.Update(i, uint64(i)*1000, ebpf.UpdateAny))
	}
	it := h.Iterate()
	got := maps.Collect(it.All())
	ok(t, it.Err())
	if !maps.Equal(got, want) {
		t.Fatalf("iterated %v, want %v", got, want)
	}
	// Early break is not an error.
	n := 0
	for range it.All() {
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 || it.Err() != nil {
		t.Fatalf("break: n=%d err=%v", n, it.Err())
	}
	if keys := slices.Collect(it.Keys()); len(keys) != 40 {
		t.Fatalf("Keys: %d", len(keys))
	}
}

// TestHashIterateMany: a walk over many batch lookups sees every entry
// once, with its value.
func TestHashIterateMany(t *testing.T) {
	const entries = 10_000
	m := newMap(t, hashSpec(ebpf.Hash, 12, 16, entries))
	h := must[Hash[pktKey, counters]](t)(NewHash[pktKey, counters]("h", m))
	for i := range uint32(entries) {
		ok(t, h.Update(pktKey{Src: i, Port: uint16(i)}, counters{uint64(i), 2 * uint64(i)}, ebpf.UpdateAny))
	}
	it := h.Iterate()
	seen := make(map[pktKey]bool, entries)
	for k, v := range it.All() {
		if seen[k] {
			t.Fatalf("%+v seen twice", k)
		}
		seen[k] = true
		if want := (counters{uint64(k.Src), 2 * uint64(k.Src)}); v != want || k.Port != uint16(k.Src) {
			t.Fatalf("%+v = %+v, want %+v", k, v, want)
		}
	}
	ok(t, it.Err())
	if len(seen) != entries {
		t.Fatalf("iterated %d of %d entries", len(seen), entries)
	}
}

// TestIterateError: a failing bpf() call ends the walk with an error. The
// map holds more entries than one batch lookup returns, so the walk needs
// another call after the map is closed.
func TestIterateError(t *testing.T) {
	const entries = 3 * iterBatchSize
	m := newMap(t, hashSpec(ebpf.Hash, 4, 8, 4*iterBatchSize))
	clone := must[*ebpf.Map](t)(m.Clone())
	h := must[Hash[uint32, uint64]](t)(NewHash[uint32, uint64]("h", clone))
	for i := range uint32(entries) {
		ok(t, h.Update(i, 1, ebpf.UpdateAny))
	}
	it := h.Iterate()
	n := 0
	for range it.All() {
		if n++; n == 1 {
			ok(t, clone.Close()) // a later step must fail
		}
	}
	if n >= entries || it.Err() == nil {
		t.Fatalf("after close: %d of %d entries, err %v", n, entries, it.Err())
	}
	t.Log(it.Err())
	// A fresh range resets Err and fails again.
	for range it.All() {
		t.Fatal("yielded from closed map")
	}
	if it.Err() == nil {
		t.Fatal("no error on closed map")
	}
}

func TestArray(t *testing.T) {
	m := newMap(t, hashSpec(ebpf.Array, 4, 16, 8))
	a := must[Array[counters]](t)(NewArray[counters]("arr", m))
	if a.Len() != 8 {
		t.Fatal(a.Len())
	}
	for i := range a.Len() {
		ok(t, a.Update(i, counters{uint64(i), uint64(i) * 2}, ebpf.UpdateAny))
	}
	if got := must[counters](t)(a.Lookup(5)); got != (counters{5, 10}) {
		t.Fatal(got)
	}
	if _, err := a.Lookup(8); !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Fatalf("out of range: %v", err)
	}
	it := a.Iterate()
	var idx []uint32
	for i, v := range it.All() {
		if v != (counters{uint64(i), uint64(i) * 2}) {
			t.Fatalf("element %d = %+v", i, v)
		}
		idx = append(idx, i)
	}
	ok(t, it.Err())
	if !slices.Equal(idx, []uint32{0, 1, 2, 3, 4, 5, 6, 7}) {
		t.Fatal(idx)
	}
	all := make([]counters, 8)
	ok(t, a.ReadAll(all))
	if all[7] != (counters{7, 14}) {
		t.Fatal(all)
	}
}

func TestBatch(t *testing.T) {
	m := newMap(t, hashSpec(ebpf.Hash, 12, 16, 256))
	h := must[Hash[pktKey, counters]](t)(NewHash[pktKey, counters]("counts", m))
	var keys []pktKey
	var vals []counters
	for i := range uint32(100) {
		keys = append(keys, pktKey{Src: i, Port: uint16(i)})
		vals = append(vals, counters{uint64(i), 1})
	}
	n, err := h.BatchUpdate(keys, vals, nil)
	if errors.Is(err, ebpf.ErrNotSupported) {
		t.Skip(err)
	}
	ok(t, err)
	if n != 100 {
		t.Fatal(n)
	}
	got := map[pktKey]counters{}
	var cursor ebpf.MapBatchCursor
	kb, vb := make([]pktKey, 64), make([]counters, 64)
	for {
		n, err := h.BatchLookup(&cursor, kb, vb, nil)
		for i := range n {
			got[kb[i]] = vb[i]
		}
		if errors.Is(err, ebpf.ErrKeyNotExist) {
			break
		}
		ok(t, err)
	}
	if len(got) != 100 || got[keys[42]] != vals[42] {
		t.Fatalf("batch lookup: %d entries", len(got))
	}
	n = must[int](t)(h.BatchDelete(keys[:50], nil))
	if n != 50 {
		t.Fatal(n)
	}
	if _, err := h.Lookup(keys[10]); !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Fatal(err)
	}
	var cursor2 ebpf.MapBatchCursor
	n, err = h.BatchLookupAndDelete(&cursor2, make([]pktKey, 128), make([]counters, 128), nil)
	if !errors.Is(err, ebpf.ErrKeyNotExist) || n != 50 {
		t.Fatalf("BatchLookupAndDelete: %d, %v", n, err)
	}

	am := newMap(t, hashSpec(ebpf.Array, 4, 8, 4))
	a := must[Array[uint64]](t)(NewArray[uint64]("a", am))
	must[int](t)(a.BatchUpdate([]uint32{0, 1, 2, 3}, []uint64{9, 8, 7, 6}, nil))
	out := make([]uint64, 4)
	var c ebpf.MapBatchCursor
	if _, err := a.BatchLookup(&c, make([]uint32, 4), out, nil); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Fatal(err)
	}
	if !slices.Equal(out, []uint64{9, 8, 7, 6}) {
		t.Fatal(out)
	}
}

func TestSizeErrors(t *testing.T) {
	m := newMap(t, hashSpec(ebpf.Hash, 12, 24, 4))
	_, err := NewHash[pktKey, counters]("counts", m)
	const want = `map "counts": value size: kernel has 24 bytes, Go type counters has 16`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	var se *SizeError
	if !errors.As(err, &se) || se.What != "value" || se.Kernel != 24 || se.Go != 16 {
		t.Fatalf("%#v", se)
	}
	_, err = NewHash[uint64, [24]byte]("counts", m)
	if want := `map "counts": key size: kernel has 12 bytes, Go type uint64 has 8`; err == nil || err.Error() != want {
		t.Fatalf("got %v", err)
	}
	_, err = NewArray[[24]byte]("counts", m)
	var te *TypeError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), `map "counts"`) {
		t.Fatalf("wrong kind: %v", err)
	}
	ok(t, CheckSizes[pktKey, [24]byte]("counts", m))
	if _, err := NewHash[pktKey, counters]("nil", nil); err == nil {
		t.Fatal("nil map accepted")
	}
	pm := newMap(t, hashSpec(ebpf.PerCPUHash, 4, 12, 4))
	_, err = NewPerCPUHash[uint32, v16]("pc", pm)
	if want := `map "pc": value size: kernel has 12 bytes, Go type v16 has 16`; err == nil || err.Error() != want {
		t.Fatalf("per-CPU: %v", err)
	}
}

func TestLPMTrie(t *testing.T) {
	type lpmKey struct {
		PrefixLen uint32
		Addr      [4]byte
	}
	m := newMap(t, &ebpf.MapSpec{Type: ebpf.LPMTrie, KeySize: 8, ValueSize: 4, MaxEntries: 16, Flags: 1 /* BPF_F_NO_PREALLOC */})
	tr := must[LPMTrie[lpmKey, uint32]](t)(NewLPMTrie[lpmKey, uint32]("lpm", m))
	k := lpmKey{Addr: [4]byte{10, 0, 0, 0}}
	SetPrefixLen(&k, 8)
	if k.PrefixLen != 8 || PrefixLen(&k) != 8 {
		t.Fatal(k)
	}
	ok(t, tr.Update(k, 1, ebpf.UpdateAny))
	ok(t, tr.Update(lpmKey{24, [4]byte{10, 1, 2, 0}}, 2, ebpf.UpdateAny))
	for addr, want := range map[[4]byte]uint32{{10, 9, 9, 9}: 1, {10, 1, 2, 3}: 2} {
		if got := must[uint32](t)(tr.Lookup(lpmKey{32, addr})); got != want {
			t.Errorf("%v: got %d want %d", addr, got, want)
		}
	}
	if _, err := tr.Lookup(lpmKey{32, [4]byte{11, 0, 0, 1}}); !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Fatal(err)
	}
	it := tr.Iterate()
	if n := len(maps.Collect(it.All())); n != 2 || it.Err() != nil {
		t.Fatal(n, it.Err())
	}
}

func testPerCPU[V comparable](t *testing.T, mk func(i, cpu int) V) {
	size := uint32(unsafe.Sizeof(*new(V)))
	for _, typ := range []ebpf.MapType{ebpf.PerCPUHash, ebpf.LRUCPUHash} {
		m := newMap(t, hashSpec(typ, 4, size, 16))
		h := must[PerCPUHash[uint32, V]](t)(NewPerCPUHash[uint32, V]("pc", m))
		ncpu := h.PossibleCPUs()
		vals := make([]V, ncpu)
		for c := range vals {
			vals[c] = mk(1, c)
		}
		ok(t, h.Update(7, vals, ebpf.UpdateAny))
		got := must[[]V](t)(h.Lookup(7))
		if !slices.Equal(got, vals) {
			t.Fatalf("%s: Lookup = %v, want %v", typ, got, vals)
		}
		// cilium/ebpf's reflection path is the reference for the stride.
		var ref []V
		ok(t, m.Lookup(uint32(7), &ref))
		if !slices.Equal(ref, vals) {
			t.Fatalf("%s: cilium sees %v, want %v", typ, ref, vals)
		}
		// And the reverse direction.
		for c := range vals {
			vals[c] = mk(2, c)
		}
		ok(t, m.Update(uint32(8), vals, ebpf.UpdateAny))
		into := make([]V, ncpu)
		k := uint32(8)
		ok(t, h.LookupInto(&k, into))
		if !slices.Equal(into, vals) {
			t.Fatalf("%s: LookupInto = %v, want %v", typ, into, vals)
		}
		// Fewer values than CPUs: the rest are zero.
		ok(t, h.Update(9, vals[:1], ebpf.UpdateAny))
		got = must[[]V](t)(h.Lookup(9))
		var zero V
		if got[0] != vals[0] || (ncpu > 1 && got[ncpu-1] != zero) {
			t.Fatalf("short update: %v", got)
		}
		if err := h.Update(9, make([]V, ncpu+1), ebpf.UpdateAny); err == nil {
			t.Fatal("too many values accepted")
		}
		if err := h.LookupInto(&k, make([]V, ncpu-1)); err == nil {
			t.Fatal("short dst accepted")
		}
		it := h.Iterate()
		entries := maps.Collect(it.All())
		ok(t, it.Err())
		if len(entries) != 3 || !slices.Equal(entries[8], vals) {
			t.Fatalf("iterate: %v", entries)
		}
		sum := must[V](t)(h.Sum(8, func(acc, v V) V { return v }))
		if sum != vals[ncpu-1] {
			t.Fatal(sum)
		}
		ok(t, h.Delete(9))
		if _, err := h.Lookup(9); !errors.Is(err, ebpf.ErrKeyNotExist) {
			t.Fatal(err)
		}
		if typ == ebpf.PerCPUHash {
			got, err := h.LookupAndDelete(8)
			if err == nil && !slices.Equal(got, vals) {
				t.Fatal(got)
			}
		}
	}

	m := newMap(t, hashSpec(ebpf.PerCPUArray, 4, size, 4))
	a := must[PerCPUArray[V]](t)(NewPerCPUArray[V]("pca", m))
	vals := make([]V, a.PossibleCPUs())
	for c := range vals {
		vals[c] = mk(3, c)
	}
	ok(t, a.Update(2, vals, ebpf.UpdateAny))
	if got := must[[]V](t)(a.Lookup(2)); !slices.Equal(got, vals) {
		t.Fatalf("array Lookup = %v, want %v", got, vals)
	}
	var ref []V
	ok(t, m.Lookup(uint32(2), &ref))
	if !slices.Equal(ref, vals) {
		t.Fatalf("array: cilium sees %v", ref)
	}
	into := make([]V, a.PossibleCPUs())
	ok(t, a.LookupInto(2, into))
	it := a.Iterate()
	if n := len(maps.Collect(it.All())); n != 4 || it.Err() != nil {
		t.Fatal(n, it.Err())
	}
	// Batch through cilium/ebpf.
	bv := make([]V, 2*a.PossibleCPUs())
	for i := range bv {
		bv[i] = mk(4, i)
	}
	if _, err := a.BatchUpdate([]uint32{0, 1}, bv, nil); err == nil {
		out := make([]V, len(bv))
		var c ebpf.MapBatchCursor
		if _, err := a.BatchLookup(&c, make([]uint32, 2), out, nil); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
			t.Fatal(err)
		}
		if !slices.Equal(out, bv) {
			t.Fatalf("batch: %v want %v", out, bv)
		}
		// cilium/ebpf's reflection path is the reference.
		ok(t, m.Lookup(uint32(1), &ref))
		if !slices.Equal(ref, bv[len(vals):]) {
			t.Fatalf("array batch: cilium sees %v, want %v", ref, bv[len(vals):])
		}
	} else if !errors.Is(err, ebpf.ErrNotSupported) {
		t.Fatal(err)
	}
	testPerCPUHashBatch(t, mk)
}

// testPerCPUHashBatch: batch updates and lookups of a per-CPU hash agree
// with cilium/ebpf's reflection-based ones, in both directions.
func testPerCPUHashBatch[V comparable](t *testing.T, mk func(i, cpu int) V) {
	size := uint32(unsafe.Sizeof(*new(V)))
	m := newMap(t, hashSpec(ebpf.PerCPUHash, 4, size, 128))
	h := must[PerCPUHash[uint32, V]](t)(NewPerCPUHash[uint32, V]("pch", m))
	ncpu := h.PossibleCPUs()
	const n = 100
	keys := make([]uint32, n)
	vals := make([]V, n*ncpu)
	for i := range keys {
		keys[i] = uint32(i)
		for c := range ncpu {
			vals[i*ncpu+c] = mk(i, c)
		}
	}
	if _, err := h.BatchUpdate(keys[:n/2], vals[:n/2*ncpu], nil); errors.Is(err, ebpf.ErrNotSupported) {
		t.Skip(err)
	} else if err != nil {
		t.Fatal(err)
	}
	if _, err := m.BatchUpdate(keys[n/2:], vals[n/2*ncpu:], nil); err != nil {
		t.Fatal(err)
	}
	var ref []V
	ok(t, m.Lookup(uint32(7), &ref))
	if !slices.Equal(ref, vals[7*ncpu:8*ncpu]) {
		t.Fatalf("per-CPU hash batch update: cilium sees %v, want %v", ref, vals[7*ncpu:8*ncpu])
	}
	got := make(map[uint32][]V)
	var cursor ebpf.MapBatchCursor
	kb, vb := make([]uint32, 64), make([]V, 64*ncpu)
	for {
		k, err := h.BatchLookup(&cursor, kb, vb, nil)
		for i := range k {
			got[kb[i]] = slices.Clone(vb[i*ncpu : (i+1)*ncpu])
		}
		if errors.Is(err, ebpf.ErrKeyNotExist) {
			break
		}
		ok(t, err)
	}
	if len(got) != n {
		t.Fatalf("per-CPU hash batch lookup: %d of %d entries", len(got), n)
	}
	for i, k := range keys {
		if !slices.Equal(got[k], vals[i*ncpu:(i+1)*ncpu]) {
			t.Fatalf("per-CPU hash batch lookup: key %d = %v, want %v", k, got[k], vals[i*ncpu:(i+1)*ncpu])
		}
	}
	if _, err := h.BatchLookup(&cursor, kb, vb[1:], nil); err == nil {
		t.Fatal("batch lookup with too few values accepted")
	}
	var del ebpf.MapBatchCursor
	k, err := h.BatchLookupAndDelete(&del, make([]uint32, 128), make([]V, 128*ncpu), nil)
	if !errors.Is(err, ebpf.ErrKeyNotExist) || k != n {
		t.Fatalf("BatchLookupAndDelete: %d, %v", k, err)
	}
}

func TestPerCPU4(t *testing.T) {
	testPerCPU(t, func(i, c int) v4 { return v4{uint32(i*100 + c + 1)} })
}

func TestPerCPU12(t *testing.T) {
	testPerCPU(t, func(i, c int) v12 { return v12{uint32(i), uint32(c + 1), 0xdeadbeef} })
}

func TestPerCPU16(t *testing.T) {
	testPerCPU(t, func(i, c int) v16 { return v16{uint64(i), uint64(c) << 40} })
}

func TestQueueStack(t *testing.T) {
	qm := newMap(t, &ebpf.MapSpec{Type: ebpf.Queue, ValueSize: 12, MaxEntries: 4})
	q := must[Queue[v12]](t)(NewQueue[v12]("q", qm))
	sm := newMap(t, &ebpf.MapSpec{Type: ebpf.Stack, ValueSize: 12, MaxEntries: 4})
	s := must[Stack[v12]](t)(NewStack[v12]("s", sm))
	for i := range uint32(3) {
		ok(t, q.Push(v12{A: i}, ebpf.UpdateAny))
		ok(t, s.Push(v12{A: i}, ebpf.UpdateAny))
	}
	if v := must[v12](t)(q.Peek()); v.A != 0 {
		t.Fatal(v)
	}
	if v := must[v12](t)(s.Peek()); v.A != 2 {
		t.Fatal(v)
	}
	for i := range uint32(3) {
		if v := must[v12](t)(q.Pop()); v.A != i {
			t.Fatalf("queue pop %d: %v", i, v)
		}
		if v := must[v12](t)(s.Pop()); v.A != 2-i {
			t.Fatalf("stack pop %d: %v", i, v)
		}
	}
	if _, err := q.Pop(); !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Fatal(err)
	}
	if _, err := s.Peek(); !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Fatal(err)
	}
}

func TestBloomFilter(t *testing.T) {
	m := newMap(t, &ebpf.MapSpec{Type: ebpf.BloomFilter, ValueSize: 12, MaxEntries: 64})
	b := must[BloomFilter[pktKey]](t)(NewBloomFilter[pktKey]("bf", m))
	ok(t, b.Push(pktKey{Src: 1}))
	if !must[bool](t)(b.Contains(pktKey{Src: 1})) {
		t.Fatal("pushed value not contained")
	}
	if must[bool](t)(b.Contains(pktKey{Src: 2})) {
		t.Log("false positive (allowed)")
	}
}

func TestMapOfMaps(t *testing.T) {
	innerSpec := hashSpec(ebpf.Hash, 4, 8, 8)
	open := OpenerOf("inner", NewHash[uint32, uint64])

	outer := newMap(t, &ebpf.MapSpec{Type: ebpf.ArrayOfMaps, KeySize: 4, ValueSize: 4, MaxEntries: 4, InnerMap: innerSpec})
	a := must[ArrayOfMaps[Hash[uint32, uint64]]](t)(NewArrayOfMaps("outer", outer, open))
	inner := must[Hash[uint32, uint64]](t)(NewHash[uint32, uint64]("inner", newMap(t, innerSpec)))
	ok(t, inner.Update(1, 42, ebpf.UpdateAny))
	ok(t, a.Set(2, inner))
	got := must[Hash[uint32, uint64]](t)(a.Get(2))
	defer got.Close()
	if v := must[uint64](t)(got.Lookup(1)); v != 42 {
		t.Fatal(v)
	}
	id := must[ebpf.MapID](t)(a.GetID(2))
	info := must[*ebpf.MapInfo](t)(inner.Map().Info())
	if wantID, _ := info.ID(); id != wantID {
		t.Fatalf("GetID %d, want %d", id, wantID)
	}
	it := a.Iterate()
	if ids := maps.Collect(it.All()); len(ids) != 1 || ids[2] != id || it.Err() != nil {
		t.Fatal(ids, it.Err())
	}
	ok(t, a.Delete(2))
	if _, err := a.Get(2); !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Fatal(err)
	}

	// A typed inner of the wrong shape is refused on Get.
	wrong := OpenerOf("inner", NewHash[uint32, uint32])
	hm := newMap(t, &ebpf.MapSpec{Type: ebpf.HashOfMaps, KeySize: 12, ValueSize: 4, MaxEntries: 4, InnerMap: innerSpec})
	h := must[HashOfMaps[pktKey, Hash[uint32, uint32]]](t)(NewHashOfMaps[pktKey]("outer", hm, wrong))
	ok(t, h.SetMap(pktKey{Src: 1}, inner.Map(), ebpf.UpdateAny))
	if _, err := h.Get(pktKey{Src: 1}); err == nil || !strings.Contains(err.Error(), "value size") {
		t.Fatalf("wrong inner type: %v", err)
	}
	must[ebpf.MapID](t)(h.GetID(pktKey{Src: 1}))
	ok(t, h.Delete(pktKey{Src: 1}))
}

func TestProgArray(t *testing.T) {
	m := newMap(t, &ebpf.MapSpec{Type: ebpf.ProgramArray, KeySize: 4, ValueSize: 4, MaxEntries: 4})
	pa := must[ProgArray](t)(NewProgArray("jmp", m))
	prog := retProg(t, 1)
	ok(t, pa.Set(1, prog))
	got := must[*ebpf.Program](t)(pa.Get(1))
	defer got.Close()
	wantInfo := must[*ebpf.ProgramInfo](t)(prog.Info())
	wantID, _ := wantInfo.ID()
	if id := must[ebpf.ProgramID](t)(pa.GetID(1)); id != wantID {
		t.Fatalf("GetID %d want %d", id, wantID)
	}
	it := pa.Iterate()
	if ids := maps.Collect(it.All()); len(ids) != 1 || ids[1] != wantID {
		t.Fatal(ids, it.Err())
	}
	ok(t, pa.Delete(1))
	if _, err := pa.Get(1); !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Fatal(err)
	}
}

func TestGenericMap(t *testing.T) {
	m := newMap(t, hashSpec(ebpf.Hash, 4, 16, 4))
	g := must[Map[uint32, Int128]](t)(NewMap[uint32, Int128]("g", m))
	x := Int128From64(-5)
	ok(t, g.Update(1, x, ebpf.UpdateAny))
	if got := must[Int128](t)(g.Lookup(1)); got.Big().Int64() != -5 {
		t.Fatal(got)
	}
}

func TestAllocs(t *testing.T) {
	hm := newMap(t, hashSpec(ebpf.Hash, 12, 16, 16))
	h := must[Hash[pktKey, counters]](t)(NewHash[pktKey, counters]("h", hm))
	am := newMap(t, hashSpec(ebpf.Array, 4, 16, 16))
	a := must[Array[counters]](t)(NewArray[counters]("a", am))
	pm := newMap(t, hashSpec(ebpf.PerCPUHash, 4, 12, 16))
	p := must[PerCPUHash[uint32, v12]](t)(NewPerCPUHash[uint32, v12]("p", pm))
	k := pktKey{Src: 1}
	pv := make([]v12, p.PossibleCPUs())
	ok(t, h.Update(k, counters{}, ebpf.UpdateAny))
	ok(t, p.Update(1, pv, ebpf.UpdateAny))
	for name, f := range map[string]func(){
		"Hash.Update": func() { ok(t, h.Update(k, counters{1, 2}, ebpf.UpdateAny)) },
		"Hash.Lookup": func() { must[counters](t)(h.Lookup(k)) },
		"Hash.LookupInto": func() {
			var v counters
			ok(t, h.LookupInto(&k, &v))
		},
		"Hash.Delete+Update": func() { ok(t, h.Delete(k)); ok(t, h.Update(k, counters{}, ebpf.UpdateAny)) },
		"Hash.Lookup(missing)": func() {
			if _, err := h.Lookup(pktKey{Src: 99}); err == nil {
				t.Fatal("found")
			}
		},
		"Array.Update":      func() { ok(t, a.Update(3, counters{1, 2}, ebpf.UpdateAny)) },
		"Array.Lookup":      func() { must[counters](t)(a.Lookup(3)) },
		"PerCPUHash.Update": func() { ok(t, p.Update(1, pv, ebpf.UpdateAny)) },
		"PerCPUHash.LookupInto": func() {
			k := uint32(1)
			ok(t, p.LookupInto(&k, pv))
		},
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocs per op, want 0", name, n)
		}
	}
}

func TestRuntimeTypes(t *testing.T) {
	if Bool(2).Bool() != true || Bool(0).Bool() || BoolOf(true) != 1 || Bool(7).String() != "true" {
		t.Fatal("Bool")
	}
	if CString([]byte("abc\x00def")) != "abc" || CString([]byte("xyz")) != "xyz" {
		t.Fatal("CString")
	}
	buf := []byte("zzzzzz")
	if !SetCString(buf, "ab") || string(buf) != "ab\x00\x00\x00\x00" {
		t.Fatalf("SetCString %q", buf)
	}
	if SetCString(buf, "abcdefgh") || CString(buf) != "abcde" {
		t.Fatalf("SetCString truncation %q", buf)
	}

	// Layout: the value 1 must be in the byte C puts it in.
	one := Uint128From64(1)
	b := unsafe.Slice((*byte)(unsafe.Pointer(&one)), 16)
	lsb := 0
	if bigEndian {
		lsb = 15
	}
	if b[lsb] != 1 {
		t.Fatalf("Uint128 layout: %x", b)
	}
	for _, s := range []string{"0", "1", "-1", "170141183460469231731687303715884105727", "-170141183460469231731687303715884105728", "-18446744073709551616"} {
		v, _ := new(big.Int).SetString(s, 10)
		var x Int128
		ok(t, x.SetBig(v))
		if x.String() != s {
			t.Errorf("Int128 %s round-trips to %s", s, x)
		}
	}
	var x Int128
	if x.SetBig(new(big.Int).Lsh(big.NewInt(1), 127)) == nil {
		t.Error("2^127 fits Int128")
	}
	if Int128From64(-1) != (Int128{Lo: ^uint64(0), Hi: ^uint64(0)}) || !Int128From64(-1).IsNeg() {
		t.Error("Int128From64(-1)")
	}
	var u Uint128
	m, _ := new(big.Int).SetString("340282366920938463463374607431768211455", 10)
	ok(t, u.SetBig(m))
	if u.Lo != ^uint64(0) || u.Hi != ^uint64(0) || u.Big().Cmp(m) != 0 {
		t.Error("Uint128 max")
	}
	if u.SetBig(big.NewInt(-1)) == nil || u.SetBig(new(big.Int).Lsh(m, 1)) == nil {
		t.Error("Uint128 overflow accepted")
	}
}
