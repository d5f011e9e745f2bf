package templates

import "iter"

// Iterator walks the entries of a map. Obtain one from a wrapper's Iterate
// method, range over [Iterator.All], then check [Iterator.Err]:
//
//	it := m.Iterate()
//	for k, v := range it.All() {
//		...
//	}
//	if err := it.Err(); err != nil {
//		...
//	}
//
// The sequence ends early, without yielding anything more, at the first
// error. An Iterator may be ranged over again; each pass starts from the
// beginning of the map and resets Err. It is not safe for concurrent use.
type Iterator[K, V any] struct {
	walk func(yield func(K, V) bool) error
	err  error
}

func newIterator[K, V any](walk func(yield func(K, V) bool) error) *Iterator[K, V] {
	return &Iterator[K, V]{walk: walk}
}

// All returns the entries as a single-use-per-range sequence.
func (it *Iterator[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		it.err = nil
		it.err = it.walk(yield)
	}
}

// Keys returns the keys of [Iterator.All].
func (it *Iterator[K, V]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		for k := range it.All() {
			if !yield(k) {
				return
			}
		}
	}
}

// Err returns the error that ended the last range over the iterator early,
// or nil if the map was walked to its end or the loop body stopped it.
func (it *Iterator[K, V]) Err() error { return it.err }
