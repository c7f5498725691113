/*
 * target_a.c: a target BTF close to the local types, but with fields
 * reordered and inserted, the nested struct reshaped, other enum values,
 * and an ENUM64 with other values. Every probe finds what it asks for.
 */
#include "../samples.h"

typedef unsigned int u32_t;
typedef u32_t my_u32;

struct inner {
	long pad;
	long y;
	int x;
};

enum color { BLUE = 20, GREEN = 21, RED = 22 };
enum big64 { BIG_B = 0x700000000ULL, BIG_A = 0x100000000ULL };

struct sample {
	long first;
	char name[16];
	short b;
	unsigned short us;
	int a;
	unsigned long long wide : 40;
	unsigned int flags : 3;
	int level : 5;
	struct inner arr[4];
	struct inner in;
	const volatile my_u32 cv;
	struct {
		int anon_y;
		int anon_x;
	};
	union {
		long u_l;
		int u_i;
	};
	enum color color;
	int tail[];
};

struct gone {
	long z;
};

struct sample *use_sample;
struct gone *use_gone;
enum color use_color;
enum big64 use_big;
my_u32 use_u32;

#ifdef SAMPLE
struct sample sample_value = { .flags = SAMPLE_FLAGS, .level = SAMPLE_LEVEL, .wide = SAMPLE_WIDE };
#endif

#ifdef ORACLE
#include "../oracle.h"
static void facts(void)
{
	FACT("off_a", offsetof(struct sample, a));
	FACT("ld_a", offsetof(struct sample, a));
	FACT("ld_us", offsetof(struct sample, us));
	FACT("ld_us.size", FIELD_SIZE(struct sample, us));
	FACT("ld_b", offsetof(struct sample, b));
	FACT("sz_b", FIELD_SIZE(struct sample, b));
	FACT("signed_b", IS_SIGNED(struct sample, b));
	FACT("signed_us", IS_SIGNED(struct sample, us));
	FACT("off_in_y", offsetof(struct sample, in.y));
	FACT("off_arr", offsetof(struct sample, arr[2].y));
	FACT("off_u_l", offsetof(struct sample, u_l));
	FACT("off_anon_y", offsetof(struct sample, anon_y));
	FACT("off_cv", offsetof(struct sample, cv));
	FACT("sz_cv", FIELD_SIZE(struct sample, cv));
	FACT("sz_name", FIELD_SIZE(struct sample, name));
	FACT("off_tail", offsetof(struct sample, tail[3]));
	FACT("off_second", sizeof(struct sample) + offsetof(struct sample, a));
	FACT("ex_a", 1);
	FACT("ex_legacy", 0);
	FACT("ty_sample", sizeof(struct sample));
	FACT("tx_gone", 1);
	FACT("tx_my_u32", 1);
	FACT("tm_inner", 1);
	FACT("tm_wrong", 0);
	FACT("ev_green", GREEN);
	FACT("ex_purple", 0);
	FACT("ev_big_b", BIG_B);
	MISSING("amb_v");
	MISSING("agree_w");
	FACT("bf_flags", SAMPLE_FLAGS);
	FACT("bf_level", SAMPLE_LEVEL);
	FACT("bf_wide", SAMPLE_WIDE);
	FACT("sub_y", offsetof(struct inner, y));
}
#endif
