// Test object for package btfread: a map whose value type is more than
// 4 GiB. BTF holds the array's element count; the size in bytes does not
// fit the 32 bits of a map's value size (cilium/ebpf truncates it to 4).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, int[0x40000001]);
} big_map SEC(".maps");

char LICENSE[] SEC("license") = "GPL";
