// SPDX-License-Identifier: GPL-2.0
/*
 * usdt.c — libbpf USDT support (<bpf/usdt.bpf.h>) and a SEC("usdt") program.
 *
 * usdt.bpf.h declares two maps with weak linkage (__bpf_usdt_specs, an ARRAY
 * of struct __bpf_usdt_spec with an enum and a bool member, and
 * __bpf_usdt_ip_to_spec_id, a HASH long -> __u32), weak hidden global
 * functions, and `extern const _Bool LINUX_HAS_BPF_COOKIE __kconfig` (the
 * virtual .kconfig DATASEC). Our own map usdt_hits has a struct key/value.
 *
 * Program on_usdt (SEC("usdt")) reads two USDT arguments, the argument count
 * and the cookie into usdt_hits.
 *
 * cilium/ebpf v0.22.0 LoadCollectionSpec REFUSES this object (both byte
 * orders) because of the weak map symbols:
 *   load programs: section .text: offset 64 in section .text: relocating
 *   instruction: map "__bpf_usdt_ip_to_spec_id": unsupported binding: STB_WEAK
 * (bpfeb: same text). mapgen must still read its maps and types (btf.LoadSpec
 * works) or fail with a clear error. The .ksyms cases are in ksyms.c and
 * ksyms_ok.c.
 */
#define __TARGET_ARCH_x86	/* PT_REGS_* for bpf_tracing.h */
#include <stdbool.h>		/* usdt.bpf.h uses bool */
#include <linux/types.h>
#include <linux/bpf.h>
#include <asm/ptrace.h>		/* UAPI struct pt_regs */
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

char LICENSE[] SEC("license") = "GPL";

struct usdt_key {
	__u32 pid;
	__s32 arg_cnt;
};

struct usdt_val {
	long arg0;
	long arg1;
	__u64 count;
	__u64 cookie;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct usdt_key);
	__type(value, struct usdt_val);
} usdt_hits SEC(".maps");

SEC("usdt")
int BPF_USDT(on_usdt, long a0, long a1)
{
	struct usdt_key key = {
		.pid = bpf_get_current_pid_tgid() >> 32,
		.arg_cnt = bpf_usdt_arg_cnt(ctx),
	};
	struct usdt_val *v, init = {
		.arg0 = a0,
		.arg1 = a1,
		.count = 1,
		.cookie = bpf_usdt_cookie(ctx),
	};

	v = bpf_map_lookup_elem(&usdt_hits, &key);
	if (v)
		__sync_fetch_and_add(&v->count, 1);
	else
		bpf_map_update_elem(&usdt_hits, &key, &init, BPF_NOEXIST);
	return 0;
}
