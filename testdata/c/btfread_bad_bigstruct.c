// Test object for package layout (via btfread, cmd/mapgen): a struct of
// more than 4 GiB. clang writes its size wrapped to 32 bits (4 bytes) in
// BTF, while its member keeps the element count of the whole array.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct big {
	int a[0x40000001];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct big);
} big_map SEC(".maps");

char LICENSE[] SEC("license") = "GPL";
