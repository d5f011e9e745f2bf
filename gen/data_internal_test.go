package gen

import (
	"bytes"
	"math"
	"strconv"
	"testing"

	"github.com/dave/jennifer/jen"
)

func render(c jen.Code) string {
	var b bytes.Buffer
	f := jen.NewFile("p")
	f.Var().Id("x").Op("=").Add(c)
	if err := f.Render(&b); err != nil {
		return "error: " + err.Error()
	}
	s := b.String()
	return s[bytes.LastIndex([]byte(s), []byte("x = "))+4 : len(s)-1]
}

func TestLiterals(t *testing.T) {
	for _, tt := range []struct {
		code jen.Code
		want string
	}{
		{float32Lit(math.Float32bits(1.5)), "1.5"},
		{float32Lit(math.Float32bits(2)), "2.0"},
		{float32Lit(math.Float32bits(0.1)), "0.1"},
		{float32Lit(0x80000000), "math.Float32frombits(0x80000000)"},
		{float32Lit(0x7fc00001), "math.Float32frombits(0x7fc00001)"},
		{float32Lit(math.Float32bits(float32(math.Inf(-1)))), "math.Float32frombits(0xff800000)"},
		{float32Lit(1), "1e-45"},
		{float64Lit(math.Float64bits(-2.25)), "-2.25"},
		{float64Lit(math.Float64bits(1e300)), "1e+300"},
		{float64Lit(0x8000000000000000), "math.Float64frombits(0x8000000000000000)"},
		{intLit(0xfffffffe, true, 4), "-2"},
		{intLit(0xfffffffe, false, 4), "0xfffffffe"},
		{intLit(8080, false, 2), "8080"},
		{bytesLit(jen.Index(jen.Lit(4)).Byte(), []byte("ab\x00\x00"), false, true), "[4]byte{'a', 'b'}"},
		{bytesLit(jen.Index(jen.Lit(4)).Byte(), []byte("a\n\x00\x00"), false, true), "[4]byte{0x61, 0x0a}"},
		{bytesLit(jen.Index(jen.Lit(2)).Byte(), []byte("ab"), false, false), "[2]byte{0x61, 0x62}"},
	} {
		if got := render(tt.code); got != tt.want {
			t.Errorf("got %s, want %s", got, tt.want)
		}
	}
	// Every float32 literal converts back to the same bits.
	for _, f := range []float32{1e-45, 3.4028235e38, 0.1, 1.0 / 3, -7.5e-39} {
		s := render(float32Lit(math.Float32bits(f)))
		if back, err := strconv.ParseFloat(s, 32); err != nil || float32(back) != f {
			t.Errorf("%v: literal %s reads back as %v, %v", f, s, float32(back), err)
		}
	}
}
