package gen

import "testing"

func TestGoName(t *testing.T) {
	for _, tc := range []struct{ c, want string }{
		{"pkt_info", "PktInfo"},
		{"src_ip", "SrcIP"},
		{"COLOR_RED", "ColorRed"},
		{"fooBar", "FooBar"},
		{"foo_bar", "FooBar"},
		{"__data", "Data"},
		{"_pad", "Pad"},
		{"type", "Type"},
		{"__u32", "U32"},
		{"ipv4", "Ipv4"},
		{"BIG64_2_32", "Big64_2_32"},
		{"x86_64", "X86_64"},
		{"TCP_hdr", "TCPHdr"},
		{"__", "X"},
		{"a", "A"},
	} {
		if got := goName(tc.c); got != tc.want {
			t.Errorf("goName(%q) = %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestScopeSuffixes(t *testing.T) {
	s := newScope("Reserved")
	for _, tc := range []struct{ want, got string }{
		{"FooBar", s.name("FooBar")},
		{"FooBar_2", s.name("FooBar")},
		{"FooBar_3", s.name("FooBar")},
		{"Reserved_2", s.name("Reserved")},
		{"Other", s.name("Other")},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
