package templates

import (
	"fmt"
	"math/big"
	"unsafe"
)

// Both layouts must be exactly 16 bytes on every GOARCH.
var (
	_ [16 - unsafe.Sizeof(Int128{})]struct{}
	_ [unsafe.Sizeof(Int128{}) - 16]struct{}
	_ [16 - unsafe.Sizeof(Uint128{})]struct{}
	_ [unsafe.Sizeof(Uint128{}) - 16]struct{}
)

var (
	two64  = new(big.Int).Lsh(big.NewInt(1), 64)
	two128 = new(big.Int).Lsh(big.NewInt(1), 128)
	min128 = new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 127))
	max128 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 127), big.NewInt(1))
)

func bigFromHiLo(hi, lo uint64) *big.Int {
	x := new(big.Int).SetUint64(hi)
	x.Lsh(x, 64)
	return x.Or(x, new(big.Int).SetUint64(lo))
}

// Int128From64 returns v sign-extended to 128 bits.
func Int128From64(v int64) Int128 {
	return Int128{Lo: uint64(v), Hi: uint64(v >> 63)}
}

// IsNeg reports whether x is negative.
func (x Int128) IsNeg() bool { return int64(x.Hi) < 0 }

// Big returns x as a new big.Int.
func (x Int128) Big() *big.Int {
	v := bigFromHiLo(x.Hi, x.Lo)
	if x.IsNeg() {
		v.Sub(v, two128)
	}
	return v
}

// SetBig sets x to v. It returns an error, leaving x unchanged, if v does not
// fit in 128 bits.
func (x *Int128) SetBig(v *big.Int) error {
	if v.Cmp(min128) < 0 || v.Cmp(max128) > 0 {
		return fmt.Errorf("%v overflows __int128", v)
	}
	u := new(big.Int).Set(v)
	if u.Sign() < 0 {
		u.Add(u, two128)
	}
	x.Hi, x.Lo = hiLo(u)
	return nil
}

// String returns x in decimal.
func (x Int128) String() string { return x.Big().String() }

// Uint128From64 returns v zero-extended to 128 bits.
func Uint128From64(v uint64) Uint128 { return Uint128{Lo: v} }

// Big returns x as a new big.Int.
func (x Uint128) Big() *big.Int { return bigFromHiLo(x.Hi, x.Lo) }

// SetBig sets x to v. It returns an error, leaving x unchanged, if v is
// negative or does not fit in 128 bits.
func (x *Uint128) SetBig(v *big.Int) error {
	if v.Sign() < 0 || v.Cmp(two128) >= 0 {
		return fmt.Errorf("%v overflows unsigned __int128", v)
	}
	x.Hi, x.Lo = hiLo(v)
	return nil
}

// String returns x in decimal.
func (x Uint128) String() string { return x.Big().String() }

// hiLo splits 0 <= v < 2^128 into its high and low 64 bits.
func hiLo(v *big.Int) (hi, lo uint64) {
	q, r := new(big.Int).QuoRem(v, two64, new(big.Int))
	return q.Uint64(), r.Uint64()
}
