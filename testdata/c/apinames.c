// SPDX-License-Identifier: GPL-2.0
/*
 * apinames.c — C names that spell mapgen's own API names (issue: the
 * generated API gave way to C names: NewMaps became NewMaps_2, SetCount
 * SetCount_2), and C names that yield no Go name.
 *
 * Rules (README.md, "Names"): the names mapgen invents are reserved first;
 * a C name becomes the Go name it spells unless that is taken, then it gets
 * a suffix _2, _3, ...; a C name that spells no Go name (`_`) gets a
 * positional name (Field0) and never takes another member's name.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* Enumerators that spell package-level API names. */
enum api_clash {
	MAPS = 1,		/* Maps, the struct of typed maps */
	NEW_MAPS,		/* NewMaps */
	PROGRAMS,		/* Programs */
	OBJECTS,		/* Objects */
	LOAD_OBJECTS,		/* LoadObjects */
	DATA,			/* Data, the type of .data */
	DEFAULT_DATA,		/* DefaultData */
	READ_DATA,		/* ReadData */
	EDIT_GLOBALS,		/* EditGlobals */
	EDIT_DATA,		/* EditData: not an API name (EditGlobals edits
				 * every section), so it keeps its own */
	MAP_FLOWS,		/* MapFlows, the name constant of map flows */
	PROG_CLOSE,		/* ProgClose, the name constant of program close */
	VAR_COUNTER,		/* VarCounter */
	LOAD,			/* Load: reserved even without --embed */
	APPLY_VALUES,		/* ApplyValues: reserved even without .values */
};

/* A struct named like the Maps type. */
struct maps {
	__u32 x;
};

/* Members that spell the accessors of other members. */
struct accessors {
	__u32 count : 4;	/* bitfield: Count and SetCount */
	__u32 set_count;	/* spells SetCount: gives way */
	char task[16];		/* TaskString */
	__u32 task_string;	/* spells TaskString: gives way */
	__u32 raw0;		/* spells Raw0, the storage field of count */
};

/* Members whose C names spell no Go name, or the same one. */
struct unnamed {
	void *_;		/* no Go name: Field0 */
	__u8 __x;		/* X, its own name, whatever comes first */
};

/* A placeholder never takes a C name's name: field0 keeps Field0, and
 * `_` (member 0) gets the next free placeholder. */
struct placeholders {
	__u32 _;
	__u32 field0;
};

struct flow {
	struct maps m;
	struct placeholders p;
	struct accessors a;
	struct unnamed u;
	enum api_clash e;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct flow);
} flows SEC(".maps");

/* A map that spells Close, the method of Maps. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} close SEC(".maps");

__u64 counter = 1;			/* .data */
const volatile __u32 new_objects = 2;	/* .rodata: spells NewObjects */

SEC("xdp")
int close_prog(struct xdp_md *ctx)
{
	__u32 k = 0;
	struct flow *f = bpf_map_lookup_elem(&flows, &k);
	__u64 *v = bpf_map_lookup_elem(&close, &k);

	if (f && v)
		*v += f->a.count + counter + new_objects;
	return XDP_PASS;
}
