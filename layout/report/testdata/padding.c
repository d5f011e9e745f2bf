/*
 * Declarations whose BTF leaves out what shaped them: unnamed padding
 * bitfields between whole members and at the end, zero-width bitfields,
 * aligned and packed attributes. TestInferredFromC compiles this file for
 * the BPF target and checks that mapgen layout infers a declaration that
 * compiles back to the same layout, and that its suggested order compiles
 * to what the report promises.
 */
typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;

struct pad_mid {		/* like vmlinux's ioam6_hdr */
	__u8 a;
	__u8 b;
	__u8 :8;
	__u8 c;
};

struct pad_tail {		/* like vmlinux's __kernel_timex */
	__u64 x;
	__u32 y;
	int :32;
	int :32;
	int :32;
};

struct pad_tail_holes {
	__u8 a;
	__u64 b;
	__u8 c;
	int :32;
	int :32;
};

struct pad_holes {
	__u8 a;
	__u32 :32;
	__u64 b;
	__u16 c;
	__u8 :8;
	__u32 d;
	__u8 e;
};

struct zero_width {
	__u8 a;
	__u32 x : 3;
	__u32 : 0;
	__u32 y : 5;
	__u64 big;
	__u8 z;
};

struct aligned_tail {
	__u8 a;
	__u64 b __attribute__((aligned(16)));
	__u8 c;
} __attribute__((aligned(32)));

struct packed_mix {
	__u8 a;
	__u32 b;
	__u16 c;
	__u64 d;
} __attribute__((packed));

typedef struct {		/* reported as holey_t */
	__u8 a;
	__u64 b;
	__u8 c;
} holey_t;

holey_t *use_holey;
struct pad_mid *use_pad_mid;
struct pad_tail *use_pad_tail;
struct pad_holes *use_pad_holes;
struct pad_tail_holes *use_pad_tail_holes;
struct zero_width *use_zero_width;
struct aligned_tail *use_aligned_tail;
struct packed_mix *use_packed_mix;
