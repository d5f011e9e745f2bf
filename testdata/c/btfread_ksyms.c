// Test object for package btfread: a typed __ksym extern (a .ksyms Var
// whose type is not void), which cilium/ebpf's collection loader rejects.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct rq { int cpu; };
extern const struct rq runqueues __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} cpu_vals SEC(".maps");

static volatile __u64 k_static = 42;
const volatile __u32 k_ro = 7;

SEC("socket")
int prog(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&cpu_vals, &k);
	if (v)
		*v += (long)&runqueues + k_static + k_ro;
	k_static++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
