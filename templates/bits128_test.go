package templates

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestBits128AgainstReference checks the __int128 bitfield functions bit
// by bit against bitRef, for every width from 1 to 128 at random offsets,
// on both byte orders: the value read, sign extension, and that a store
// changes the field's bits only.
func TestBits128AgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const storage = 20 // bytes
	for _, be := range []bool{false, true} {
		for width := uint(1); width <= 128; width++ {
			for range 40 {
				b := make([]byte, storage)
				for i := range b {
					b[i] = byte(r.Uint32())
				}
				off := uint(r.IntN(8*storage - int(width) + 1))
				// The reference value: bit i of the field is value bit
				// i (little-endian) or value bit width-1-i (big-endian).
				want := new(big.Int)
				for i := uint(0); i < width; i++ {
					pos := i
					if be {
						pos = width - 1 - i
					}
					if bitRef(b, off+i, be) == 1 {
						want.SetBit(want, int(pos), 1)
					}
				}
				loadU, loadS := LoadUint128BitsLE, LoadInt128BitsLE
				storeU := StoreUint128BitsLE
				if be {
					loadU, loadS, storeU = LoadUint128BitsBE, LoadInt128BitsBE, StoreUint128BitsBE
				}
				if got := loadU(b, off, width).Big(); got.Cmp(want) != 0 {
					t.Fatalf("be=%v off=%d width=%d: unsigned load = %v, want %v", be, off, width, got, want)
				}
				wantS := new(big.Int).Set(want)
				if want.Bit(int(width-1)) == 1 {
					wantS.Sub(wantS, new(big.Int).Lsh(big.NewInt(1), width))
				}
				if got := loadS(b, off, width).Big(); got.Cmp(wantS) != 0 {
					t.Fatalf("be=%v off=%d width=%d: signed load = %v, want %v", be, off, width, got, wantS)
				}

				before := append([]byte(nil), b...)
				v := Uint128{Lo: r.Uint64(), Hi: r.Uint64()}
				storeU(b, off, width, v)
				stored := new(big.Int).And(v.Big(), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), width), big.NewInt(1)))
				if got := loadU(b, off, width).Big(); got.Cmp(stored) != 0 {
					t.Fatalf("be=%v off=%d width=%d: after storing %v, load = %v, want %v", be, off, width, v, got, stored)
				}
				for pos := uint(0); pos < 8*storage; pos++ {
					if (pos < off || pos >= off+width) && bitRef(b, pos, be) != bitRef(before, pos, be) {
						t.Fatalf("be=%v off=%d width=%d: store changed bit %d outside the field", be, off, width, pos)
					}
				}
			}
		}
	}
}

// TestInt128BitsSignedStore: a signed store keeps the low width bits, and
// a load gives the value back for every value that fits.
func TestInt128BitsSignedStore(t *testing.T) {
	b := make([]byte, 17)
	for _, width := range []uint{1, 7, 63, 64, 65, 100, 127, 128} {
		for _, v := range []int64{0, -1, 1, -2} {
			if width == 1 && (v == 1 || v == -2) {
				continue // does not fit in a signed 1-bit field
			}
			for _, be := range []bool{false, true} {
				load, store := LoadInt128BitsLE, StoreInt128BitsLE
				if be {
					load, store = LoadInt128BitsBE, StoreInt128BitsBE
				}
				store(b, 3, width, Int128From64(v))
				if got := load(b, 3, width); got != Int128From64(v) {
					t.Errorf("be=%v width=%d: stored %d, loaded %v", be, width, v, got)
				}
			}
		}
	}
}
