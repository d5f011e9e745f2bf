// SPDX-License-Identifier: GPL-2.0
/*
 * quirks.c — BTF that clang emits for optimised static globals.
 *
 * A non-volatile static struct of which only one member is used is split by
 * LLVM's global SRA: .data then holds a variable named "split_lim.0" (not a C
 * identifier) whose DATASEC entry is 4 bytes long while its BTF type is the
 * whole 8-byte struct limits. A static that is only read is constant-folded
 * and vanishes from BTF entirely (folded_away). mapgen must neither crash nor
 * emit an overlapping/overlong Go field for these; data.c avoids the quirk by
 * using volatile.
 *
 * Program touch (socket) writes split_lim.min and reads plain_static.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct limits {
	__u32 min;
	__u32 max;
};

static struct limits split_lim = { .min = 3, .max = 4 };
static struct limits folded_away = { .min = 5, .max = 6 };
static __u64 plain_static = 9;
__u32 global_after = 0x77;

SEC("socket")
int touch(struct __sk_buff *skb)
{
	split_lim.min++;
	plain_static++;
	return split_lim.min + folded_away.max + global_after;
}
