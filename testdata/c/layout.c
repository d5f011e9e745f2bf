// SPDX-License-Identifier: GPL-2.0
/*
 * layout.c — C memory-layout corner cases (DESIGN.md section 3).
 *
 * Covers: holes and tail padding; 64-bit members after 32-bit ones; packed
 * structs and packed members at odd offsets 1, 3, 5 (u16/u32/u64/nested
 * struct); aligned(8) members; bitfields (signed/unsigned, widths
 * 1,3,7,13,31,33,63, straddling byte and 4-byte boundaries, enum- and
 * _Bool-typed, after a u8, zero-width `int :0`, a packed bitfield spanning 9
 * bytes); unions (named, anonymous in a struct, union in union, anonymous
 * struct in anonymous union, union with a bitfield struct member); anonymous
 * structs nested several levels; nested named structs; arrays of structs;
 * multi-dimensional arrays; char / unsigned char / signed char; pointers (to
 * struct, void, function, double pointers, self-referencing list node, a
 * forward-declared struct only used through a pointer); float/double;
 * __int128 / unsigned __int128 (members and arrays); _Bool; typedefs (scalar,
 * anonymous struct, named struct, chains); const/volatile members; flexible
 * array member, [0] arrays at the end and in the middle, an empty struct
 * member; member and type names that collide after Go-ification.
 *
 * Every type is the value of a one-entry BPF_MAP_TYPE_ARRAY named after it
 * (map "<type>_map"), so it is in BTF and usable in kernel round trips.
 *
 * Program fill_layout (SEC("socket"), runnable with BPF_PROG_TEST_RUN) stores
 * fixed values, through C member assignments, into slot 0 of bitfields_map,
 * packed_bits_map, packed_odd_map, unions_map and int128s_map; the values are
 * the FILL_* constants below (also listed in README.md), so a Go test can
 * compare what the generated accessors read with what C wrote.
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

/* ---- holes, tail padding, 64-bit after 32-bit ---- */

struct holes {
	__u8 a;		/* 0, hole 1..3 */
	__u32 b;	/* 4 */
	__u16 c;	/* 8, hole 10..15 */
	__u64 d;	/* 16 */
	__u32 e;	/* 24 */
	__u64 f;	/* 32: 64-bit after 32-bit, hole 28..31 */
	__u8 g;		/* 40, tail padding 41..47 */
};
ARRAY_MAP(struct holes, holes_map);

struct tail_pad {
	__u64 x;
	__u32 y;
	__u8 z;		/* tail 13..15 */
};
ARRAY_MAP(struct tail_pad, tail_pad_map);

/* ---- packed ---- */

struct inner3 {
	__u8 p;
	__u16 q;
} __attribute__((packed));	/* size 3, align 1 */

struct inner_aligned {
	__u32 r;
	__u16 s;
};				/* size 8, align 4 */

struct packed_odd {
	__u8 a;				/* 0 */
	__u16 u16_at1;			/* 1 */
	__u32 u32_at3;			/* 3 */
	__u64 u64_at7;			/* 7 */
	__u8 pad;			/* 15 */
	struct inner_aligned nested;	/* 16 */
	__u8 b;				/* 24 */
	struct inner3 i3;		/* 25 */
} __attribute__((packed));		/* size 28 */
ARRAY_MAP(struct packed_odd, packed_odd_map);

/* packed members at offsets 1, 3, 5 inside a non-packed struct */
struct packed_members {
	__u8 a;							/* 0 */
	__u16 m16 __attribute__((packed));			/* 1 */
	__u8 b;							/* 3 */
	__u8 c;							/* 4 */
	__u64 m64 __attribute__((packed));			/* 5 */
	__u8 d;							/* 13 */
	struct inner_aligned mstruct __attribute__((packed));	/* 14 */
	__u32 tail;						/* 24 */
};
ARRAY_MAP(struct packed_members, packed_members_map);

struct packed_at3 {
	__u8 a[3];
	__u32 at3;		/* 3 */
	__u8 b;			/* 7 */
	struct inner_aligned at8;
	__u8 c;
	struct inner_aligned s_at17;	/* 17 */
} __attribute__((packed));
ARRAY_MAP(struct packed_at3, packed_at3_map);

struct packed_at5 {
	__u8 a[5];
	__u64 at5;		/* 5 */
	__u8 b[2];
	struct inner_aligned s_at15;	/* 15 */
	__u16 at23;		/* 23 */
} __attribute__((packed));
ARRAY_MAP(struct packed_at5, packed_at5_map);

/* ---- explicit alignment ---- */

struct aligned_members {
	__u8 a;
	__u32 b __attribute__((aligned(8)));		/* 8 */
	__u8 c;
	__u8 d[3] __attribute__((aligned(8)));		/* 16 */
	struct inner3 e __attribute__((aligned(8)));	/* 24 */
	__u16 f;					/* 28, tail 30..31 */
};
ARRAY_MAP(struct aligned_members, aligned_members_map);

struct aligned16 {
	__u32 a;
} __attribute__((aligned(16)));

struct holds_aligned16 {
	__u8 x;
	struct aligned16 y;	/* 16 */
	__u8 z;			/* 32, tail to 48 */
};
ARRAY_MAP(struct holds_aligned16, holds_aligned16_map);

/* ---- bitfields ---- */

enum color { COLOR_RED = 0, COLOR_GREEN = 1, COLOR_BLUE = 2, COLOR_MAX = 7 };

struct bitfields {
	__u32 u1 : 1;		/* bit 0 */
	__u32 u3 : 3;		/* bit 1 */
	__s32 s7 : 7;		/* bit 4: straddles byte 0/1 */
	__u32 u13 : 13;		/* bits 11..23: straddles bytes 1/2 */
	__s32 s5 : 5;		/* bit 24 */
	__u32 u31 : 31;		/* bit 32 (does not fit in first u32) */
	__u64 u33 : 33;		/* bit 64 */
	__s64 s63 : 63;		/* bit 128 */
	__u8 byte;		/* 24 */
	__u8 after_u8 : 4;	/* bitfield directly after a u8 */
	enum color col : 3;	/* enum-typed bitfield */
	_Bool flag : 1;		/* _Bool bitfield */
	__u16 u12 : 12;		/* bits 208..219 */
	int : 0;		/* zero-width: after_zero moves from bit 220 to 224 */
	__u32 after_zero : 9;
	__s16 s13 : 13;
	__u64 u64_tail;
};
ARRAY_MAP(struct bitfields, bitfields_map);

/* bitfields crossing the 4-byte boundary inside a 64-bit storage unit */
struct bitfields_cross {
	__u64 lo : 30;
	__u64 mid : 4;		/* bits 30..33: crosses byte 3/4 */
	__s64 hi : 30;		/* bits 34..63 */
	__u8 tiny : 1;
	__u8 : 2;		/* unnamed, non-zero width */
	__u8 rest : 5;
};
ARRAY_MAP(struct bitfields_cross, bitfields_cross_map);

/* packed struct whose 63-bit bitfield spans 9 bytes */
struct packed_bits {
	__u8 head : 5;		/* bits 0..4 */
	__u64 wide : 63;	/* bits 5..67: bytes 0..8, nine bytes */
	__u64 sgn : 9;		/* bits 68..76 */
	__s32 neg : 7;		/* bits 77..83 */
	__u8 last;		/* byte 11; size 12 */
} __attribute__((packed));
ARRAY_MAP(struct packed_bits, packed_bits_map);

/* ---- unions ---- */

union num {
	__u64 u;
	__s64 s;
	double d;
	__u8 bytes[8];
};

union nested_union {
	__u32 w;
	union num n;		/* union inside union */
	struct {
		__u16 lo;
		__u16 hi;
	} halves;
};

struct unions {
	__u32 kind;
	union num named;		/* named union member at 8 */
	union {				/* anonymous union */
		__u32 anon_a;
		__u16 anon_b;
		struct {		/* anonymous struct inside anonymous union */
			__u8 in_x;
			__u8 in_y;
			__u16 in_z;
		};
		struct {		/* union member with bitfields */
			__u32 bf_lo : 12;
			__u32 bf_hi : 20;
		} bits;
	};
	union nested_union nu;
	union {
		__u8 c;
		__u64 big;
	} tagged[2];			/* array of anonymous unions */
	__u8 trailer;
};
ARRAY_MAP(struct unions, unions_map);

union top_level_union {
	__u32 a;
	struct bitfields_cross bc;
	__u8 raw[13];
};
ARRAY_MAP(union top_level_union, top_level_union_map);

/* ---- anonymous structs at several nesting levels, nested named structs ---- */

struct point {
	__s32 x;
	__s32 y;
};

struct rect {
	struct point min;
	struct point max;
};

struct nesting {
	__u32 id;
	struct {
		__u16 a;
		struct {
			__u8 b;
			struct {
				__u64 c;
				union {
					__u32 d;
					float e;
				};
			} level3;
		};
	};
	struct {
		__u8 x;
	} named_anon_type;
	struct rect bounds;
	struct rect many[3];			/* array of structs */
	struct point grid[2][2];		/* 2-D array of structs */
	__u32 m[2][3][4];			/* 3-D array */
};
ARRAY_MAP(struct nesting, nesting_map);

/* ---- scalars of every kind ---- */

struct scalars {
	char comm[16];
	unsigned char uc;
	signed char sc;
	char c;
	_Bool b;
	short sh;
	unsigned short ush;
	int i;
	unsigned int ui;
	long l;
	unsigned long ul;
	long long ll;
	unsigned long long ull;
	float f;
	double d;
	__s8 s8;
	__s16 s16;
	__s32 s32;
	__s64 s64;
	_Bool bools[3];
	float fa[3];
	double da[2];
};
ARRAY_MAP(struct scalars, scalars_map);

struct int128s {
	__u8 a;			/* hole 1..15: __int128 is 16-aligned */
	__int128 s;		/* 16 */
	unsigned __int128 u;	/* 32 */
	__u32 b;		/* 48 */
	unsigned __int128 arr[2];	/* 64 */
	__int128 sarr[1];
};
ARRAY_MAP(struct int128s, int128s_map);

/* ---- pointers ---- */

struct opaque;	/* never defined: BTF FWD */

struct node {
	struct node *next;		/* self reference */
	struct node **pprev;		/* double pointer */
	__u64 val;
};

typedef int (*callback_fn)(void *ctx, __u32 n);

struct pointers {
	struct node *head;
	void *vp;
	const void *cvp;
	int (*fn)(int, char *);		/* pointer to function */
	callback_fn cb;			/* via typedef */
	char **argv;			/* double pointer */
	struct opaque *op;		/* forward-declared only */
	struct node n;
	__u32 after;
	void *vparr[2];
};
ARRAY_MAP(struct pointers, pointers_map);
ARRAY_MAP(struct node, node_map);

/* ---- typedefs ---- */

typedef __u32 pid32_t;			/* scalar typedef */
typedef pid32_t tgid32_t;		/* chain */
typedef const tgid32_t ctgid32_t;	/* chain with qualifier */
typedef ctgid32_t final_pid_t;

typedef struct {			/* typedef of anonymous struct */
	__u32 major;
	__u32 minor;
} version_t;

typedef struct point point_t;		/* typedef of a named struct */
typedef point_t point2_t;		/* chain of it */
typedef struct point point_arr_t[2];	/* typedef of an array */
typedef union num num_t;

struct typedefs {
	pid32_t pid;
	tgid32_t tgid;
	final_pid_t fpid;
	version_t ver;
	point_t p;
	point2_t p2;
	point_arr_t pa;
	num_t n;
};
ARRAY_MAP(struct typedefs, typedefs_map);
ARRAY_MAP(version_t, version_map);	/* anonymous struct as map value */
ARRAY_MAP(pid32_t, pid_map);

/* ---- qualifiers ---- */

struct qualifiers {
	const __u32 c;
	volatile __u64 v;
	const volatile __u8 cv;
	const char name[7];
	__u32 *const cp;
	const struct point *volatile pv;
};
ARRAY_MAP(struct qualifiers, qualifiers_map);

/* ---- zero-size members ---- */

struct empty {
};

struct flex {
	__u32 len;
	__u16 kind;
	__u8 data[];		/* flexible array member: size 8, data at 6 */
};
ARRAY_MAP(struct flex, flex_map);

struct flex64 {
	__u8 n;
	__u64 items[];		/* FAM forcing tail padding: size 8 */
};
ARRAY_MAP(struct flex64, flex64_map);

struct zero_len {
	__u32 a;
	__u8 mid[0];		/* [0] in the middle */
	__u32 b;
	struct empty e;		/* empty struct member */
	__u16 c;
	__u64 end[0];		/* [0] at the end: forces align 8, tail 10..15 */
};
ARRAY_MAP(struct zero_len, zero_len_map);

struct ends_with_empty {
	__u32 a;
	__u8 b;
	struct empty e;		/* last member has size 0 */
};
ARRAY_MAP(struct ends_with_empty, ends_with_empty_map);

/* ---- names that collide after Go-ification ---- */

struct names {
	__u32 flags;
	__u32 Flags;
	__u32 data;
	__u32 __data;
	__u32 foo_bar;
	__u32 fooBar;
	__u32 FooBar;
	__u32 type;
	__u32 func;
	__u32 range;
	__u32 String;
	__u32 x;
	__u32 set_x;
	__u32 get_x;
	__u32 SetX;
	__u32 _;
	__u32 _x;
	__u32 map;
	__u32 chan;
	__u32 interface;
	__u32 go;
	__u32 select;
	__u32 package;
	__u32 import;
	__u32 var;
	__u32 nil;
	__u32 len;
	__u32 error;
	__u32 Size;
	__u32 Bytes;
	__u32 _1st;
	__u32 x1, x_1;
};
ARRAY_MAP(struct names, names_map);

/* type names that collide */
struct foo_bar {
	__u32 a;
};
struct fooBar {
	__u64 b;
};
struct FooBar {
	__u16 c;
};
typedef struct foo_bar foo_bar_t;
typedef struct fooBar fooBar;		/* typedef with the struct's own name */
struct type {
	__u8 range;
};

struct name_types {
	struct foo_bar a;
	struct fooBar b;
	struct FooBar c;
	foo_bar_t d;
	fooBar e;
	struct type t;
};
ARRAY_MAP(struct name_types, name_types_map);

/* ---- the program writing known values ---- */

#define FILL_U1		1
#define FILL_U3		5
#define FILL_S7		(-37)
#define FILL_U13	0x1abc
#define FILL_S5		(-7)
#define FILL_U31	0x5a5a5a5aU
#define FILL_U33	0x1deadbeefULL
#define FILL_S63	(-0x123456789abcdefLL)
#define FILL_BYTE	0xa5
#define FILL_AFTER_U8	0xc
#define FILL_COL	COLOR_BLUE
#define FILL_FLAG	1
#define FILL_U12	0xabc
#define FILL_AFTER_ZERO	0x1ff
#define FILL_S13	(-1234)
#define FILL_U64_TAIL	0x0102030405060708ULL

static __always_inline void fill_bitfields(struct bitfields *v)
{
	v->u1 = FILL_U1;
	v->u3 = FILL_U3;
	v->s7 = FILL_S7;
	v->u13 = FILL_U13;
	v->s5 = FILL_S5;
	v->u31 = FILL_U31;
	v->u33 = FILL_U33;
	v->s63 = FILL_S63;
	v->byte = FILL_BYTE;
	v->after_u8 = FILL_AFTER_U8;
	v->col = FILL_COL;
	v->flag = FILL_FLAG;
	v->u12 = FILL_U12;
	v->after_zero = FILL_AFTER_ZERO;
	v->s13 = FILL_S13;
	v->u64_tail = FILL_U64_TAIL;
}

SEC("socket")
int fill_layout(struct __sk_buff *skb)
{
	__u32 zero = 0;

	struct bitfields *bf = bpf_map_lookup_elem(&bitfields_map, &zero);
	if (bf)
		fill_bitfields(bf);

	struct packed_bits *pb = bpf_map_lookup_elem(&packed_bits_map, &zero);
	if (pb) {
		pb->head = 0x11;
		pb->wide = 0x7edcba9876543210ULL;	/* 63 bits */
		pb->sgn = 0x155;
		pb->neg = -3;
		pb->last = 0x22;
	}

	struct packed_odd *po = bpf_map_lookup_elem(&packed_odd_map, &zero);
	if (po) {
		po->a = 0x01;
		po->u16_at1 = 0x0203;
		po->u32_at3 = 0x04050607;
		po->u64_at7 = 0x08090a0b0c0d0e0fULL;
		po->pad = 0x10;
		po->nested.r = 0x11121314;
		po->nested.s = 0x1516;
		po->b = 0x17;
		po->i3.p = 0x18;
		po->i3.q = 0x191a;
	}

	struct unions *u = bpf_map_lookup_elem(&unions_map, &zero);
	if (u) {
		u->kind = 3;
		u->named.s = -2;
		u->bits.bf_lo = 0xabc;
		u->bits.bf_hi = 0x12345;
		u->nu.halves.lo = 0x1111;
		u->nu.halves.hi = 0x2222;
		u->tagged[0].big = 0x0102030405060708ULL;
		u->tagged[1].c = 0x7f;
		u->trailer = 0xee;
	}

	struct int128s *w = bpf_map_lookup_elem(&int128s_map, &zero);
	if (w) {
		w->a = 1;
		w->s = -((__int128)1 << 100);
		w->u = ((unsigned __int128)0x0123456789abcdefULL << 64) | 0xfedcba9876543210ULL;
		w->b = 2;
		w->arr[1] = 3;
		w->sarr[0] = -1;
	}
	return 0;
}
