//go:build ignore

// SPDX-License-Identifier: GPL-2.0
/*
 * dispatcher.c — an XDP dispatcher with per-tenant counters.
 *
 * Frames of EtherType cfg.ethertype carry a struct msg after the Ethernet
 * header: a tenant and an action. dispatch counts the frame in its tenant's
 * own map, the inner array tenants[tenant] (indexed by action), then tail
 * calls handlers[action]. A frame whose tenant has no map or whose action has
 * no handler counts as a miss (the global `misses`, in .bss) and gets the
 * verdict cfg.miss. Other frames pass.
 *
 * Tenants 0 and 1 and the handlers for ACTION_PASS and ACTION_DROP are
 * installed statically, with .values; user space adds the rest at run time.
 * cfg is in .rodata: set it before loading.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

enum action {
	ACTION_PASS,
	ACTION_DROP,
	ACTION_REFLECT,	/* send the frame back with the MAC addresses swapped */
	ACTION_MAX = 4,
};

/* The header after Ethernet. */
struct msg {
	__u8 tenant;
	__u8 action;	/* enum action */
	__be16 len;
};

struct action_stats {
	__u64 packets;
	__u64 bytes;
};

/* The map of one tenant: counters indexed by action. */
struct tenant_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ACTION_MAX);
	__type(key, enum action);
	__type(value, struct action_stats);
};

struct tenant_map tenant0 SEC(".maps");
struct tenant_map tenant1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 16);
	__type(key, __u32);
	__array(values, struct tenant_map);
} tenants SEC(".maps") = {
	.values = {
		[0] = &tenant0,
		[1] = &tenant1,
	},
};

int handle_pass(struct xdp_md *ctx);
int handle_drop(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, ACTION_MAX);
	__type(key, enum action);
	__array(values, int (void *));
} handlers SEC(".maps") = {
	.values = {
		[ACTION_PASS] = (void *)&handle_pass,
		[ACTION_DROP] = (void *)&handle_drop,
	},
};

struct config {
	__u16 ethertype;	/* EtherType of dispatched frames */
	__u16 _pad;
	enum xdp_action miss;	/* verdict for a frame nobody handles */
};

const volatile struct config cfg = {
	.ethertype = 0x88b5,	/* IEEE local experimental EtherType 1 */
	.miss = XDP_PASS,
};

/* Frames that found no tenant map or no handler. */
__u64 misses;

SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct msg *m = (void *)(eth + 1);
	struct action_stats *st;
	__u32 tenant, action;
	void *tmap;

	if ((void *)(m + 1) > data_end || eth->h_proto != bpf_htons(cfg.ethertype))
		return XDP_PASS;
	tenant = m->tenant;
	action = m->action;

	tmap = bpf_map_lookup_elem(&tenants, &tenant);
	if (!tmap)
		goto miss;
	st = bpf_map_lookup_elem(tmap, &action);
	if (st) {
		__sync_fetch_and_add(&st->packets, 1);
		__sync_fetch_and_add(&st->bytes, data_end - data);
	}
	bpf_tail_call(ctx, &handlers, action);
miss:
	__sync_fetch_and_add(&misses, 1);
	return cfg.miss;
}

SEC("xdp")
int handle_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int handle_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("xdp")
int handle_reflect(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	unsigned char tmp[ETH_ALEN];

	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
	return XDP_TX;
}
