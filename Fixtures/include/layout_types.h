/*
 * layout_types.h: the types of layout.bpf.c, one per layout case of
 * `swiftbpf gen types`. Plain C with no BPF headers, so a host compiler can
 * include it too: the codegen tests compile a host program printing sizeof,
 * _Alignof and offsetof of these types as an independent source of their
 * layout (x86-64 and BPF lay these types out alike: LP64, char signed,
 * __int128 aligned to 16). The LAYOUT_* values are what the programs write
 * and check; the Swift tests use the same numbers.
 */
#ifndef SWIFTBPF_LAYOUT_TYPES_H
#define SWIFTBPF_LAYOUT_TYPES_H

#ifdef LAYOUT_EXTRA_TYPE
/* Only in the determinism test's own build (clang -DLAYOUT_EXTRA_TYPE): one
 * more type, first, so the type ids of all the others change. */
struct extra_unrelated { int x; };
#endif

/* A typedef chain: final_count_t -> counter_t -> base_u32 -> unsigned int. */
typedef unsigned int base_u32;
typedef base_u32 counter_t;
typedef const counter_t final_count_t;

/* Padding between members and at the tail: 32 bytes. */
struct padded {
	char a;          /* @0, then 3 bytes of padding */
	int b;           /* @4 */
	char c;          /* @8, then 7 bytes */
	long long d;     /* @16 */
	short e;         /* @24, then 6 bytes of tail padding */
};

enum color { COLOR_RED = 0, COLOR_GREEN = 1, COLOR_BLUE = 2, COLOR_LAST = 7 };

/* Bitfields: 1-bit, signed, enum and _Bool fields; a field spanning two
 * 32-bit storage units; a signed field at the end of a 64-bit unit. 16 bytes. */
struct bits {
	unsigned int flag : 1;           /* bit 0 */
	int small : 4;                   /* bits 1-4, signed */
	unsigned int mid : 20;           /* bits 5-24 */
	enum color color : 3;            /* bits 25-27 */
	_Bool ok : 1;                    /* bit 28 */
	unsigned char tag;               /* @4 */
	unsigned long long low : 20;     /* bits 40-59 */
	unsigned long long across : 36;  /* bits 64-99: spans the units at 64 and 96 */
	long long negative : 27;         /* bits 100-126, signed */
};
#define LAYOUT_FLAG 1
#define LAYOUT_SMALL (-3)
#define LAYOUT_MID 0xabcde
#define LAYOUT_COLOR COLOR_BLUE
#define LAYOUT_OK 1
#define LAYOUT_TAG 0x5a
#define LAYOUT_LOW 0xfedcb
#define LAYOUT_ACROSS 0xabcdef123ull
#define LAYOUT_NEGATIVE (-12345678)

/* A packed struct with a bitfield straddling its own 32-bit unit: 7 bytes. */
struct __attribute__((packed)) packed_bits {
	unsigned char head;               /* @0 */
	unsigned int straddle : 30;       /* bits 8-37 */
	unsigned int rest : 2;            /* bits 38-39 */
	unsigned short tail;              /* @5 */
};
#define LAYOUT_HEAD 0xc3
#define LAYOUT_STRADDLE 0x23456789
#define LAYOUT_REST 2
#define LAYOUT_TAIL 0xbeef

/* Packed: members below their alignment, 15 bytes, alignment 1. */
struct __attribute__((packed)) packed_rec {
	unsigned char kind;               /* @0 */
	unsigned int value;               /* @1 */
	unsigned short port;              /* @5 */
	unsigned long long stamp;         /* @7 */
};
#define LAYOUT_KIND 0x7f
#define LAYOUT_VALUE 0xdeadbeef
#define LAYOUT_PORT 8080
#define LAYOUT_STAMP 0x0102030405060708ull

/* A union with a nested anonymous struct member: 8 bytes. */
union value {
	unsigned int word;
	unsigned char bytes[4];
	float real;
	struct { unsigned short lo, hi; } halves;
	unsigned long long wide;
};
#define LAYOUT_WIDE 0x1122334455667788ull
#define LAYOUT_LO 0x1234
#define LAYOUT_HI 0xabcd

struct inner { unsigned short a; unsigned short b; };

/* Nested and anonymous structs and unions: 40 bytes. */
struct outer {
	int id;                                           /* @0 */
	struct { int x; int y; } point;                   /* @4, anonymous type */
	union { unsigned int as_u32; float as_float; };   /* @12, anonymous member */
	struct inner named;                               /* @16 */
	struct { unsigned char k; unsigned char v; };     /* @20, anonymous member */
	struct { long long when; } stamps[2];             /* @24, array of an anonymous type */
};
#define LAYOUT_FLOAT 1.5f
#define LAYOUT_FLOAT_BITS 0x3fc00000u /* 1.5f; BPF cannot compare floats */
#define LAYOUT_K 7
#define LAYOUT_V 9

/* Arrays: multi-dimensional, char, char[][] and a flexible last member. */
struct arrays {
	unsigned short grid[2][3];        /* @0 */
	char name[16];                    /* @12 */
	char names[2][8];                 /* @28 */
	int matrix[2][2][2];              /* @44 */
	unsigned int count;               /* @76 */
	unsigned int values[];            /* @80, flexible */
};

/* A zero-length last member (the GNU form), after tail padding: 8 bytes. */
struct flex_event {
	unsigned int len;                 /* @0 */
	unsigned short kind;              /* @4 */
	unsigned char data[0];            /* @6 */
};

/* A flexible array more aligned than the rest: alignment 8, 8 bytes. */
struct flex_wide {
	unsigned int count;               /* @0 */
	unsigned long long items[];       /* @8 */
};

/* Enums of 1, 2, 4 and 8 bytes, signed and unsigned. */
enum __attribute__((packed)) e_u8 { E_U8_MIN = 0, E_U8_MAX = 255 };
enum __attribute__((packed)) e_s8 { E_S8_MIN = -128, E_S8_MAX = 127 };
enum __attribute__((packed)) e_u16 { E_U16_ONE = 1, E_U16_MAX = 65535 };
enum __attribute__((packed)) e_s16 { E_S16_MIN = -32768, E_S16_ONE = 1 };
enum e_u32 { E_U32_ONE = 1, E_U32_MAX = 4294967295u };
enum e_s32 { E_S32_MIN = -2147483647 - 1, E_S32_MAX = 2147483647 };
enum e_u64 { E_U64_ONE = 1, E_U64_BIG = 0xfedcba9876543210ull };
enum e_s64 { E_S64_MIN = -9223372036854775807ll - 1, E_S64_ONE = 1 };

struct enums {
	enum e_u8 a;                      /* @0 */
	enum e_s8 b;                      /* @1 */
	enum e_u16 c;                     /* @2 */
	enum e_s16 d;                     /* @4 */
	enum e_u32 e;                     /* @8 */
	enum e_s32 f;                     /* @12 */
	enum e_u64 g;                     /* @16 */
	enum e_s64 h;                     /* @24 */
};

/* Pointers, the typedef chain, floating point, __int128, _Bool: 96 bytes. */
struct scalars {
	void *ptr;                        /* @0 */
	const char *text;                 /* @8 */
	struct outer *link;               /* @16 */
	final_count_t count;              /* @24 */
	float ratio;                      /* @28 */
	double precise;                   /* @32 */
	__int128 huge;                    /* @48 */
	unsigned __int128 uhuge;          /* @64 */
	_Bool yes;                        /* @80, then 15 bytes of tail padding */
};

/* A struct whose Swift name would be the standard library's String. */
struct string { char text[8]; };

/* An anonymous struct named by its typedef. */
typedef struct { int left; int right; } pair_t;

/* Members that are Swift keywords, and names that collide once camel-cased. */
struct keywords {
	int in;
	int self;
	int init;
	int protocol;
	int let;
	int is;
	int filename_len;
	int filenameLen;
	int type;
	int Type;
	struct string label;
};

/* A hash map key with padding inside and at the tail: 12 bytes. */
struct flow_key {
	unsigned char proto;              /* @0 */
	unsigned int addr;                /* @4 */
	unsigned short port;              /* @8 */
};

#endif
