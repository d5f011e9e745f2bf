package btfread

import (
	"bytes"
	"os"
	"testing"
)

// TestVariableBeyond32Bits: a variable whose type is more than 4 GiB, in
// a Datasec slot of the type's size truncated to 32 bits, is refused, not
// taken for a variable of the slot's size.
func TestVariableBeyond32Bits(t *testing.T) {
	good, err := os.ReadFile(obj(t, "btfread_data_bpfel.o"))
	if err != nil {
		t.Fatal(err)
	}
	// volatile __u64 b_arr[3], 24 bytes in .bss: 0x20000003 elements
	// are 0x100000018 bytes, 24 in 32 bits.
	recs := btfRecords(t, good)
	arr := btfRecordOf(t, recs, kindArray, "")
	if n := le32(good, arr.off+20); n != 3 {
		t.Fatalf("first array of btfread_data has %d elements, want b_arr's 3", n)
	}
	bad := bytes.Clone(good)
	put32(bad, arr.off+20, 0x20000003)
	_, err = OpenBytes("big.o", bad)
	checkErr(t, "big.o", err, `big.o: data section .bss: variable "b_arr": type __u64[536870915] is 4294967320 bytes, more than 32 bits`)
}
