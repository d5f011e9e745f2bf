package randc

import (
	"math"
	"strconv"
)

// float32frombits and float64frombits spell a float's value exactly as a
// C constant (the values are integers over 4).
type cFloat string

func float32frombits(b uint32) cFloat {
	return cFloat(strconv.FormatFloat(float64(math.Float32frombits(b)), 'f', -1, 32))
}

func float64frombits(b uint64) cFloat {
	return cFloat(strconv.FormatFloat(math.Float64frombits(b), 'f', -1, 64))
}
