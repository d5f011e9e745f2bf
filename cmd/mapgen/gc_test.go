package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestGCLimit(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.o")
	big := filepath.Join(dir, "big.btf")
	if err := os.WriteFile(small, make([]byte, 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	// A sparse file: its size is what counts.
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 10<<20); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		inputs []string
		want   int64
	}{
		{"small object", []string{small}, gcMinLimit},
		{"missing file", []string{filepath.Join(dir, "none.o")}, gcMinLimit},
		{"directory", []string{dir}, gcMinLimit},
		{"10 MiB of BTF", []string{big}, gcLimitPerByte * 10 << 20},
		{"both", []string{small, big}, gcLimitPerByte * (10<<20 + 1000)},
	} {
		if got := gcLimit(tc.inputs); got != tc.want {
			t.Errorf("%s: limit %d, want %d", tc.name, got, tc.want)
		}
	}
}
