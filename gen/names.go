package gen

import (
	"strconv"
	"strings"
	"unicode"
)

// initialisms are written in upper case in Go names (src_ip -> SrcIP), as
// Go's own style asks.
var initialisms = map[string]bool{
	"acl": true, "api": true, "ascii": true, "bpf": true, "btf": true, "cpu": true,
	"dns": true, "eof": true, "gid": true, "guid": true, "html": true, "http": true,
	"https": true, "icmp": true, "id": true, "ip": true, "json": true, "lru": true,
	"mac": true, "mtu": true, "pid": true, "rpc": true, "sql": true, "ssh": true,
	"tcp": true, "tid": true, "tls": true, "ttl": true, "udp": true, "uid": true,
	"uri": true, "url": true, "utf8": true, "uuid": true, "vlan": true, "xdp": true,
	"xml": true,
}

// goName turns a C identifier into an exported Go name: pkt_info -> PktInfo,
// src_ip -> SrcIP, COLOR_RED -> ColorRed, fooBar -> FooBar.
func goName(cname string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(cname, "_") {
		if part == "" {
			continue
		}
		lower := strings.ToLower(part)
		if cur := b.String(); cur != "" && isDigit(cur[len(cur)-1]) && isDigit(part[0]) {
			// Keep digits apart: BIG64_2_32 is Big64_2_32, not Big64232.
			b.WriteByte('_')
		}
		switch {
		case initialisms[lower]:
			b.WriteString(strings.ToUpper(part))
		case part == lower || part == strings.ToUpper(part):
			// all one case: a word
			b.WriteString(strings.ToUpper(lower[:1]) + lower[1:])
		default:
			// camelCase: keep the author's capitals
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	name := b.String()
	if name == "" {
		return "X"
	}
	if r := rune(name[0]); !unicode.IsLetter(r) {
		name = "X" + name
	}
	return name
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// joinName makes one Go name from several C names (outer struct, member).
func joinName(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(goName(p))
	}
	return b.String()
}

// scope hands out names unique within one Go namespace: a package, or the
// fields and methods of one type. The first to ask gets the plain name;
// later ones get a numeric suffix, so names are deterministic for a
// deterministic order of requests.
type scope struct {
	taken map[string]bool
	// prefix starts every name handed out (package scope only).
	prefix string
}

func newScope(reserved ...string) *scope {
	s := &scope{taken: make(map[string]bool)}
	for _, r := range reserved {
		s.taken[r] = true
	}
	return s
}

// name returns want, or want_2, want_3 ... if taken, and takes it.
func (s *scope) name(want string) string {
	want = s.prefix + want
	name := want
	for i := 2; s.taken[name]; i++ {
		name = want + "_" + strconv.Itoa(i)
	}
	s.taken[name] = true
	return name
}

// nameRaw is name without the prefix, for names that place it elsewhere
// (NewPrefixMaps).
func (s *scope) nameRaw(want string) string {
	prefix := s.prefix
	s.prefix = ""
	defer func() { s.prefix = prefix }()
	return s.name(want)
}

// has reports whether name is taken.
func (s *scope) has(name string) bool { return s.taken[name] }
