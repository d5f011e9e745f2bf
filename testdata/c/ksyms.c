// SPDX-License-Identifier: GPL-2.0
/*
 * ksyms.c — .ksyms and .kconfig externs in the forms libbpf accepts but
 * cilium/ebpf v0.22.0 LoadCollectionSpec refuses.
 *
 * Declares: a typeless ksym in the canonical libbpf form
 * `extern const void bpf_prog_active __ksym` (BTF: VAR -> CONST -> VOID), a
 * typed ksym of a forward-declared kernel struct
 * `extern const struct rq runqueues __ksym` (VAR -> CONST -> FWD), a weak
 * kfunc (`bpf_iter_num_new/next/destroy ... __ksym __weak`, BTF FUNC in the
 * .ksyms DATASEC) and a weak kconfig (`extern unsigned int CONFIG_HZ
 * __kconfig __weak`). Map ksym_results (ARRAY of struct ksym_out) receives
 * what the program computes.
 *
 * Program on_getpid (SEC("tp/syscalls/sys_enter_getpid")).
 *
 * cilium/ebpf v0.22.0 LoadCollectionSpec REFUSES this object (both byte
 * orders), on the first of these it meets:
 *   load virtual .ksyms section: data section .ksyms: expected
 *   bpf_prog_active to be *Void, not *btf.Var: not supported
 * (any non-void ksym type, including `const void`, is refused: with only the
 * typed ksym the message names runqueues). A weak __kconfig alone is refused
 * with "asm relocation: CONFIG_HZ: unsupported binding: STB_WEAK".
 * ksyms_ok.c holds the forms cilium/ebpf accepts.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* not in the 6.1 UAPI headers: as in the kernel's bpf_experimental.h */
struct bpf_iter_num {
	__u64 __opaque[1];
} __attribute__((aligned(8)));

struct rq;	/* kernel type, forward-declared only */

extern const void bpf_prog_active __ksym;
extern const struct rq runqueues __ksym;
extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym __weak;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym __weak;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym __weak;
extern unsigned int CONFIG_HZ __kconfig __weak;

struct ksym_out {
	__u64 prog_active_addr;
	__u64 rq_addr;
	__s64 iter_sum;
	__u32 hz;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ksym_out);
} ksym_results SEC(".maps");

SEC("tp/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	__u32 zero = 0;
	struct ksym_out *out = bpf_map_lookup_elem(&ksym_results, &zero);
	struct bpf_iter_num it;
	__s64 sum = 0;
	int *n;

	if (!out)
		return 0;
	out->prog_active_addr = (__u64)bpf_this_cpu_ptr(&bpf_prog_active);
	out->rq_addr = (__u64)bpf_this_cpu_ptr(&runqueues);
	out->hz = CONFIG_HZ;
	if (bpf_iter_num_new) {
		bpf_iter_num_new(&it, 0, 5);
		while ((n = bpf_iter_num_next(&it)))
			sum += *n;
		bpf_iter_num_destroy(&it);
	}
	out->iter_sum = sum;
	return 0;
}
