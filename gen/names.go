package gen

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names in generated code follow these rules, in this order (README.md,
// "Names", states them for users):
//
//  1. The names mapgen invents are the API (Maps, NewMaps, Load,
//     DefaultRodata, EditGlobals, the Set and String accessors of a member,
//     the Raw storage fields, ...). They are reserved before any C name is
//     turned into a Go name, so they never change because of what the C
//     code declares.
//  2. Every other name comes from the C name it stands for (goName).
//  3. A C-derived name that is taken (by the API, or by an earlier C name)
//     gets the first free suffix _2, _3, ...
//  4. A C name that yields no Go name at all (`_`, `$`) gets a placeholder
//     (nameEach) after every C name got its own, so it never takes one.

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

// goName turns a C name into an exported Go identifier: pkt_info ->
// PktInfo, src_ip -> SrcIP, COLOR_RED -> ColorRed, fooBar -> FooBar. Words
// are separated by underscores and by anything that cannot be part of a Go
// identifier ($, control characters, bytes that are not UTF-8). A name
// whose first letter has no upper case, or that starts with a digit, gets
// an X in front (_1st -> X1st). It returns "" if cname has no letter or
// digit at all: the caller then uses a positional name.
func goName(cname string) string {
	var b strings.Builder
	for _, word := range words(cname) {
		lower := strings.ToLower(word)
		if cur := b.String(); cur != "" && isDigit(cur[len(cur)-1]) && isDigit(word[0]) {
			// Keep digits apart: BIG64_2_32 is Big64_2_32, not Big64232.
			b.WriteByte('_')
		}
		switch {
		case initialisms[lower]:
			b.WriteString(strings.ToUpper(word))
		case word == lower || word == strings.ToUpper(word):
			// all one case: a word
			b.WriteString(upperFirst(lower))
		default:
			// camelCase: keep the author's capitals
			b.WriteString(upperFirst(word))
		}
	}
	name := b.String()
	if name == "" {
		return ""
	}
	if r, _ := utf8.DecodeRuneInString(name); !unicode.IsUpper(r) {
		name = "X" + name
	}
	return name
}

// words splits a C name into runs of letters and digits.
func words(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); {
		r, size := utf8.RuneError, 1
		if i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		ok := i < len(s) && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
		switch {
		case ok && start < 0:
			start = i
		case !ok && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
		i += size
	}
	return out
}

func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// nameEach names n things in scope s: first, in order, every thing i
// whose C name yields a Go name, derived(i) (empty if it yields none); then
// the others, placeholder(i) (a member `_` third in its struct is Field2).
// A placeholder so never takes the name of a C name, wherever it stands.
func nameEach(s *scope, n int, derived, placeholder func(i int) string, set func(i int, name string)) {
	var unnamed []int
	for i := range n {
		if d := derived(i); d != "" {
			set(i, s.name(d))
		} else {
			unnamed = append(unnamed, i)
		}
	}
	for _, i := range unnamed {
		set(i, s.name(placeholder(i)))
	}
}

// prefixed is goName(cname) after prefix, or "" if cname yields no Go
// name.
func prefixed(prefix, cname string) string {
	if g := goName(cname); g != "" {
		return prefix + g
	}
	return ""
}

// joinName makes one Go name from several C names (outer struct, member).
func joinName(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(goName(p))
	}
	return b.String()
}

// scope hands out names unique within one Go namespace: a package, or the
// fields and methods of one type. reserve takes the API's names first;
// name gives a C-derived name, or its first free suffix.
type scope struct {
	taken map[string]bool
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
	name := want
	for i := 2; s.taken[name]; i++ {
		name = want + "_" + strconv.Itoa(i)
	}
	s.taken[name] = true
	return name
}

// isCIdentifier reports whether s is spelled like a C identifier, so that
// doc comments can show it as it is.
func isCIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range []byte(s) {
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// cName shows a C name in a doc comment: as it is if it is an identifier,
// else quoted with Go escapes (names from BTF can hold anything).
func cName(s string) string {
	if isCIdentifier(s) {
		return s
	}
	return strconv.Quote(s)
}
