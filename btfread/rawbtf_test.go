package btfread

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"testing"

	"github.com/cilium/ebpf/btf"
)

// Helpers that make bad BTF for tests: hand-made blobs from cilium/ebpf's
// marshaller, and patches to the .BTF section of a compiled object.

// rawBlob marshals types (and the types they refer to) as a little-endian
// raw BTF blob.
func rawBlob(t testing.TB, types ...btf.Type) []byte {
	t.Helper()
	b, err := btf.NewBuilder(types, nil)
	if err != nil {
		t.Fatal(err)
	}
	blob, err := b.Marshal(nil, &btf.MarshalOptions{Order: binary.LittleEndian})
	if err != nil {
		t.Fatal(err)
	}
	return blob
}

// BTF kinds (include/uapi/linux/btf.h) the patches need.
const (
	kindInt      = 1
	kindPtr      = 2
	kindArray    = 3
	kindStruct   = 4
	kindUnion    = 5
	kindEnum     = 6
	kindTypedef  = 8
	kindFuncProt = 13
	kindVar      = 14
	kindDatasec  = 15
	kindDeclTag  = 17
	kindEnum64   = 19
)

// btfRecord is one type of a .BTF section: its ID and where its record
// (struct btf_type) starts in the object file.
type btfRecord struct {
	id   uint32
	off  int
	kind int
	name string
}

// typeField is the file offset of the record's size/type field.
func (r btfRecord) typeField() int { return r.off + 8 }

// memberField is the file offset of member i of a struct or union record
// (struct btf_member: name_off, type, offset).
func (r btfRecord) memberField(i int) int { return r.off + 12 + 12*i }

// arrayElemField is the file offset of an array's element type.
func (r btfRecord) arrayElemField() int { return r.off + 12 }

// btfRecords lists the types of the .BTF section of a little-endian object.
func btfRecords(t testing.TB, obj []byte) []btfRecord {
	t.Helper()
	f, err := elf.NewFile(bytes.NewReader(obj))
	if err != nil {
		t.Fatal(err)
	}
	if f.ByteOrder != binary.LittleEndian {
		t.Fatal("btfRecords reads little-endian objects only")
	}
	base := int(f.Section(".BTF").Offset)
	le := binary.LittleEndian
	hdrLen := int(le.Uint32(obj[base+4:]))
	start := base + hdrLen + int(le.Uint32(obj[base+8:]))
	end := start + int(le.Uint32(obj[base+12:]))
	strs := base + hdrLen + int(le.Uint32(obj[base+16:]))

	var out []btfRecord
	for id, p := uint32(1), start; p < end; id++ {
		info := le.Uint32(obj[p+4:])
		kind, vlen := int(info>>24&0x1f), int(info&0xffff)
		name := obj[strs+int(le.Uint32(obj[p:])):]
		name = name[:bytes.IndexByte(name, 0)]
		out = append(out, btfRecord{id: id, off: p, kind: kind, name: string(name)})
		p += 12
		switch kind {
		case kindInt, kindVar, kindDeclTag:
			p += 4
		case kindArray:
			p += 12
		case kindStruct, kindUnion, kindDatasec, kindEnum64:
			p += 12 * vlen
		case kindEnum, kindFuncProt:
			p += 8 * vlen
		}
	}
	return out
}

// btfRecordOf finds the record of the type of a kind and name.
func btfRecordOf(t testing.TB, records []btfRecord, kind int, name string) btfRecord {
	t.Helper()
	for _, r := range records {
		if r.kind == kind && r.name == name {
			return r
		}
	}
	t.Fatalf("no BTF type of kind %d named %q", kind, name)
	return btfRecord{}
}

func put32(b []byte, at int, v uint32) { binary.LittleEndian.PutUint32(b[at:], v) }

func le32(b []byte, at int) uint32 { return binary.LittleEndian.Uint32(b[at:]) }
