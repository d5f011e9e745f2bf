// Test object for package btfread: enums affected by clang < 15.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

enum big { BIG_A = 1, BIG_B = 0x100000000ULL };
enum neg { NEG_A = -1, NEG_B = 2 };
enum small { SMALL_A = 1, SMALL_B = 2 };

struct holder {
	enum big b;
	enum neg n;
	enum small s;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct holder);
	__uint(max_entries, 1);
} holders SEC(".maps");

SEC("socket")
int prog(void *ctx)
{
	__u32 k = 0;
	bpf_map_lookup_elem(&holders, &k);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
