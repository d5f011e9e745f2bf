// SPDX-License-Identifier: GPL-2.0
/*
 * dupnames.c — two different structs of one name in one BTF, as in a
 * kernel's BTF (two struct console, four struct workspace from different
 * compilation units). Here a block-scope tag shadows the file-scope one;
 * a static variable in the block makes clang write both to BTF. mapgen
 * names them Console and Console_2 and says in each doc comment what tells
 * them apart, with its BTF type ID.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct console {
	__u64 flags;
	char name[16];
};

typedef struct console console_t;	/* a typedef of a named struct */

struct console g_console;
console_t *g_console_ptr;		/* puts console_t into BTF */

SEC("xdp")
int use_consoles(struct xdp_md *ctx)
{
	static struct console {
		__u32 index;
		__u16 width;
	} local_console;

	local_console.index++;
	return g_console.flags + local_console.width ? XDP_PASS : XDP_DROP;
}
