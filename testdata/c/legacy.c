// SPDX-License-Identifier: GPL-2.0
/*
 * legacy.c — legacy map definitions: `struct bpf_map_def SEC("maps")`
 * (DESIGN.md section 4, last paragraph).
 *
 * libbpf no longer ships struct bpf_map_def, so it is defined here with the
 * classic five fields (20 bytes). The definitions carry only sizes: the BTF
 * has a DATASEC "maps" whose VARs are of type struct bpf_map_def, and no
 * key/value types. One BTF-style map (modern_map) sits next to them, so the
 * object has both a "maps" and a ".maps" section.
 *
 * Programs: legacy_socket (socket) uses the legacy maps.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct legacy_key {
	__u32 ifindex;
	__u16 vlan;
	__u8 proto;
};

struct legacy_val {
	__u64 packets;
	__u64 bytes;
};

struct bpf_map_def SEC("maps") legacy_hash = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(struct legacy_key),
	.value_size = sizeof(struct legacy_val),
	.max_entries = 128,
};

struct bpf_map_def SEC("maps") legacy_array = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4,
};

struct bpf_map_def SEC("maps") legacy_percpu = {
	.type = BPF_MAP_TYPE_PERCPU_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct legacy_val),
	.max_entries = 32,
	.map_flags = BPF_F_NO_PREALLOC,
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, struct legacy_key);
	__type(value, struct legacy_val);
} modern_map SEC(".maps");

SEC("socket")
int legacy_socket(struct __sk_buff *skb)
{
	struct legacy_key key = {
		.ifindex = skb->ifindex,
		.vlan = skb->vlan_tci,
		.proto = 6,
	};
	struct legacy_val *v, init = { .packets = 1, .bytes = skb->len };
	__u32 zero = 0;
	__u64 *cnt;

	v = bpf_map_lookup_elem(&legacy_hash, &key);
	if (v) {
		__sync_fetch_and_add(&v->packets, 1);
		__sync_fetch_and_add(&v->bytes, skb->len);
	} else {
		bpf_map_update_elem(&legacy_hash, &key, &init, BPF_NOEXIST);
	}
	cnt = bpf_map_lookup_elem(&legacy_array, &zero);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	v = bpf_map_lookup_elem(&legacy_percpu, &zero);
	if (v)
		v->packets++;
	bpf_map_update_elem(&modern_map, &key, &init, BPF_ANY);
	return 0;
}
