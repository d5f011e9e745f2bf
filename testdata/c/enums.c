// SPDX-License-Identifier: GPL-2.0
/*
 * enums.c — enum encodings (DESIGN.md section 3, "Enums").
 *
 * Covers: unsigned enums, enums with negative values, a 64-bit unsigned enum
 * (values > 2^32: BTF_KIND_ENUM64 under clang >= 15), a signed 64-bit enum, a
 * 1-byte and a 2-byte enum via __attribute__((packed)) (unsigned and signed),
 * duplicate values, an anonymous enum used as a member type, enum-typed
 * members and bitfields, constants that share the enum's prefix
 * (enum pkt_dir { PKT_DIR_IN, PKT_DIR_OUT }), an enum with a single
 * constant, and an enum reached only through a typedef.
 *
 * Also compiled with clang-14 (listed in clang14.list): clang < 15 has no
 * ENUM64 and no signedness flag, so in the *_clang14_* objects the 64-bit
 * enums are BTF_KIND_ENUM with size 8 whose values are truncated to their low
 * 32 bits, and negative values appear as their unsigned 32-bit pattern.
 *
 * All enums land in BTF through the value of enums_map (struct enum_holder),
 * its key (enum pkt_dir), and the global variables in .bss/.data.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* plain unsigned enum, constants share the enum's prefix */
enum pkt_dir {
	PKT_DIR_IN,
	PKT_DIR_OUT,
	PKT_DIR_FORWARD = 5,
};

/* negative values: a signed 4-byte enum */
enum errcode {
	ERR_NONE = 0,
	ERR_PERM = -1,
	ERR_NOENT = -2,
	ERR_MIN = -2147483647 - 1,
	ERR_POSITIVE = 42,
};

/* unsigned values using the top bit of 32 bits */
enum u32flags {
	U32F_A = 1U << 0,
	U32F_B = 1U << 4,
	U32F_TOP = 1U << 31,
	U32F_ALL = 0xffffffffU,
};

/* 64-bit unsigned enum: ENUM64 under clang >= 15 */
enum big64 {
	BIG64_SMALL = 1,
	BIG64_2_32 = 0x100000000ULL,
	BIG64_HIGH = 0xdeadbeefcafef00dULL,
	BIG64_MAX = 0xffffffffffffffffULL,
};

/* 64-bit signed enum */
enum sbig64 {
	SBIG64_MIN = -0x7fffffffffffffffLL - 1,
	SBIG64_NEG = -5,
	SBIG64_ZERO = 0,
	SBIG64_POS = 0x123456789LL,
};

/* 1-byte enums */
enum __attribute__((packed)) tiny_u8 {
	TINY_U8_A = 1,
	TINY_U8_B = 200,
};

enum __attribute__((packed)) tiny_s8 {
	TINY_S8_NEG = -1,
	TINY_S8_POS = 100,
};

/* 2-byte enum */
enum __attribute__((packed)) short_enum {
	SHORT_ENUM_A = 1000,
	SHORT_ENUM_B = 60000,
};

/* duplicate values */
enum dup {
	DUP_A = 1,
	DUP_B = 1,
	DUP_FIRST = 0,
	DUP_DEFAULT = DUP_FIRST,
	DUP_C = 2,
	DUP_LAST = DUP_C,
};

/* single constant; constant name identical to the enum name in Go-case */
enum single {
	SINGLE,
};

/* constants whose Go names collide after prefix stripping/camel-casing */
enum clash {
	CLASH_FOO_BAR = 1,
	CLASH_FOOBAR = 2,
	clash_foo_bar = 3,
	CLASH_STRING = 4,
	CLASH_TYPE = 5,
};

/* enum reached through a typedef only */
typedef enum {
	STATE_IDLE,
	STATE_RUNNING,
	STATE_DONE = 10,
} state_t;

struct enum_holder {
	enum pkt_dir dir;
	enum errcode err;
	enum u32flags flags;
	enum big64 big;			/* 8-aligned: offset 16 */
	enum sbig64 sbig;
	enum tiny_u8 tu;
	enum tiny_s8 ts;
	enum short_enum se;
	enum dup d;
	enum single one;
	enum clash cl;
	state_t state;
	enum {				/* anonymous enum as a member type */
		ANON_KIND_A = 7,
		ANON_KIND_B = -7,
	} kind;
	enum pkt_dir dir_bits : 2;	/* enum-typed bitfields */
	enum errcode err_bits : 4;	/* signed enum bitfield */
	enum tiny_u8 tu_bits : 8;
	enum big64 big_bits : 30;	/* 64-bit enum bitfield (the kernel's
					 * BTF check refuses enum bitfields
					 * wider than 32 bits) */
	enum tiny_u8 tiny_arr[3];
	enum errcode err_arr[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, enum pkt_dir);
	__type(value, struct enum_holder);
} enums_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, enum big64);
} big64_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, enum tiny_s8);
	__type(value, enum sbig64);
} tiny_key_map SEC(".maps");

/* global variables of enum type, with non-zero initial values (.data) */
enum errcode g_err = ERR_NOENT;
enum big64 g_big = BIG64_HIGH;
enum sbig64 g_sbig = SBIG64_NEG;
enum tiny_s8 g_tiny = TINY_S8_NEG;
state_t g_state = STATE_DONE;
/* .rodata */
const volatile enum pkt_dir g_default_dir = PKT_DIR_OUT;
/* .bss */
enum u32flags g_flags;

SEC("socket")
int fill_enums(struct __sk_buff *skb)
{
	enum pkt_dir key = g_default_dir;
	struct enum_holder h = {
		.dir = PKT_DIR_FORWARD,
		.err = g_err,
		.flags = U32F_TOP | U32F_A,
		.big = g_big,
		.sbig = g_sbig,
		.tu = TINY_U8_B,
		.ts = g_tiny,
		.se = SHORT_ENUM_B,
		.d = DUP_LAST,
		.one = SINGLE,
		.cl = CLASH_TYPE,
		.state = g_state,
		.kind = ANON_KIND_B,
		.dir_bits = PKT_DIR_OUT,
		.err_bits = ERR_NOENT,
		.tu_bits = TINY_U8_B,
		.big_bits = 0x2eadbeef,
		.tiny_arr = { TINY_U8_A, TINY_U8_B, TINY_U8_A },
		.err_arr = { ERR_PERM, ERR_POSITIVE },
	};

	g_flags = U32F_B;
	bpf_map_update_elem(&enums_map, &key, &h, BPF_ANY);
	return 0;
}
