package templates

import (
	"strings"
	"structs"
	"testing"

	"github.com/cilium/ebpf"
)

// counterGlobals is the Go view of the .rodata and .data sections of
// examples/counter/counter.c, as mapgen generates it.
type counterGlobals struct {
	Rodata struct {
		_         structs.HostLayout
		BigPacket uint32
		DropBig   uint8
		Pad       [3]uint8
	}
	Data struct {
		_        structs.HostLayout
		Counting uint32
	}
}

func (g *counterGlobals) sections() []Section {
	return []Section{SectionOf(&g.Rodata, ".rodata", 8), SectionOf(&g.Data, ".data", 4)}
}

// TestEditSections: one edit sees every section as compiled and changes
// the contents and variables of each; a nil edit changes nothing.
func TestEditSections(t *testing.T) {
	spec, err := ebpf.LoadCollectionSpec("../examples/counter/counter_" + hostOrder() + ".o")
	if err != nil {
		t.Fatal(err)
	}
	ok(t, EditSections(spec, nil, (*counterGlobals).sections))
	if err := spec.Variables["counting"].Set(uint32(5)); err != nil {
		t.Fatal(err)
	}
	var seen counterGlobals
	ok(t, EditSections(spec, func(g *counterGlobals) {
		seen = *g
		g.Rodata.DropBig = 1
		g.Data.Counting = 0
	}, (*counterGlobals).sections))
	if seen.Rodata.BigPacket != 1500 || seen.Data.Counting != 5 {
		t.Errorf("edit saw %+v, want big_packet 1500 as compiled and counting 5 as set", seen)
	}
	var cfg [8]byte
	ok(t, spec.Variables["cfg"].Get(&cfg))
	if cfg[4] != 1 || cfg[0] != 1500&0xff {
		t.Errorf("cfg after the edit: % x, want drop_big 1 and big_packet 1500", cfg)
	}
	var counting uint32
	ok(t, spec.Variables["counting"].Get(&counting))
	if counting != 0 {
		t.Errorf("counting after the edit = %d, want 0", counting)
	}
	if c := spec.Maps[".data"].Contents[0].Value.([]byte); c[0] != 0 {
		t.Errorf(".data contents % x, want counting 0", c)
	}

	delete(spec.Maps, ".data")
	if err := EditSections(spec, func(*counterGlobals) {}, (*counterGlobals).sections); err == nil || !strings.Contains(err.Error(), ".data") {
		t.Errorf("a section missing from the spec: %v, want an error naming it", err)
	}
}
