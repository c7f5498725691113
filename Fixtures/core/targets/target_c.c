/*
 * target_c.c: the struct renamed with a flavor (`sample___v3`, still a
 * candidate for the local `sample`), fields missing (in, arr, the bitfield
 * `level`, u_l), a field only this target has (legacy), cv through a
 * longer typedef chain, `enum color` an ENUM64, `struct gone` of another
 * size.
 */
#include "../samples.h"

typedef unsigned int u32_t;
typedef u32_t mid_t;
typedef mid_t my_u32;

struct inner {
	int x;
	long y;
};

enum color { GREEN = 0x500000000LL, RED = 1, BLUE = 2 };
enum big64 { BIG_A = 0x100000000ULL, BIG_B = 0x200000000ULL };

struct sample___v3 {
	unsigned long long wide : 40;
	unsigned int flags : 3;
	long legacy;
	short b;
	unsigned short us;
	volatile my_u32 cv;
	char name[8];
	int a;
	struct {
		int anon_x;
		int anon_y;
	};
	union {
		int u_i;
	};
	enum color color;
	int tail[];
};

struct gone {
	char z[24];
};

struct sample___v3 *use_sample;
struct gone *use_gone;
struct inner *use_inner;
enum color use_color;
enum big64 use_big;
my_u32 use_u32;

#ifdef SAMPLE
struct sample___v3 sample_value = { .flags = SAMPLE_FLAGS, .wide = SAMPLE_WIDE };
#endif

#ifdef ORACLE
#include "../oracle.h"
#define S struct sample___v3
static void facts(void)
{
	FACT("off_a", offsetof(S, a));
	FACT("ld_a", offsetof(S, a));
	FACT("ld_us", offsetof(S, us));
	FACT("ld_us.size", FIELD_SIZE(S, us));
	FACT("ld_b", offsetof(S, b));
	FACT("sz_b", FIELD_SIZE(S, b));
	FACT("signed_b", IS_SIGNED(S, b));
	FACT("signed_us", IS_SIGNED(S, us));
	MISSING("off_in_y");
	MISSING("off_arr");
	MISSING("off_u_l");
	FACT("off_anon_y", offsetof(S, anon_y));
	FACT("off_cv", offsetof(S, cv));
	FACT("sz_cv", FIELD_SIZE(S, cv));
	FACT("sz_name", FIELD_SIZE(S, name));
	FACT("off_tail", offsetof(S, tail[3]));
	FACT("off_second", sizeof(S) + offsetof(S, a));
	FACT("ex_a", 1);
	FACT("ex_legacy", 1);
	FACT("ty_sample", sizeof(S));
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
	MISSING("bf_level");
	FACT("bf_wide", SAMPLE_WIDE);
	FACT("sub_y", offsetof(struct inner, y));
}
#endif
