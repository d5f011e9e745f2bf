package randc

// Names that stress Go naming. None is a C keyword or a name the BPF
// headers define, and the pools are disjoint, so every choice is valid C.

// memberNames are member names: Go keywords, predeclared identifiers,
// case pairs, CamelCase collisions, leading underscores, names of the
// methods and storage fields mapgen generates (set_x next to x, x_string
// next to a char array x, raw0 next to storage at byte 0).
var memberNames = []string{
	"type", "func", "map", "range", "chan", "go", "select", "package", "import", "var",
	"interface", "defer", "fallthrough",
	"len", "cap", "string", "byte", "nil", "iota", "append", "make", "new", "copy",
	"close", "panic", "uint64", "int32", "complex", "real",
	"foo", "Foo", "FOO", "foo_bar", "fooBar", "FooBar", "foo__bar", "_foo", "__foo", "_",
	"x", "X", "set_x", "SetX", "x_string", "xString", "raw0", "Raw0", "Raw4", "raw8",
	"field0", "Field1", "id", "ID", "src_ip", "srcIP", "url", "URL", "String", "Set", "Get",
	"a", "b", "c", "_1st", "x1", "X1",
}

// tagNames are struct, union and enum tags: Go type names collide with the
// generated API (Maps, Objects, Data for .data) and with each other.
var tagNames = []string{
	"foo", "Foo", "foo_bar", "fooBar", "type", "string", "len", "map", "maps", "Maps",
	"data", "Data", "rodata", "Bss", "objects", "Programs", "_x", "x_", "__s", "s",
	"Load", "load_spec", "new_maps", "Int128", "Bool",
}

// ordinaryNames are typedef and enumerator names (the C namespace of
// variables and functions).
var ordinaryNames = []string{
	"uint32", "Uint32", "any", "foo_t", "Foo_t", "error", "rune", "Maps", "Load", "NewMaps",
	"LoadObjects", "Programs", "Objects", "LoadSpec", "Close", "String", "TYPE", "Data",
	"DefaultData", "EditRodata", "ReadBss", "MapVals0", "VarGd0", "ProgFill0",
}
