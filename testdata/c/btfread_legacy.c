// Test object for package btfread: legacy "maps" section plus a BTF map.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_map_def_legacy {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def_legacy old_hash SEC("maps") = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = 4,
	.value_size = 8,
	.max_entries = 64,
	.map_flags = BPF_F_NO_PREALLOC,
};

struct bpf_map_def_legacy old_array SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = 4,
	.value_size = 16,
	.max_entries = 2,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} new_map SEC(".maps");

SEC("socket")
int prog(void *ctx)
{
	__u32 k = 0;
	bpf_map_lookup_elem(&old_hash, &k);
	bpf_map_lookup_elem(&old_array, &k);
	bpf_map_lookup_elem(&new_map, &k);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
