/*
 * target_ambig.c: two candidates for `struct ambig` that put v at
 * different offsets (an ambiguity the engine must refuse, naming both),
 * and two candidates for `struct agree` that agree (fine). Nothing else.
 */
struct ambig {
	int pad;
	int v;
};

struct ambig___2 {
	int v;
};

struct agree {
	long pad;
	int w;
};

struct agree___other {
	long pad;
	int w;
};

struct ambig *use_ambig;
struct ambig___2 *use_ambig2;
struct agree *use_agree;
struct agree___other *use_agree2;

#ifdef ORACLE
#include "../oracle.h"
static void facts(void)
{
	MISSING("off_a");
	MISSING("ld_a");
	MISSING("ld_us");
	MISSING("ld_b");
	MISSING("sz_b");
	MISSING("signed_b");
	MISSING("signed_us");
	MISSING("off_in_y");
	MISSING("off_arr");
	MISSING("off_u_l");
	MISSING("off_anon_y");
	MISSING("off_cv");
	MISSING("sz_cv");
	MISSING("sz_name");
	MISSING("off_tail");
	MISSING("off_second");
	FACT("ex_a", 0);
	FACT("ex_legacy", 0);
	FACT("ty_sample", 0);
	FACT("tx_gone", 0);
	FACT("tx_my_u32", 0);
	FACT("tm_inner", 0);
	FACT("tm_wrong", 0);
	MISSING("ev_green");
	FACT("ex_purple", 0);
	MISSING("ev_big_b");
	AMBIGUOUS("amb_v");
	FACT("agree_w", offsetof(struct agree, w));
	MISSING("bf_flags");
	MISSING("bf_level");
	MISSING("bf_wide");
	MISSING("sub_y");
}
#endif
