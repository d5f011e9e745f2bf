// SPDX-License-Identifier: GPL-2.0
/*
 * images.c — byte images of initialized globals for the cross-architecture
 * decode test (internal/crossarch, DESIGN.md section 6 "Other
 * architectures").
 *
 * Every variable below is a non-const, initialized global in .data, one per
 * interesting layout rule, with distinctive values. clang lays them out for
 * the BPF target (bpfel and bpfeb) and writes their exact bytes into the
 * object; the test decodes those bytes with the generated Go on amd64, 386,
 * arm, arm64 and s390x and checks every member against the initializer here,
 * and encodes the same values from Go and compares whole images.
 *
 * The expected values live in internal/crossarch/testdata/decode_test.go.txt:
 * change both together.
 *
 * Program touch_images (SEC("xdp")) reads every variable so nothing is
 * dropped.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* ---- enums ---- */

enum img_sign {
	IMG_NEG = -3,
	IMG_ZERO = 0,
	IMG_POS = 5,
};

enum img_color {
	IMG_RED = 1,
	IMG_GREEN = 2,
	IMG_BLUE = 5,
};

enum img_big {
	IMG_BIG_NEG = -0x100000001LL,	/* ENUM64, signed */
	IMG_BIG_ONE = 1,
};

enum img_small {
	IMG_SMALL_A = 0x7a,
} __attribute__((packed));		/* 1 byte */

/* ---- bitfields ---- */

struct img_bits {
	__u32 u1 : 1;			/* bit 0 */
	__s32 s3 : 3;			/* bits 1..3, negative */
	__u32 u9 : 9;			/* bits 4..12, straddles byte 0/1 */
	__s32 s15 : 15;			/* bits 13..27, straddles bytes 1..3 */
	__u64 u13 : 13;			/* bits 28..40, straddles the 4-byte boundary */
	__s64 s22 : 22;			/* bits 41..62 */
	enum img_color col : 3;		/* new unit: bits 64..66 */
	enum img_sign sgn : 4;		/* bits 67..70, signed enum bitfield */
	_Bool flag : 1;			/* bit 71 */
	__s16 s10 : 10;			/* bits 80..89 */
	__u8 tail;			/* byte 12 */
	__u64 u40 : 40;			/* byte 16 */
	__s64 s24 : 24;			/* rest of that unit, negative */
};

/* ---- packed ---- */

struct img_inner3 {
	__u8 p;
	__u16 q;
} __attribute__((packed));		/* size 3, align 1 */

struct img_inner_al {
	__u32 r;
	__u16 s;
};					/* size 8, align 4 */

struct img_packed {
	__u8 a;				/* 0 */
	__u16 h;			/* 1 */
	__u32 w;			/* 3 */
	__u64 q;			/* 7 */
	struct img_inner3 in3;		/* 15 */
	struct img_inner_al in_al;	/* 18: nested aligned struct at an odd offset */
	__s64 neg;			/* 26 */
	enum img_sign e;		/* 34 */
	__u8 z;				/* 38 */
} __attribute__((packed));

/* ---- unions ---- */

union img_num {
	__u64 q;
	__u32 w[2];
	__u8 b[8];
	double d;
	__s16 s;
};

struct img_unions {
	__u32 kind;			/* 0 */
	union img_num by_q;		/* 8 */
	union img_num by_d;		/* 16 */
	union img_num by_s;		/* 24 */
	union {				/* 32: anonymous union */
		__u32 lo32;
		struct {		/* anonymous struct in anonymous union */
			__u16 half_a;
			__u16 half_b;
		};
	};
	struct {			/* 36: anonymous struct */
		__u8 m;			/* 36 */
		__u32 n;		/* 40 */
	};
	union {				/* 44: anonymous union, bitfield member */
		__u32 whole;
		struct {
			__u32 lo12 : 12;
			__u32 hi20 : 20;
		} parts;
	};
};

/* ---- __int128 ---- */

struct img_int128 {
	__u8 a;				/* 0 */
	unsigned __int128 u;		/* 16 */
	__int128 s;			/* 32 */
	__u32 b;			/* 48 */
	unsigned __int128 arr[2];	/* 64 */
};

/* ---- float / double ---- */

struct img_floats {
	float f;			/* 0 */
	double d;			/* 8 */
	float arr[3];			/* 16 */
	double neg;			/* 32 */
};

/* ---- char arrays ---- */

struct img_chars {
	char name[16];
	unsigned char raw[5];
	signed char sc[3];
	char full[4];			/* no NUL */
	char empty[3];
};

/* ---- multi-dimensional arrays ---- */

struct img_pair {
	__u8 a;
	__u32 b;
};

struct img_multi {
	__u16 grid[2][3];		/* 0 */
	__u32 cube[2][2][2];		/* 12 */
	struct img_pair pairs[2][2];	/* 44 */
	__s8 tiny[3][1];		/* 76 */
};

/* ---- 64-bit after 32-bit ---- */

struct img_inner64 {
	__u64 x;
	__u32 y;
};					/* size 16, align 8 */

struct img_mix {
	__u32 a;			/* 0 */
	__u64 b;			/* 8 */
	__u32 c;			/* 16 */
	struct img_inner64 nested;	/* 24: 8-aligned struct after a u32 */
	__u8 d;				/* 40 */
	__s64 e;			/* 48 */
	__u32 f;			/* 56, tail 60..63 */
};

struct img_mix_arr {
	__u32 lead;			/* 0 */
	struct img_inner64 arr[2];	/* 8 */
	__u16 trail;			/* 40 */
};

/* ---- pointers ---- */

struct img_ptrs {
	__u32 a;			/* 0 */
	void *p;			/* 8 */
	struct img_packed *sp;		/* 16 */
	const char *cp;			/* 24 */
	__u8 z;				/* 32 */
};

/* ---- enums as members, _Bool, flexible array ---- */

struct img_enums {
	enum img_sign s;		/* 0, -3 */
	enum img_sign t;		/* 4, 5 */
	__u8 pad;			/* 8 */
	enum img_big big;		/* 16 */
	enum img_small small;		/* 24 */
	_Bool yes;			/* 25 */
	_Bool no;			/* 26 */
};

struct img_flex {
	__u32 n;
	__u16 x;
	__u8 data[];			/* size 8: Go must not pad after it */
};

/* ---- harder corners ---- */

struct img_pbits {
	__u8 head : 5;			/* bits 0..4 */
	__u64 wide : 63;		/* bits 5..67: spans 9 bytes */
	__s32 neg : 7;			/* bits 68..74 */
	signed char sc : 3;		/* bits 75..77 */
	enum img_big big : 34;		/* ENUM64 bitfield, bits 78..111 */
	__u8 last;			/* 14 */
} __attribute__((packed));

union img_tiny_u {
	__u16 h;
	__u8 b[3];
} __attribute__((packed));		/* size 3, align 1 */

struct img_arrays {
	__u8 lead;				/* 0 */
	struct img_inner3 in3[3];		/* 1: array of size-3 packed structs */
	union img_tiny_u tu[2];			/* 10 */
	union img_num nums[2];			/* 16 */
	__u32 al8 __attribute__((aligned(8)));	/* 32 */
	__u16 al16 __attribute__((aligned(16)));/* 48 */
	__u8 end;				/* 50 */
};

struct img_al16 {
	__u32 v;
} __attribute__((aligned(16)));		/* size 16 */

struct img_holds16 {
	__u8 x;				/* 0 */
	struct img_al16 y;		/* 16 */
	__u64 z;			/* 32 */
};

struct img_packed_nest {
	__u8 a;					/* 0 */
	struct img_mix_inner {
		__u32 p;
		__u64 q;
	} __attribute__((packed)) mi;		/* 1: packed struct, 12 bytes */
	union {					/* 13: anonymous union in packed */
		__u32 uw;
		__u8 ub;
	};
	struct img_inner64 in64;		/* 17: 8-aligned struct unaligned */
	__u16 tail;				/* 33 */
} __attribute__((packed));

/* ---- bitfields of __int128 (mapgen refused them before the
 * differential test, internal/difftest, found it) ---- */

struct img_pbits128 {
	__u8 a;				/* byte 0 */
	__int128 s100 : 100;		/* bits 8..107 */
	unsigned __int128 u28 : 28;	/* bits 108..135 */
} __attribute__((packed));		/* size 17, align 1 */

struct img_bits128 {
	__u8 lead;			/* byte 0 */
	unsigned __int128 u7 : 7;	/* bits 8..14 */
	__int128 s60 : 60;		/* bits 15..74: across the 64-bit halves */
	unsigned __int128 u100 : 100;	/* new 128-bit unit: bits 128..227 */
	__int128 s128 : 128;		/* bits 256..383: a whole __int128 */
	__int128 s65 : 65;		/* bits 384..448 */
	__int128_t s3 : 3;		/* bits 449..451 */
	struct img_pbits128 p;		/* byte 57 */
};					/* size 80, align 16 */

/* ---- the variables ---- */

struct img_bits v_bits = {
	.u1 = 1,
	.s3 = -3,
	.u9 = 0x1a5,
	.s15 = -12345,
	.u13 = 0x15a5,
	.s22 = -1000001,
	.col = IMG_BLUE,
	.sgn = IMG_NEG,
	.flag = 1,
	.s10 = -300,
	.tail = 0xee,
	.u40 = 0xab12345678ULL,
	.s24 = -0x123456,
};

struct img_packed v_packed = {
	.a = 0xa1,
	.h = 0xb2c3,
	.w = 0xd4e5f607,
	.q = 0x1122334455667788ULL,
	.in3 = { .p = 0x99, .q = 0x5a5 },
	.in_al = { .r = 0xcafef00d, .s = 0x4321 },
	.neg = -0x0102030405060708LL,
	.e = IMG_NEG,
	.z = 0x7e,
};

struct img_unions v_unions = {
	.kind = 0x600d,
	.by_q = { .q = 0x1122334455667788ULL },
	.by_d = { .d = -2.5 },
	.by_s = { .s = -3 },
	.half_a = 0x1357,
	.half_b = 0x2468,
	.m = 0x42,
	.n = 0x89abcdef,
	.parts = { .lo12 = 0x5a5, .hi20 = 0xfedcb },
};

struct img_int128 v_int128 = {
	.a = 0x11,
	.u = ((unsigned __int128)0x0102030405060708ULL << 64) | 0x1112131415161718ULL,
	.s = -(((__int128)0x2122232425262728LL << 64) | 0x55),
	.b = 0x31323334,
	.arr = {
		((unsigned __int128)0xa1a2a3a4a5a6a7a8ULL << 64) | 0xb1b2b3b4b5b6b7b8ULL,
		((unsigned __int128)0xc1c2c3c4c5c6c7c8ULL << 64) | 0xd1d2d3d4d5d6d7d8ULL,
	},
};

struct img_floats v_floats = {
	.f = 3.5f,
	.d = -1.25e300,
	.arr = { 0.5f, -0.0f, 1e-3f },
	.neg = -7.0 / 3.0,
};

struct img_chars v_chars = {
	.name = "hello, bpf",
	.raw = { 0xff, 0x00, 0x80, 0x7f, 0x01 },
	.sc = { -1, -128, 127 },
	.full = { 'a', 'b', 'c', 'd' },
	.empty = "",
};

struct img_multi v_multi = {
	.grid = { { 1, 2, 3 }, { 0x4004, 0x5005, 0xf00f } },
	.cube = { { { 0x10, 0x11 }, { 0x12, 0x13 } },
		  { { 0x14, 0x15 }, { 0x16, 0xdeadbeef } } },
	.pairs = { { { 1, 0x1001 }, { 2, 0x2002 } },
		   { { 3, 0x3003 }, { 4, 0x4004 } } },
	.tiny = { { -1 }, { -2 }, { 3 } },
};

struct img_mix v_mix = {
	.a = 0xa0a0a0a0,
	.b = 0xb1b2b3b4b5b6b7b8ULL,
	.c = 0xc0c0c0c0,
	.nested = { .x = 0x0123456789abcdefULL, .y = 0x98765432 },
	.d = 0xdd,
	.e = -0x7edcba9876543210LL,
	.f = 0xf0f0f0f0,
};

struct img_mix_arr v_mix_arr = {
	.lead = 0x1eadbeef,
	.arr = { { .x = 0x1111111122222222ULL, .y = 0x33333333 },
		 { .x = 0x4444444455555555ULL, .y = 0x66666666 } },
	.trail = 0x7777,
};

struct img_ptrs v_ptrs = {
	.a = 0xaaaa5555,
	.p = (void *)0x1122334455667788ULL,
	.sp = (struct img_packed *)0x8877665544332211ULL,
	.cp = (const char *)0xfedcba9876543210ULL,
	.z = 0x5a,
};

struct img_enums v_enums = {
	.s = IMG_NEG,
	.t = IMG_POS,
	.pad = 0x33,
	.big = IMG_BIG_NEG,
	.small = IMG_SMALL_A,
	.yes = 1,
	.no = 0,
};

struct img_flex v_flex = {
	.n = 0x0f1e2d3c,
	.x = 0x4b5a,
};

struct img_pbits v_pbits = {
	.head = 0x15,
	.wide = 0x5a5a5a5a12345678ULL,
	.neg = -50,
	.sc = -2,
	.big = IMG_BIG_NEG,
	.last = 0xc3,
};

struct img_arrays v_arrays = {
	.lead = 0x01,
	.in3 = { { 0x10, 0x1011 }, { 0x20, 0x2022 }, { 0x30, 0x3033 } },
	.tu = { { .h = 0xabcd }, { .b = { 7, 8, 9 } } },
	.nums = { { .q = 0x0102030405060708ULL }, { .d = 1.5 } },
	.al8 = 0x88888888,
	.al16 = 0x1616,
	.end = 0xed,
};

struct img_holds16 v_holds16 = {
	.x = 0x78,
	.y = { .v = 0x16161616 },
	.z = 0x2a2a2a2a2a2a2a2aULL,
};

struct img_packed_nest v_packed_nest = {
	.a = 0xa5,
	.mi = { .p = 0x01234567, .q = 0x89abcdef01234567ULL },
	.uw = 0x55aa55aa,
	.in64 = { .x = 0x0706050403020100ULL, .y = 0x0b0a0908 },
	.tail = 0xfeed,
};

/* ---- bitfields of every integer spelling BTF carries (issue: char
 * bitfields were refused) ---- */

typedef unsigned char img_uchar_t;
typedef volatile signed char img_vschar_t;

enum img_e8 {
	IMG_E8_A = 0x5a,
	IMG_E8_B = 0x7f,
} __attribute__((packed));		/* 1 byte, unsigned */

enum img_e16 {
	IMG_E16_N = -2,
	IMG_E16_BIG = 0x1234,
} __attribute__((packed));		/* 2 bytes, signed */

enum img_e64 {
	IMG_E64_NEG = -5,
	IMG_E64_HUGE = 0x100000000LL,	/* ENUM64, signed */
};

struct img_cbits {
	char c : 3;			/* plain char: signed for BPF */
	signed char sc : 4;
	unsigned char uc : 5;
	_Bool b : 1;
	img_uchar_t tu : 6;		/* typedef of unsigned char */
	img_vschar_t tv : 5;		/* typedef of volatile signed char */
	const char cc : 7;
	volatile unsigned char vu : 2;
	enum img_color e4 : 3;		/* 4-byte unsigned enum */
	enum img_e8 e1 : 7;		/* 1-byte enum */
	enum img_e16 e2 : 12;		/* 2-byte signed enum */
	enum img_e64 e64 : 30;		/* 8-byte signed enum */
	char after;			/* a plain char after them */
	char full8 : 8;			/* a whole byte: int8, like any char bitfield */
};

struct img_cbits v_cbits = {
	.c = -2,
	.sc = -5,
	.uc = 0x1a,
	.b = 1,
	.tu = 0x2b,
	.tv = -9,
	.cc = -33,
	.vu = 2,
	.e4 = IMG_BLUE,
	.e1 = IMG_E8_A,
	.e2 = IMG_E16_N,
	.e64 = IMG_E64_NEG,
	.after = 'z',
	.full8 = -7,
};

struct img_bits128 v_bits128 = {
	.lead = 0x11,
	.u7 = 0x5a,
	.s60 = -0x123456789abcdeLL,
	.u100 = ((unsigned __int128)0xabcdef012ULL << 64) | 0x0123456789abcdefULL,
	.s128 = -(((__int128)0x1122334455667788LL << 64) | 0x99),
	.s65 = -((__int128)1 << 64),
	.s3 = -2,
	.p = {
		.a = 0x77,
		.s100 = -(((__int128)0x123456789LL << 64) | 0xfedcba9876543210ULL),
		.u28 = 0xabcdef1,
	},
};

#define TOUCH(v) sum += *(volatile __u8 *)&(v)

SEC("xdp")
int touch_images(struct xdp_md *ctx)
{
	__u64 sum = 0;

	TOUCH(v_bits);
	TOUCH(v_packed);
	TOUCH(v_unions);
	TOUCH(v_int128);
	TOUCH(v_floats);
	TOUCH(v_chars);
	TOUCH(v_multi);
	TOUCH(v_mix);
	TOUCH(v_mix_arr);
	TOUCH(v_ptrs);
	TOUCH(v_enums);
	TOUCH(v_flex);
	TOUCH(v_pbits);
	TOUCH(v_arrays);
	TOUCH(v_holds16);
	TOUCH(v_packed_nest);
	TOUCH(v_cbits);
	TOUCH(v_bits128);
	return sum & 1 ? XDP_PASS : XDP_DROP;
}
