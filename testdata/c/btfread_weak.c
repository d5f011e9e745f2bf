// Test object for package btfread: maps with weak binding (as libbpf's
// usdt.bpf.h declares them), which cilium/ebpf's collection loader rejects.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 16);
} weak_map SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 2);
} strong_map SEC(".maps");

volatile __u32 w_global = 3;

SEC("socket")
int prog(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&weak_map, &k);
	if (v)
		*v += 1;
	bpf_map_lookup_elem(&strong_map, &k);
	return w_global;
}

char LICENSE[] SEC("license") = "GPL";
