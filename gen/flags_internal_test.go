package gen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
)

func TestFlagsCode(t *testing.T) {
	tests := []struct {
		flags uint32
		want  string
	}{
		{1, "templates.MapFlagNoPrealloc"},
		{1<<10 | 1<<7, "templates.MapFlagRdonlyProg | templates.MapFlagMmapable"},
		{1<<0 | 1<<30, "templates.MapFlagNoPrealloc | 0x40000000"},
	}
	for _, tt := range tests {
		f := jen.NewFilePath("p")
		f.Var().Id("x").Op("=").Add(flagsCode(tt.flags))
		got := fmt.Sprintf("%#v", f)
		if want := "var x = " + tt.want; !strings.Contains(got, want) {
			t.Errorf("flags %#x: %s, want %s", tt.flags, got, want)
		}
	}
}
