// SPDX-License-Identifier: GPL-2.0
/*
 * numa.c — a BTF map definition with the `numa_node` field.
 *
 * libbpf accepts `__uint(numa_node, N)` in a .maps definition, but
 * cilium/ebpf v0.22.0 LoadCollectionSpec refuses the whole object:
 *   load BTF maps: map numa_map: unrecognized field numa_node in BTF map definition
 * mapgen must read such objects anyway (or fail with a clear error), so this
 * object is deliberately kept out of maps.c.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct numa_val {
	__u64 hits;
	__u32 node;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NUMA_NODE);
	__uint(numa_node, 0);
	__type(key, __u32);
	__type(value, struct numa_val);
} numa_map SEC(".maps");

SEC("socket")
int numa_prog(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct numa_val *v = bpf_map_lookup_elem(&numa_map, &key);

	if (v)
		v->hits++;
	return 0;
}
