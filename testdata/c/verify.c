// SPDX-License-Identifier: GPL-2.0
/*
 * verify.c — C types for `mapgen verify` (internal/verify, cmd/mapgen).
 *
 * One type per classic failure of hand-written Go types, and one type with
 * every kind of member that has a correct Go form. Go fixture packages in
 * testdata/verify/ pair with them: good/ holds correct Go types, every other
 * package one classic failure.
 *
 * Every type is the value of a one-entry ARRAY map named after it, so it is
 * in BTF and bpf2go generates it.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define ARRAY_MAP(T, name)                           \
	struct {                                     \
		__uint(type, BPF_MAP_TYPE_ARRAY);    \
		__uint(max_entries, 1);              \
		__type(key, __u32);                  \
		__type(value, T);                    \
	} name SEC(".maps")

/* u64 after u32: a hole at 4..7 that Go leaves out on 386, arm, mips(le). */
struct pad64 {
	__u32 a;
	__u64 b;
	__u32 c;	/* tail padding 20..23 */
};
ARRAY_MAP(struct pad64, pad64_map);

/* A packed member: b at 4, 12 bytes; Go puts b at 8 on 64-bit targets. */
struct packed_pair {
	__u32 a;
	__u64 b;
} __attribute__((packed));
ARRAY_MAP(struct packed_pair, packed_pair_map);

/* A flexible array member: 8 bytes; a Go [0]T at the end makes Go pad. */
struct flex {
	__u32 len;
	__u32 flags;
	__u32 data[];
};
ARRAY_MAP(struct flex, flex_map);

/* A union larger than its first member. */
union num {
	__u32 small;
	__u64 big;
};

struct tagged {
	__u32 kind;
	union num v;	/* 8..15 */
};
ARRAY_MAP(struct tagged, tagged_map);

/* Bitfields, then a plain member. */
struct bits {
	__u32 lo : 4, mid : 12, hi : 16;
	__u32 after;
};
ARRAY_MAP(struct bits, bits_map);

enum color { COLOR_RED, COLOR_GREEN, COLOR_BLUE };

struct point {
	__s32 x, y;
};

/* Every member kind with a correct Go form that is not the obvious one. */
struct kitchen {
	char name[16];		/* [16]byte or [16]int8 */
	__be32 addr;		/* [4]byte */
	enum color color;	/* uint32 */
	_Bool on;		/* bool, uint8 */
	__u8 tos;		/* hole 26..31: explicit padding or a named Pad */
	void *ptr;		/* uint64 */
	float f;
	__s16 ports[2];
	double d;
	struct point pts[2];	/* [2]Point */
	struct point origin;	/* storage [8]byte */
	union num n;		/* storage, or uint64 as its largest member */
	__u32 flag : 1, level : 3;	/* storage uint8, uint32, [1]byte */
	__u64 tail;
};
ARRAY_MAP(struct kitchen, kitchen_map);

/* A typedef'd anonymous struct, paired through its typedef name. */
typedef struct {
	__u16 sport, dport;
	__u8 proto;
} ports_t;
ARRAY_MAP(ports_t, ports_map);

/* A signedness mismatch fixture: s is signed in C. */
struct signs {
	__s32 s;
	__u32 u;
};
ARRAY_MAP(struct signs, signs_map);
