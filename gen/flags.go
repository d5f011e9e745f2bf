package gen

import (
	"fmt"
	"math/bits"

	"github.com/dave/jennifer/jen"
)

// mapFlags names the bits of map_flags by their constants in package
// templates, so that generated code shows no flag as a number; a new
// flag is one line here and one there.
var mapFlags = []string{
	0: "MapFlagNoPrealloc", 1: "MapFlagNoCommonLRU", 2: "MapFlagNUMANode", 3: "MapFlagRdonly",
	4: "MapFlagWronly", 5: "MapFlagStackBuildID", 6: "MapFlagZeroSeed", 7: "MapFlagRdonlyProg",
	8: "MapFlagWronlyProg", 9: "MapFlagClone", 10: "MapFlagMmapable", 11: "MapFlagPreserveElems",
	12: "MapFlagInnerMap", 13: "MapFlagLink", 14: "MapFlagPathFD", 15: "MapFlagVtypeBTFObjFD",
	16: "MapFlagTokenFD", 17: "MapFlagSegvOnFault", 18: "MapFlagNoUserConv",
}

// flagsCode is flags as an or of named constants, bits without a name as
// a hexadecimal number after them.
func flagsCode(flags uint32) jen.Code {
	var terms []jen.Code
	rest := flags
	for rest != 0 {
		bit := bits.TrailingZeros32(rest)
		if bit >= len(mapFlags) {
			break
		}
		terms = append(terms, tpl(mapFlags[bit]))
		rest &^= 1 << bit
	}
	if rest != 0 {
		terms = append(terms, jen.Id(fmt.Sprintf("%#x", rest)))
	}
	out := jen.Add(terms[0])
	for _, t := range terms[1:] {
		out = out.Op("|").Add(t)
	}
	return out
}
