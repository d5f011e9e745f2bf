//go:build ignore

// SPDX-License-Identifier: GPL-2.0
/*
 * packetcount.c — an XDP packet counter with a block list.
 *
 * For every IPv4 packet, count_packets adds the packet and its bytes to the
 * per-CPU counters of its IP protocol (`counters`, a per-CPU hash keyed by
 * protocol number). A packet whose source address falls in a prefix of the
 * LPM trie `blocked` is dropped: the prefix's hit count goes up, and so does
 * the protocol's `dropped` counter. Frames that are not IPv4 pass uncounted.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

/* Per-protocol counters, one copy per CPU: no atomics needed. */
struct counters {
	__u64 packets;
	__u64 bytes;
	__u64 dropped;
};

/* LPM trie key: the prefix length in bits, then the address in network
 * byte order. */
struct ipv4_prefix {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);	/* IPPROTO_* */
	__type(value, struct counters);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ipv4_prefix);
	__type(value, __u64);	/* packets dropped by this prefix */
} blocked SEC(".maps");

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct ipv4_prefix src = { .prefixlen = 32 };
	struct counters *c, zero = {};
	__u64 *hits;
	__u32 proto;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;

	proto = ip->protocol;
	c = bpf_map_lookup_elem(&counters, &proto);
	if (!c) {
		bpf_map_update_elem(&counters, &proto, &zero, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&counters, &proto);
		if (!c)
			return XDP_PASS;
	}
	c->packets++;
	c->bytes += data_end - data;

	__builtin_memcpy(src.addr, &ip->saddr, sizeof(src.addr));
	hits = bpf_map_lookup_elem(&blocked, &src);
	if (hits) {
		__sync_fetch_and_add(hits, 1);
		c->dropped++;
		return XDP_DROP;
	}
	return XDP_PASS;
}
