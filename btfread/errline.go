package btfread

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// lineError is an error whose message is made one line of printable text:
// names in BTF and in file paths are bytes, and cilium/ebpf puts them into
// its errors as they are, so a name holding a newline would split the
// message (and a terminal escape would reach the user's terminal).
type lineError struct{ err error }

// oneLine returns err with its message made printable, nil for nil.
func oneLine(err error) error {
	if err == nil {
		return nil
	}
	return &lineError{err}
}

func (e *lineError) Error() string { return printable(e.err.Error()) }

func (e *lineError) Unwrap() error { return e.err }

// printable escapes, as Go quotes them, every byte of s that is not valid
// UTF-8 and every rune that is not printable (newlines, tabs, escapes).
func printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case !unicode.IsPrint(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
