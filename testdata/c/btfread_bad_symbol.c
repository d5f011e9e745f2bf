// Test object for package btfread: an invalid .values slot (symbol); mapgen
// must reject it with an error naming the map and the slot.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner_t {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} inner SEC(".maps");

volatile __u32 not_a_map = 1;

__attribute__((noinline)) int subprog(void *ctx)
{
	return not_a_map;
}

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_t);
} outer SEC(".maps") = {
	.values = { [1] = (void *)&not_a_map },
};

SEC("socket")
int prog(void *ctx)
{
	return subprog(ctx);
}

char LICENSE[] SEC("license") = "GPL";
