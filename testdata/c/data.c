// SPDX-License-Identifier: GPL-2.0
/*
 * data.c — global data sections (DESIGN.md section 5, "Global data").
 *
 * Covers: .data, .rodata (const volatile), .bss, custom SEC(".data.custom")
 * and SEC(".rodata.custom") variables; static (file-local) variables;
 * variables that are structs with padding, arrays, enums, char arrays with
 * string contents, bitfield structs, nested structs, pointer-sized ints, a
 * 64-bit value, bool, float/double; non-zero initial values everywhere except
 * .bss. Variables of different alignment are interleaved so the sections
 * have holes between variables.
 *
 * Program read_globals (SEC("socket"), runnable with BPF_PROG_TEST_RUN)
 * reads every variable (so static ones are kept) and writes a summary into
 * the .bss variables `result` and `result_sum`: result.hits = 1 +
 * number of calls so far, result.last_rate = cfg.rate, etc.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

enum mode {
	MODE_OFF = 0,
	MODE_SAMPLE = 1,
	MODE_ALL = 2,
	MODE_NEG = -1,
};

struct padded {
	__u8 tag;		/* hole 1..7 */
	__u64 value;
	__u16 port;		/* tail 18..23 */
};

struct bits {
	__u32 enabled : 1;
	__u32 level : 3;
	__s32 delta : 7;
	__u32 id : 21;
	__u8 kind : 4;
};

struct limits {
	__u32 min;
	__u32 max;
};

struct cfg {
	enum mode mode;
	__u32 rate;
	struct limits lim;		/* nested struct */
	struct {
		__u16 lo;
		__u16 hi;
	} range;			/* nested anonymous struct */
	char name[12];
	_Bool verbose;
};

struct stats {
	__u64 hits;
	__u32 last_rate;
	__s32 last_delta;
};

/* ---- .rodata (const volatile: settable before load) ---- */
const volatile __u32 ro_u32 = 0xcafe;
const volatile __u64 ro_u64 = 0x1122334455667788ULL;
const volatile _Bool ro_enabled = 1;
const volatile enum mode ro_mode = MODE_SAMPLE;
const volatile struct cfg ro_cfg = {
	.mode = MODE_ALL,
	.rate = 100,
	.lim = { .min = 1, .max = 1000 },
	.range = { .lo = 1024, .hi = 65535 },
	.name = "default",
	.verbose = 1,
};
const volatile char ro_greeting[16] = "hello, world";
const volatile __u8 ro_bytes[5] = { 1, 2, 3, 4, 5 };
static const volatile __u32 ro_static = 77;

/* ---- .data ---- */
__u8 data_u8 = 0xab;			/* followed by a 7-byte hole */
__u64 data_u64 = 0x0102030405060708ULL;
__s16 data_s16 = -300;
struct padded data_padded = { .tag = 7, .value = 0xfeedfacecafebeefULL, .port = 8080 };
struct bits data_bits = { .enabled = 1, .level = 5, .delta = -9, .id = 0x12345, .kind = 0xa };
__u32 data_arr[4] = { 10, 20, 30, 40 };
char data_str[8] = "abc";		/* NUL padded */
unsigned long data_ulong = 0xdeadbeef;	/* pointer-sized */
__s64 data_neg64 = -2;
_Bool data_bool = 1;
float data_float = 1.5f;
double data_double = -2.25;
enum mode data_mode = MODE_NEG;
static __u32 data_static = 0x5555;
static volatile struct limits data_static_lim = { .min = 3, .max = 4 };	/* volatile: see quirks.c */

/* ---- .bss (zero) ---- */
struct stats result;
__u64 result_sum;
__u8 bss_u8;
__u32 bss_arr[3];
static __u64 bss_static;

/* ---- custom sections ---- */
__u32 custom_counter SEC(".data.custom") = 5;
struct limits custom_limits SEC(".data.custom") = { .min = 10, .max = 20 };
__u8 custom_flag SEC(".data.custom") = 1;
const volatile __u64 ro_custom SEC(".rodata.custom") = 0xabcdef;
const volatile char ro_custom_name[6] SEC(".rodata.custom") = "cust";

SEC("socket")
int read_globals(struct __sk_buff *skb)
{
	__u64 sum = 0;
	int i;

	sum += ro_u32 + ro_u64 + ro_enabled + ro_mode + ro_static;
	sum += ro_cfg.rate + ro_cfg.lim.max + ro_cfg.range.hi + ro_cfg.name[0];
	sum += ro_greeting[0] + ro_bytes[4];
	sum += data_u8 + data_u64 + data_s16 + data_padded.value + data_padded.port;
	sum += data_bits.level + data_bits.id + data_bits.kind;
	for (i = 0; i < 4; i++)
		sum += data_arr[i];
	sum += data_str[0] + data_ulong + data_neg64 + data_bool + data_mode;
	/* BPF has no FP instructions: read the bit patterns */
	sum += *(__u32 *)&data_float + *(__u64 *)&data_double;
	sum += data_static + data_static_lim.max;
	sum += custom_counter + custom_limits.max + custom_flag;
	sum += ro_custom + ro_custom_name[0];
	sum += bss_u8 + bss_arr[2] + bss_static;

	result.hits++;
	result.last_rate = ro_cfg.rate;
	result.last_delta = data_bits.delta;
	result_sum = sum;
	bss_static++;
	data_static++;
	custom_counter++;
	data_static_lim.min++;
	return 0;
}
