/* Unions whose arms leave bytes unused: a byte is unused only if no arm
 * uses it, and counted once however many arms leave it unused. */
typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;

/* Two arms with the same 3-byte hole: 3 bytes unused, not 6. */
struct two_arms {
	union {
		struct { __u8 a; __u32 b; };
		struct { __u8 c; __u32 d; } h;
	};
};

/* The hole of one arm is used by the other: no hole. */
struct covered {
	union {
		struct { __u8 a; __u32 b; };
		__u64 x;
	};
};

/* The arms' holes overlap in part: bytes 2 and 3 are unused, byte 1 is
 * used by the second arm; the bits of byte 8 after the bitfield are
 * unused in both arms. */
struct partial {
	union {
		struct { __u8 a; __u32 b; __u8 f : 3; };
		struct { __u16 c; __u16 :16; __u32 d; __u8 g : 3; };
	};
};

struct two_arms t1;
struct covered t2;
struct partial t3;
