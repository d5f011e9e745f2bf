// Test object for package btfread: global data sections and variables.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct cfg {
	__u8 mode;
	__u32 limit;
};

volatile const __u32 rc_u32 = 0x11223344;
volatile const struct cfg rc_cfg = { .mode = 7, .limit = 1000 };
volatile __u64 d_counter = 5;
volatile __s16 d_small = -2;
volatile __u32 b_zero;
volatile __u64 b_arr[3];
static volatile __u32 s_data = 9;
volatile __u32 named_a SEC(".data.named") = 0xdeadbeef;
volatile const __u16 named_ro SEC(".rodata.named") = 0x1234;

SEC("socket")
int prog(void *ctx)
{
	d_counter += rc_u32 + rc_cfg.limit + b_zero + b_arr[1] + s_data + named_a + named_ro + d_small;
	s_data++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
