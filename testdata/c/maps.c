// SPDX-License-Identifier: GPL-2.0
/*
 * maps.c — one BTF-style (.maps) map of every kind clang can declare
 * (DESIGN.md section 4, "Typed maps").
 *
 * Kinds: HASH, ARRAY, PERCPU_HASH, PERCPU_ARRAY, LRU_HASH, LRU_PERCPU_HASH,
 * LPM_TRIE (IPv4 and IPv6 keys, BPF_F_NO_PREALLOC), QUEUE and STACK (no key),
 * BLOOM_FILTER (map_extra = 3), RINGBUF, USER_RINGBUF, PERF_EVENT_ARRAY,
 * ARRAY_OF_MAPS and HASH_OF_MAPS (__array(values, ...) inner templates),
 * PROG_ARRAY, SOCKMAP, SOCKHASH, DEVMAP, DEVMAP_HASH (struct bpf_devmap_val),
 * CPUMAP (struct bpf_cpumap_val), XSKMAP, SK_STORAGE, INODE_STORAGE,
 * TASK_STORAGE, CGRP_STORAGE, CGROUP_STORAGE and PERCPU_CGROUP_STORAGE
 * (deprecated but still offered), CGROUP_ARRAY, STACK_TRACE,
 * REUSEPORT_SOCKARRAY, ARENA.
 * Not covered: STRUCT_OPS (needs a kernel struct type such as
 * tcp_congestion_ops from vmlinux.h).
 *
 * The installed UAPI header (linux-libc-dev 6.1) predates CGRP_STORAGE (32)
 * and ARENA (33), so their numbers are defined here.
 *
 * Also: maps declared with key_size/value_size only (no BTF key/value types),
 * a map pinned with LIBBPF_PIN_BY_NAME, a map with map_flags
 * BPF_F_NUMA_NODE | BPF_F_NO_PREALLOC, and a read-only-for-programs map
 * (BPF_F_RDONLY_PROG). The `numa_node` field itself is in numa.c, because
 * cilium/ebpf v0.22.0 refuses it.
 * All map definitions are accepted by the 6.18 kernel (BPF_MAP_CREATE).
 * Programs count_xdp (xdp), count_tc (tc) and count_socket (socket) use some
 * of the maps.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#ifndef BPF_MAP_TYPE_CGRP_STORAGE
#define BPF_MAP_TYPE_CGRP_STORAGE 32
#endif
#ifndef BPF_MAP_TYPE_ARENA
#define BPF_MAP_TYPE_ARENA 33
#endif

/* ---- key/value types ---- */

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;		/* tail padding 13..15 */
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
	__u32 last_seen_sec;
	__u16 flags;		/* tail padding 14..15 */
};

struct config {
	__u32 sample_rate;
	_Bool enabled;
	char label[11];
	__u64 deadline_ns;
};

struct counters {
	__u64 rx;
	__u64 tx;
	__u32 drops;		/* tail padding */
};

struct scratch {
	__u8 buf[64];
	__u32 len;
};

struct lru_val {
	__u64 ts;
	__s32 delta;
	__u16 cpu;
	__u8 state;
};

struct lpm_v4_key {
	__u32 prefixlen;	/* must be first: LPM trie key layout */
	__u8 addr[4];
};

struct lpm_v6_key {
	__u32 prefixlen;
	__u32 addr6[4];
};

struct route {
	__u32 nexthop;
	__u32 ifindex;
	__u16 metric;
};

struct event {
	__u64 ts_ns;
	__u32 pid;
	__u32 tid;
	char comm[16];
	__s32 ret;
	__u8 kind;
	__u8 _pad[3];
};

struct sock_key {
	__u32 sip4;
	__u32 dip4;
	__u32 sport;
	__u32 dport;
	__u8 family;
};

struct sk_stg {
	__u64 created_ns;
	__u32 bytes;
	__u16 state;
};

struct inode_stg {
	__u32 opens;
	__u32 denied;
};

struct task_stg {
	__u64 start_ns;
	char comm[16];
	__u32 flags;
};

struct cgrp_stg {
	__u64 bytes;
	__u64 packets;
};

struct pinned_val {
	__u32 generation;
	__u32 users;
};

typedef __u64 stack_trace_t[127];	/* PERF_MAX_STACK_DEPTH */

/* ---- generic maps ---- */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct config);
} config_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 128);
	__type(key, __u64);
	__type(value, struct counters);
} percpu_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} percpu_scratch SEC(".maps");

/* per-CPU value of a 4-byte type: kernel stride is 8 per CPU */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} percpu_u32 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, struct flow_key);
	__type(value, struct lru_val);
} lru_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct lru_val);
} lru_percpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 64);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_v4_key);
	__type(value, struct route);
} routes_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 64);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_v6_key);
	__type(value, __u32);
} routes_v6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 32);
	__type(value, struct event);
} event_queue SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 32);
	__type(value, __u64);
} addr_stack SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 1000);
	__uint(map_extra, 3);		/* number of hash functions */
	__type(value, __u32);
} seen_bloom SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events_rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096 * 4);
} user_rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

/* ---- map-in-map ---- */

struct inner_array {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct counters);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_array);
} outer_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 16);
	__type(key, struct flow_key);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_HASH);
		__uint(max_entries, 32);
		__type(key, __u64);
		__type(value, struct flow_stats);
	});
} outer_hash SEC(".maps");

/* ---- programs / sockets / devices ---- */

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 8);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} jump_table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} sock_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 16);
	__type(key, struct sock_key);
	__type(value, __u64);
} sock_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} tx_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} tx_ports_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpu_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 128);
	__type(key, __u32);
	__type(value, stack_trace_t);
} stack_traces SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_REUSEPORT_SOCKARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} reuseport SEC(".maps");

/* ---- local storage ---- */

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sk_stg);
} sk_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_INODE_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct inode_stg);
} inode_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_stg);
} task_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGRP_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct cgrp_stg);
} cgrp_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_STORAGE);
	__type(key, struct bpf_cgroup_storage_key);
	__type(value, struct cgrp_stg);
} cgroup_storage_legacy SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE);
	__type(key, struct bpf_cgroup_storage_key);
	__type(value, __u64);
} percpu_cgroup_storage SEC(".maps");

/* ---- arena ---- */

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);		/* pages */
} arena SEC(".maps");

/* ---- attributes ---- */

/* no BTF key/value types, sizes only */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__uint(key_size, 8);
	__uint(value_size, 16);
} sized_only SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 24);
} sized_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__type(key, __u32);
	__type(value, struct pinned_val);
} pinned_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NUMA_NODE | BPF_F_NO_PREALLOC);	/* node 0 */
	__type(key, __u32);
	__type(value, __u64);
} numa_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, __u32);
	__type(value, struct config);
} ro_config SEC(".maps");

/* ---- programs ---- */

SEC("xdp")
int count_xdp(struct xdp_md *ctx)
{
	struct flow_key key = {
		.proto = 17,
		.sport = 53,
	};
	struct flow_stats *st, init = { .packets = 1 };
	__u32 zero = 0;

	st = bpf_map_lookup_elem(&flows, &key);
	if (st)
		__sync_fetch_and_add(&st->packets, 1);
	else
		bpf_map_update_elem(&flows, &key, &init, BPF_NOEXIST);

	struct config *cfg = bpf_map_lookup_elem(&config_array, &zero);
	if (cfg && !cfg->enabled)
		return XDP_PASS;

	__u32 *pc = bpf_map_lookup_elem(&percpu_u32, &zero);
	if (pc)
		(*pc)++;

	struct event ev = { .pid = 1, .kind = 2 };
	bpf_map_push_elem(&event_queue, &ev, BPF_EXIST);
	__u64 addr = 0x1000;
	bpf_map_push_elem(&addr_stack, &addr, 0);
	__u32 h = 42;
	bpf_map_push_elem(&seen_bloom, &h, 0);

	struct event *rec = bpf_ringbuf_reserve(&events_rb, sizeof(*rec), 0);
	if (rec) {
		rec->pid = 7;
		bpf_ringbuf_submit(rec, 0);
	}

	void *inner = bpf_map_lookup_elem(&outer_array, &zero);
	if (inner) {
		struct counters *c = bpf_map_lookup_elem(inner, &zero);
		if (c)
			c->rx++;
	}
	bpf_tail_call(ctx, &jump_table, 0);
	return bpf_redirect_map(&tx_ports, 0, XDP_PASS);
}

SEC("tc")
int count_tc(struct __sk_buff *skb)
{
	__u64 key = skb->ifindex;
	struct counters *c = bpf_map_lookup_elem(&percpu_counters, &key);

	if (c)
		c->tx += skb->len;
	return 0;
}

SEC("socket")
int count_socket(struct __sk_buff *skb)
{
	__u32 key = skb->protocol;
	struct pinned_val *p = bpf_map_lookup_elem(&pinned_map, &key);

	if (p)
		p->users++;
	__u64 *n = bpf_map_lookup_elem(&numa_map, &key);
	if (n)
		(*n)++;
	__u64 key8 = key;
	__u8 *v = bpf_map_lookup_elem(&sized_only, &key8);
	if (v)
		v[0]++;
	return 0;
}
