// SPDX-License-Identifier: GPL-2.0
/*
 * events.c — maps of records rather than keys and values (issue: an array
 * of ring buffers came out as Map[int32, [4]byte], with a doc comment
 * claiming its definition had no BTF types).
 *
 * - declared_rb: a ring buffer that declares its record type with
 *   __type(value, ...), which cilium/ebpf accepts and drops when it creates
 *   the map: mapgen reads its records as that type without --event.
 * - plain_rb: a ring buffer without a record type (--event gives one).
 * - rbs: an array of ring buffers; --event rbs=TYPE types the records of
 *   its inner ring buffers.
 * - perfs: a perf event array.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct event {
	__u32 pid;
	__u32 flags : 3;
	__u32 kind : 5;
	__u64 ts;
	char comm[16];
};

struct other_event {
	__u16 code;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
	__type(value, struct event);
} declared_rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} plain_rb SEC(".maps");

struct inner_rb {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_rb);
} rbs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perfs SEC(".maps");

/* Makes struct other_event part of the BTF. */
struct other_event *unused_other_event __attribute__((unused));

SEC("xdp")
int emit(struct xdp_md *ctx)
{
	__u32 slot = 0;
	struct event e = { .pid = 42, .flags = 5, .kind = 17, .ts = 7 };
	void *rb = bpf_map_lookup_elem(&rbs, &slot);

	__builtin_memcpy(e.comm, "inner", 6);
	if (rb)
		bpf_ringbuf_output(rb, &e, sizeof(e), 0);
	bpf_ringbuf_output(&declared_rb, &e, sizeof(e), 0);
	bpf_ringbuf_output(&plain_rb, &e, sizeof(e), 0);
	bpf_perf_event_output(ctx, &perfs, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return XDP_PASS;
}
