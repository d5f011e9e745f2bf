// SPDX-License-Identifier: GPL-2.0
/*
 * ksyms_ok.c — .ksyms and .kconfig externs in the forms cilium/ebpf v0.22.0
 * LoadCollectionSpec accepts (compare ksyms.c).
 *
 * Declares: a typeless ksym without const (`extern void bpf_prog_active
 * __ksym`: BTF VAR -> VOID), weak kfuncs (bpf_iter_num_new/next/destroy,
 * BTF FUNCs in the .ksyms DATASEC, extern linkage), and a non-weak kconfig
 * (`extern unsigned int CONFIG_HZ __kconfig`, virtual .kconfig DATASEC with
 * size and offsets 0 in the raw object; cilium/ebpf does not list it in
 * CollectionSpec.Maps, it resolves it when loading). Neither DATASEC has an
 * ELF section. Map ksym_results as in
 * ksyms.c.
 *
 * Program on_getpid (SEC("tp/syscalls/sys_enter_getpid")).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct bpf_iter_num {
	__u64 __opaque[1];
} __attribute__((aligned(8)));

extern void bpf_prog_active __ksym;
extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym __weak;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym __weak;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym __weak;
extern unsigned int CONFIG_HZ __kconfig;

struct ksym_out {
	__u64 prog_active_addr;
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
