// SPDX-License-Identifier: GPL-2.0
/*
 * roundtrip.c — kernel round trip of the typed map wrappers (issue #3,
 * internal/kernelmaps).
 *
 * One map of every kind the typed wrappers cover: HASH, LRU_HASH, ARRAY,
 * PERCPU_HASH, PERCPU_ARRAY, LRU_PERCPU_HASH, LPM_TRIE, QUEUE, STACK,
 * BLOOM_FILTER, RINGBUF, PERF_EVENT_ARRAY, ARRAY_OF_MAPS (inner ARRAY),
 * HASH_OF_MAPS (inner HASH), PROG_ARRAY. Values are struct rt_val (56 bytes:
 * unsigned and signed bitfields, a union, a nested struct, a char array, a
 * packed member at odd offset 35, an enum with a negative value) or
 * struct rt_small (6 bytes, so per-CPU values have a padded 8-byte stride;
 * signed and unsigned char bitfields).
 *
 * Programs (all SEC("xdp"), run with BPF_PROG_TEST_RUN):
 *   writer  - fills every map with the FILL_W values (per-CPU maps: the
 *             running CPU's slot, recorded in writer_cpu; a = 500 + cpu),
 *             emits one ringbuf record and one perf sample (BPF_F_CURRENT_CPU);
 *             returns 0, or RT_FAIL(map, 99) if a map operation failed.
 *   checker - reads the FILL_G values Go wrote and returns 0 if all are
 *             equal, else RT_FAIL(map, field): map * 100 + the 1-based
 *             index of the first differing field (field 99: missing entry).
 *   tail_entry - tail-calls progs[2]; returns 1000 if the slot is empty.
 *   tail_a, tail_b - return 4242 and 77.
 * rt_image (.data) holds FILL_W with id RT_IMAGE_ID, for decoding the byte
 * image of either byte order without a kernel. Loads.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

enum rt_color {
	RT_RED = 1,
	RT_GREEN = 2,
	RT_BLUE = 7,
	RT_NEG = -3,
};

struct rt_point {
	__s16 x;
	__u16 y;
	__u32 z;
};

struct rt_val {
	__u64 id;			/* 0 */
	__u32 ubits : 5;		/* 8: bitfields fill one 32-bit unit */
	__s32 sbits : 7;
	__u32 flag : 1;
	__s32 wide : 19;
	union {				/* 12 */
		__u32 word;
		__s16 half[2];
		__u8 bytes[4];
	} u;
	struct rt_point pt;		/* 16 */
	char name[10];			/* 24 */
	__u8 tag;			/* 34 */
	__u32 odd __attribute__((packed));	/* 35: unaligned */
	__u8 pad1;			/* 39 */
	enum rt_color color;		/* 40 */
	__s32 neg;			/* 44 */
	__u64 last;			/* 48 */
};

struct rt_small {
	__u16 a;
	__u8 lo : 3;
	__s8 hi : 5;
	__u8 b;
	__u16 c;
};

struct rt_key {
	__u32 a;
	__u16 b;			/* tail padding 6..7 */
};

struct rt_lpm_key {
	__u32 prefixlen;
	__u8 addr[4];
};

/* Values the writer program stores (and rt_image holds). */
#define W_UBITS	21
#define W_SBITS	(-37)
#define W_FLAG	1
#define W_WIDE	(-200000)
#define W_WORD	0xA1B2C3D4u
#define W_PTX	(-1234)
#define W_PTY	0xBEEF
#define W_PTZ	0xDEADBEEFu
#define W_NAME	"roundtrip"
#define W_TAG	0x5A
#define W_ODD	0x12345678u
#define W_COLOR	RT_NEG
#define W_NEG	(-99)
#define W_LAST	0x0102030405060708ull

/* Values Go stores and the checker program expects. */
#define G_UBITS	31
#define G_SBITS	(-64)
#define G_FLAG	1
#define G_WIDE	262143
#define G_HALF0	(-2)
#define G_HALF1	0x3344
#define G_PTX	32767
#define G_PTY	1
#define G_PTZ	7
#define G_NAME	"gopher"
#define G_TAG	0xA5
#define G_ODD	0xCAFEF00Du
#define G_COLOR	RT_BLUE
#define G_NEG	(-2147483647 - 1)
#define G_LAST	0xFFFFFFFFFFFFFFFEull

#define RT_IMAGE_ID 0x1122334455667788ull

/* Map numbers in checker/writer return codes. */
enum {
	M_HASH = 1, M_LRU, M_ARRAY, M_PCPU_HASH, M_PCPU_ARRAY, M_LRU_PCPU,
	M_LPM, M_QUEUE, M_STACK, M_BLOOM, M_AOM, M_HOM, M_RB, M_PERF,
};
#define RT_FAIL(m, f) ((m) * 100 + (f))

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, struct rt_key);
	__type(value, struct rt_val);
} rt_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct rt_val);
} rt_lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct rt_val);
} rt_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct rt_val);
} rt_pcpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct rt_small);
} rt_pcpu_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct rt_small);
} rt_lru_pcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 8);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rt_lpm_key);
	__type(value, struct rt_val);
} rt_lpm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4);
	__type(value, struct rt_val);
} rt_queue SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 4);
	__type(value, struct rt_small);
} rt_stack SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 16);
	__type(value, struct rt_point);
} rt_bloom SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096 * 4);
} rt_rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} rt_perf SEC(".maps");

struct rt_inner_array {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct rt_val);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct rt_inner_array);
} rt_aom SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_HASH);
		__uint(max_entries, 4);
		__type(key, __u32);
		__type(value, struct rt_small);
	});
} rt_hom SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} rt_progs SEC(".maps");

/* FILL_W with id RT_IMAGE_ID, as a byte image in .data. */
struct rt_val rt_image = {
	.id = RT_IMAGE_ID,
	.ubits = W_UBITS,
	.sbits = W_SBITS,
	.flag = W_FLAG,
	.wide = W_WIDE,
	.u = { .word = W_WORD },
	.pt = { .x = W_PTX, .y = W_PTY, .z = W_PTZ },
	.name = W_NAME,
	.tag = W_TAG,
	.odd = W_ODD,
	.color = W_COLOR,
	.neg = W_NEG,
	.last = W_LAST,
};

/* CPU the writer ran on (.bss). */
__u32 writer_cpu;

static __always_inline void fill_w(struct rt_val *v, __u64 id)
{
	__builtin_memset(v, 0, sizeof(*v));
	v->id = id;
	v->ubits = W_UBITS;
	v->sbits = W_SBITS;
	v->flag = W_FLAG;
	v->wide = W_WIDE;
	v->u.word = W_WORD;
	v->pt.x = W_PTX;
	v->pt.y = W_PTY;
	v->pt.z = W_PTZ;
	__builtin_memcpy(v->name, W_NAME, sizeof(W_NAME));
	v->tag = W_TAG;
	v->odd = W_ODD;
	v->color = W_COLOR;
	v->neg = W_NEG;
	v->last = W_LAST;
}

static __always_inline void fill_small_w(struct rt_small *s, __u16 a)
{
	__builtin_memset(s, 0, sizeof(*s));
	s->a = a;
	s->lo = 6;
	s->hi = -5;
	s->b = 0x42;
	s->c = 0xBEEF;
}

/* Field index (1-based) of the first field of v that differs from FILL_G
 * with the given id, or 0. */
static __always_inline int check_g(const struct rt_val *v, __u64 id)
{
	const char want[10] = G_NAME;

	if (v->id != id)
		return 1;
	if (v->ubits != G_UBITS)
		return 2;
	if (v->sbits != G_SBITS)
		return 3;
	if (v->flag != G_FLAG)
		return 4;
	if (v->wide != G_WIDE)
		return 5;
	if (v->u.half[0] != G_HALF0 || v->u.half[1] != G_HALF1)
		return 6;
	if (v->pt.x != G_PTX || v->pt.y != G_PTY || v->pt.z != G_PTZ)
		return 7;
	for (int i = 0; i < 10; i++)
		if (v->name[i] != want[i])
			return 8;
	if (v->tag != G_TAG)
		return 9;
	if (v->odd != G_ODD)
		return 10;
	if (v->pad1 != 0)
		return 11;
	if (v->color != G_COLOR)
		return 12;
	if (v->neg != G_NEG)
		return 13;
	if (v->last != G_LAST)
		return 14;
	return 0;
}

/* FILL_G for struct rt_small: a given, lo 5, hi -16, b 0x7F, c 0x1234. */
static __always_inline int check_small_g(const struct rt_small *s, __u16 a)
{
	if (s->a != a)
		return 1;
	if (s->lo != 5)
		return 2;
	if (s->hi != -16)
		return 3;
	if (s->b != 0x7F)
		return 4;
	if (s->c != 0x1234)
		return 5;
	return 0;
}

SEC("xdp")
int writer(struct xdp_md *ctx)
{
	struct rt_val v;
	struct rt_small s;
	struct rt_key hk;
	struct rt_lpm_key lk = { .prefixlen = 16, .addr = { 10, 1, 0, 0 } };
	struct rt_point p = { .x = -7, .y = 8, .z = 9 };
	__u32 cpu = bpf_get_smp_processor_id();
	__u32 k;
	void *inner;

	writer_cpu = cpu;

	__builtin_memset(&hk, 0, sizeof(hk));
	hk.a = 0xAABBCCDD;
	hk.b = 0x0102;
	fill_w(&v, 11);
	if (bpf_map_update_elem(&rt_hash, &hk, &v, BPF_ANY))
		return RT_FAIL(M_HASH, 99);

	k = 5;
	fill_w(&v, 21);
	if (bpf_map_update_elem(&rt_lru, &k, &v, BPF_ANY))
		return RT_FAIL(M_LRU, 99);

	k = 1;
	fill_w(&v, 31);
	if (bpf_map_update_elem(&rt_array, &k, &v, BPF_ANY))
		return RT_FAIL(M_ARRAY, 99);

	/* per-CPU from a program: only this CPU's slot */
	k = 6;
	fill_w(&v, 41);
	if (bpf_map_update_elem(&rt_pcpu_hash, &k, &v, BPF_ANY))
		return RT_FAIL(M_PCPU_HASH, 99);

	k = 0;
	fill_small_w(&s, 500 + cpu);
	if (bpf_map_update_elem(&rt_pcpu_array, &k, &s, BPF_ANY))
		return RT_FAIL(M_PCPU_ARRAY, 99);

	k = 7;
	fill_small_w(&s, 600 + cpu);
	if (bpf_map_update_elem(&rt_lru_pcpu, &k, &s, BPF_ANY))
		return RT_FAIL(M_LRU_PCPU, 99);

	fill_w(&v, 71);
	if (bpf_map_update_elem(&rt_lpm, &lk, &v, BPF_ANY))
		return RT_FAIL(M_LPM, 99);

	fill_w(&v, 81);
	if (bpf_map_push_elem(&rt_queue, &v, 0))
		return RT_FAIL(M_QUEUE, 99);
	fill_w(&v, 82);
	if (bpf_map_push_elem(&rt_queue, &v, 0))
		return RT_FAIL(M_QUEUE, 98);

	fill_small_w(&s, 91);
	if (bpf_map_push_elem(&rt_stack, &s, 0))
		return RT_FAIL(M_STACK, 99);
	fill_small_w(&s, 92);
	if (bpf_map_push_elem(&rt_stack, &s, 0))
		return RT_FAIL(M_STACK, 98);

	if (bpf_map_push_elem(&rt_bloom, &p, 0))
		return RT_FAIL(M_BLOOM, 99);

	/* map in map: the inner maps Go installed */
	k = 0;
	inner = bpf_map_lookup_elem(&rt_aom, &k);
	if (!inner)
		return RT_FAIL(M_AOM, 99);
	k = 3;
	fill_w(&v, 111);
	if (bpf_map_update_elem(inner, &k, &v, BPF_ANY))
		return RT_FAIL(M_AOM, 98);

	k = 9;
	inner = bpf_map_lookup_elem(&rt_hom, &k);
	if (!inner)
		return RT_FAIL(M_HOM, 99);
	k = 4;
	fill_small_w(&s, 121);
	if (bpf_map_update_elem(inner, &k, &s, BPF_ANY))
		return RT_FAIL(M_HOM, 98);

	fill_w(&v, 131);
	if (bpf_ringbuf_output(&rt_rb, &v, sizeof(v), 0))
		return RT_FAIL(M_RB, 99);

	fill_w(&v, 141);
	if (bpf_perf_event_output(ctx, &rt_perf, BPF_F_CURRENT_CPU, &v, sizeof(v)))
		return RT_FAIL(M_PERF, 99);

	return 0;
}

SEC("xdp")
int checker(struct xdp_md *ctx)
{
	struct rt_val v;
	struct rt_small s;
	struct rt_key hk;
	struct rt_lpm_key lk = { .prefixlen = 32, .addr = { 192, 168, 7, 9 } };
	struct rt_point p = { .x = 100, .y = 200, .z = 300 };
	__u32 cpu = bpf_get_smp_processor_id();
	struct rt_val *pv;
	struct rt_small *ps;
	__u32 k;
	void *inner;
	int r;

	__builtin_memset(&hk, 0, sizeof(hk));
	hk.a = 0x01020304;
	hk.b = 0xFFFE;
	pv = bpf_map_lookup_elem(&rt_hash, &hk);
	if (!pv)
		return RT_FAIL(M_HASH, 99);
	if ((r = check_g(pv, 12)))
		return RT_FAIL(M_HASH, r);

	k = 2;
	pv = bpf_map_lookup_elem(&rt_lru, &k);
	if (!pv)
		return RT_FAIL(M_LRU, 99);
	if ((r = check_g(pv, 22)))
		return RT_FAIL(M_LRU, r);

	k = 3;
	pv = bpf_map_lookup_elem(&rt_array, &k);
	if (!pv)
		return RT_FAIL(M_ARRAY, 99);
	if ((r = check_g(pv, 32)))
		return RT_FAIL(M_ARRAY, r);

	/* per-CPU: Go wrote id 1000 + cpu (rt_val) / a = 1000 + cpu (rt_small)
	 * into every CPU's slot; this CPU's must match. */
	k = 2;
	pv = bpf_map_lookup_elem(&rt_pcpu_hash, &k);
	if (!pv)
		return RT_FAIL(M_PCPU_HASH, 99);
	if ((r = check_g(pv, 1000 + cpu)))
		return RT_FAIL(M_PCPU_HASH, r);

	k = 1;
	ps = bpf_map_lookup_elem(&rt_pcpu_array, &k);
	if (!ps)
		return RT_FAIL(M_PCPU_ARRAY, 99);
	if ((r = check_small_g(ps, 1000 + cpu)))
		return RT_FAIL(M_PCPU_ARRAY, r);

	k = 3;
	ps = bpf_map_lookup_elem(&rt_lru_pcpu, &k);
	if (!ps)
		return RT_FAIL(M_LRU_PCPU, 99);
	if ((r = check_small_g(ps, 2000 + cpu)))
		return RT_FAIL(M_LRU_PCPU, r);

	pv = bpf_map_lookup_elem(&rt_lpm, &lk);
	if (!pv)
		return RT_FAIL(M_LPM, 99);
	if ((r = check_g(pv, 72)))
		return RT_FAIL(M_LPM, r);

	if (bpf_map_pop_elem(&rt_queue, &v))
		return RT_FAIL(M_QUEUE, 99);
	if ((r = check_g(&v, 83)))
		return RT_FAIL(M_QUEUE, r);

	if (bpf_map_pop_elem(&rt_stack, &s))
		return RT_FAIL(M_STACK, 99);
	if ((r = check_small_g(&s, 93)))
		return RT_FAIL(M_STACK, r);

	if (bpf_map_peek_elem(&rt_bloom, &p))
		return RT_FAIL(M_BLOOM, 99);

	k = 1;
	inner = bpf_map_lookup_elem(&rt_aom, &k);
	if (!inner)
		return RT_FAIL(M_AOM, 97);
	k = 2;
	pv = bpf_map_lookup_elem(inner, &k);
	if (!pv)
		return RT_FAIL(M_AOM, 99);
	if ((r = check_g(pv, 112)))
		return RT_FAIL(M_AOM, r);

	k = 9;
	inner = bpf_map_lookup_elem(&rt_hom, &k);
	if (!inner)
		return RT_FAIL(M_HOM, 97);
	k = 5;
	ps = bpf_map_lookup_elem(inner, &k);
	if (!ps)
		return RT_FAIL(M_HOM, 99);
	if ((r = check_small_g(ps, 122)))
		return RT_FAIL(M_HOM, r);

	return 0;
}

SEC("xdp")
int tail_a(struct xdp_md *ctx)
{
	return 4242;
}

SEC("xdp")
int tail_b(struct xdp_md *ctx)
{
	return 77;
}

SEC("xdp")
int tail_entry(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &rt_progs, 2);
	return 1000;
}
