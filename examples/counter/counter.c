//go:build ignore

// SPDX-License-Identifier: GPL-2.0
/*
 * counter.c — a small packet counter, the example README runs mapgen on.
 *
 * SEC("xdp") count_packets parses Ethernet + IPv4 and counts packets and
 * bytes per (ifindex, IP protocol) in the `flows` hash map, counts verdicts
 * in the per-CPU array `verdicts`, and sends a `struct flow_event` to the
 * `events` ring buffer for every packet larger than `cfg.big_packet` bytes.
 * The configuration lives in .rodata (`cfg`), set from Go before load;
 * `packets_seen` (.bss) counts every packet and `counting` (.data) turns
 * the per-flow counts off, both read and written from Go while it runs.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

struct flow_key {
	__u32 ifindex;
	__u8 proto;		/* IPPROTO_* */
	__u8 ip_version;	/* 4, or 0 for non-IP */
	__u16 vlan;		/* hole-free: size 8 */
};

struct flow_counters {
	__u64 packets;
	__u64 bytes;
	__u64 last_seen_ns;
	__u32 max_len;		/* tail padding 28..31 */
};

enum verdict {
	VERDICT_PASS,
	VERDICT_DROP,
	VERDICT_MAX,
};

struct flow_event {
	__u64 ts_ns;
	struct flow_key key;
	__u32 len;
	__u32 saddr;		/* network byte order */
	__u32 daddr;
	enum verdict verdict;
};

/* Ring buffer records carry no type in BTF; this unused pointer puts
 * struct flow_event there, so mapgen --event events=flow_event finds it. */
const struct flow_event *unused_flow_event __attribute__((unused));

struct config {
	__u32 big_packet;	/* bytes; report larger packets as events */
	_Bool drop_big;		/* XDP_DROP packets above big_packet */
	__u8 _pad[3];
};

const volatile struct config cfg = {
	.big_packet = 1500,
	.drop_big = 0,
};

/* Every packet the program saw, counted or not. */
__u64 packets_seen;
/* 0 stops the per-flow counts; set from Go after load. */
volatile __u32 counting = 1;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct flow_key);
	__type(value, struct flow_counters);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VERDICT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} verdicts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct flow_key key = { .ifindex = ctx->ingress_ifindex };
	struct flow_counters *fc, init = {};
	__u32 len = data_end - data;
	__u32 saddr = 0, daddr = 0;
	enum verdict v = VERDICT_PASS;
	__u64 now = bpf_ktime_get_ns();
	__u64 *cnt;

	__sync_fetch_and_add(&packets_seen, 1);
	if (!counting)
		return XDP_PASS;
	if ((void *)(eth + 1) > data_end)
		goto out;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > data_end)
			goto out;
		key.proto = ip->protocol;
		key.ip_version = 4;
		saddr = ip->saddr;
		daddr = ip->daddr;
	}

	fc = bpf_map_lookup_elem(&flows, &key);
	if (!fc) {
		bpf_map_update_elem(&flows, &key, &init, BPF_NOEXIST);
		fc = bpf_map_lookup_elem(&flows, &key);
		if (!fc)
			goto out;
	}
	__sync_fetch_and_add(&fc->packets, 1);
	__sync_fetch_and_add(&fc->bytes, len);
	fc->last_seen_ns = now;
	if (len > fc->max_len)
		fc->max_len = len;

	if (len > cfg.big_packet) {
		struct flow_event *ev;

		if (cfg.drop_big)
			v = VERDICT_DROP;
		ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
		if (ev) {
			ev->ts_ns = now;
			ev->key = key;
			ev->len = len;
			ev->saddr = saddr;
			ev->daddr = daddr;
			ev->verdict = v;
			bpf_ringbuf_submit(ev, 0);
		}
	}
out:;
	__u32 idx = v;
	cnt = bpf_map_lookup_elem(&verdicts, &idx);
	if (cnt)
		(*cnt)++;
	return v == VERDICT_DROP ? XDP_DROP : XDP_PASS;
}
