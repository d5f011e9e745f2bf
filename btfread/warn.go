package btfread

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/btf"
)

var clangVersion = regexp.MustCompile(`clang version (\d+)\.(\d+)(?:\.(\d+))?`)

// clangMajor returns the clang major version and full version string from
// an object's .comment section, or 0 if no clang version is recorded.
func clangMajor(comment string) (int, string) {
	for _, s := range trimComment(comment) {
		m := clangVersion.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		major, err := strconv.Atoi(m[1])
		if err != nil {
			continue
		}
		return major, strings.TrimPrefix(m[0], "clang version ")
	}
	return 0, ""
}

// enumWarnings warns about enums that clang < 15 may have encoded wrongly:
// it truncates 64-bit enum values (an 8-byte enum), and writes negative
// values as unsigned (an unsigned enum with a value whose top bit is set).
func enumWarnings(comment string, spec *btf.Spec) ([]string, error) {
	major, version := clangMajor(comment)
	if major == 0 || major >= 15 {
		return nil, nil
	}
	var warnings []string
	for typ, err := range spec.All() {
		if err != nil {
			return nil, fmt.Errorf("BTF: %w", err)
		}
		e, ok := typ.(*btf.Enum)
		if !ok {
			continue
		}
		name := enumName(e)
		if e.Size == 8 {
			warnings = append(warnings, fmt.Sprintf("%s: built by clang %s (< 15), which truncates 64-bit enum values to 32 bits: check its values", name, version))
			continue
		}
		if e.Signed || e.Size == 0 || e.Size > 8 {
			continue
		}
		top := uint64(1) << (e.Size*8 - 1)
		for _, v := range e.Values {
			if v.Value&top != 0 {
				warnings = append(warnings, fmt.Sprintf("%s: built by clang %s (< 15), which writes negative enum values as unsigned: %s = %#x may be a negative value", name, version, v.Name, v.Value))
				break
			}
		}
	}
	sort.Strings(warnings)
	return warnings, nil
}

func enumName(e *btf.Enum) string {
	if e.Name != "" {
		return "enum " + e.Name
	}
	if len(e.Values) > 0 {
		return "anonymous enum {" + e.Values[0].Name + ", ...}"
	}
	return "anonymous enum"
}
