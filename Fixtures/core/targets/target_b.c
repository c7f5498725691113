/*
 * target_b.c: resized fields (us and b become int, name 32 bytes, the
 * typedef'd cv 8 bytes), wider and moved bitfields, the anonymous struct
 * nested inside an anonymous union, `struct gone` and `typedef my_u32`
 * absent, `enum color` with PURPLE, and big64 a 32-bit ENUM.
 */
#include "../samples.h"

typedef unsigned long my_u64;

struct inner {
	int x;
	int pad;
	int y;               /* long in the local type: still an integer */
};

enum color { RED = 100, PURPLE = 101, GREEN = 102, BLUE = 103 };
enum big64 { BIG_A = 1, BIG_B = 2 };

struct sample {
	unsigned int us;     /* 2 bytes locally: the load widens to 4 */
	int b;               /* signed and resized: the load is poisoned */
	int level : 9;       /* wider signed bitfield */
	unsigned long long wide : 40;
	unsigned char flags : 3;
	int a;
	union {
		struct {
			int anon_x;
			int anon_y;
		};
		long anon_raw;
	};
	union {
		int u_i;
		long u_l;
	};
	const my_u64 cv;
	char name[32];
	struct inner in;
	struct inner arr[5];
	enum color color;
	int tail[];
};

struct sample *use_sample;
enum color use_color;
enum big64 use_big;

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
	POISONED("ld_b");
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
	FACT("tx_gone", 0);
	FACT("tx_my_u32", 0);
	FACT("tm_inner", 0);  /* y is int here, long locally */
	FACT("tm_wrong", 0);
	FACT("ev_green", GREEN);
	FACT("ex_purple", 1);
	FACT("ev_big_b", BIG_B);
	MISSING("amb_v");
	MISSING("agree_w");
	FACT("bf_flags", SAMPLE_FLAGS);
	FACT("bf_level", SAMPLE_LEVEL);
	FACT("bf_wide", SAMPLE_WIDE);
	FACT("sub_y", offsetof(struct inner, y));
}
#endif
