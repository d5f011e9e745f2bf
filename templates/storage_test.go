package templates

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// bitsRef is a bit-by-bit model of BTF bitfield numbering.
func bitRef(b []byte, pos uint, bigEndian bool) uint64 {
	if bigEndian {
		return uint64(b[pos/8]>>(7-pos%8)) & 1
	}
	return uint64(b[pos/8]>>(pos%8)) & 1
}

func TestBitsAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, be := range []bool{false, true} {
		for iter := 0; iter < 20000; iter++ {
			b := make([]byte, 10)
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			width := uint(r.IntN(64) + 1)
			off := uint(r.IntN(80 - int(width) + 1))
			var want uint64
			for i := uint(0); i < width; i++ {
				bit := bitRef(b, off+i, be)
				if be {
					want = want<<1 | bit
				} else {
					want |= bit << i
				}
			}
			load, store := LoadBitsLE, StoreBitsLE
			if be {
				load, store = LoadBitsBE, StoreBitsBE
			}
			if got := load(b, off, width); got != want {
				t.Fatalf("be=%v off=%d width=%d: load = %#x, want %#x", be, off, width, got, want)
			}
			before := append([]byte(nil), b...)
			v := r.Uint64()
			store(b, off, width, v)
			mask := uint64(1)<<width - 1
			if width == 64 {
				mask = ^uint64(0)
			}
			if got := load(b, off, width); got != v&mask {
				t.Fatalf("be=%v off=%d width=%d: after store %#x, load = %#x", be, off, width, v, got)
			}
			for pos := uint(0); pos < 80; pos++ {
				if pos >= off && pos < off+width {
					continue
				}
				if bitRef(b, pos, be) != bitRef(before, pos, be) {
					t.Fatalf("be=%v off=%d width=%d: store changed bit %d outside the field", be, off, width, pos)
				}
			}
		}
	}
}

// A 12-bit field at bit 4 of a 16-bit word: the C compiler's view on each
// byte order, computed independently with shifts on the integer.
func TestBitsMatchIntegerView(t *testing.T) {
	word := uint16(0xABC) << 4 // bitfield value 0xABC, LE: bits 4..15
	le := binary.LittleEndian.AppendUint16(nil, word)
	if got := LoadBitsLE(le, 4, 12); got != 0xABC {
		t.Errorf("LE: got %#x", got)
	}
	// Big-endian: bit offset 0 is the MSB, so a 12-bit field at bit
	// offset 0 is the integer's top 12 bits.
	be := binary.BigEndian.AppendUint16(nil, 0xABC<<4)
	if got := LoadBitsBE(be, 0, 12); got != 0xABC {
		t.Errorf("BE: got %#x", got)
	}
}

func TestSignExtend(t *testing.T) {
	for _, tc := range []struct {
		v     uint64
		width uint
		want  int64
	}{
		{0b111, 3, -1}, {0b011, 3, 3}, {0b100, 3, -4}, {1, 1, -1}, {0, 1, 0},
		{1<<63 | 5, 64, -(1 << 63) + 5}, {0x1_0000_0000, 33, -(1 << 32)},
	} {
		if got := SignExtend(tc.v, tc.width); got != tc.want {
			t.Errorf("SignExtend(%#x, %d) = %d, want %d", tc.v, tc.width, got, tc.want)
		}
	}
}

func TestLoadStore(t *testing.T) {
	b := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9}
	v := Load[uint64](b[1:])
	if v != binary.NativeEndian.Uint64(b[1:]) {
		t.Fatalf("Load = %#x", v)
	}
	Store(b[1:], v+1)
	if got := binary.NativeEndian.Uint64(b[1:]); got != v+1 {
		t.Fatalf("after Store: %#x", got)
	}
	if b[0] != 1 {
		t.Fatal("Store wrote outside its bytes")
	}
}
