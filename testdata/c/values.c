// SPDX-License-Identifier: GPL-2.0
/*
 * values.c — static `.values` initializers (DESIGN.md section 5).
 *
 * Covers: ARRAY_OF_MAPS with `.values = { [0] = &inner_a, [2] = &inner_b }`
 * (slot 1 and 3 empty), HASH_OF_MAPS with `.values = { [0] = .., [1] = .. }`
 * (keys are the slot indexes), PROG_ARRAY with
 * `.values = { [1] = &tailcall_1, [3] = &tailcall_3 }`.
 * The slots are relocations against .maps (R_BPF_64_ABS64), not BTF.
 *
 * Programs (all SEC("xdp"), so BPF_PROG_TEST_RUN can run them):
 *   tailcall_1 returns XDP_DROP (1), tailcall_3 returns XDP_TX (3);
 *   entry looks up slot `tail_slot` (.rodata, default 1) of jump_table and
 *   tail-calls it; if the slot is empty it returns XDP_ABORTED (0). Before
 *   that, entry adds 1 to slot 0 of the inner map found at outer_array[0] and
 *   at outer_hash[1], so a test can check which inner map is installed.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct inner_val {
	__u64 hits;
	__u32 tag;
};

struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct inner_val);
};

struct inner_map inner_a SEC(".maps");
struct inner_map inner_b SEC(".maps");
struct inner_map inner_c SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer_array SEC(".maps") = {
	.values = {
		[0] = &inner_a,
		[2] = &inner_b,
	},
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer_hash SEC(".maps") = {
	.values = {
		[0] = &inner_c,
		[1] = &inner_a,
	},
};

int tailcall_1(struct xdp_md *ctx);
int tailcall_3(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (void *));
} jump_table SEC(".maps") = {
	.values = {
		[1] = (void *)&tailcall_1,
		[3] = (void *)&tailcall_3,
	},
};

const volatile __u32 tail_slot = 1;

SEC("xdp")
int tailcall_1(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("xdp")
int tailcall_3(struct xdp_md *ctx)
{
	return XDP_TX;
}

static __always_inline void bump(void *outer, __u32 key)
{
	__u32 zero = 0;
	void *inner = bpf_map_lookup_elem(outer, &key);
	struct inner_val *v;

	if (!inner)
		return;
	v = bpf_map_lookup_elem(inner, &zero);
	if (v)
		__sync_fetch_and_add(&v->hits, 1);
}

SEC("xdp")
int entry(struct xdp_md *ctx)
{
	bump(&outer_array, 0);
	bump(&outer_hash, 1);
	bpf_tail_call(ctx, &jump_table, tail_slot);
	return XDP_ABORTED;
}
