/*
 * oracle.h: prints the facts a target lays down, for the tests to expect.
 *
 * Included at the end of targets/target_X.c when built as a host program
 * (cc -DORACLE): its facts() prints "key value" lines whose values the C
 * compiler computes from the target's definitions (offsetof, sizeof, enum
 * values), "key missing" for what the target does not have (the relocation
 * must be poisoned, or yield 0 for existence checks), "key ambiguous" for
 * candidates that disagree, and "key poisoned" where a load cannot follow
 * the target's field size.
 */
#include <stdio.h>
#include <stddef.h>

#define FACT(key, expr) printf("%s %llu\n", key, (unsigned long long)(expr))
#define MISSING(key) printf("%s missing\n", key)
#define AMBIGUOUS(key) printf("%s ambiguous\n", key)
#define POISONED(key) printf("%s poisoned\n", key)
#define FIELD_SIZE(type, field) sizeof(((type *)0)->field)
#define IS_SIGNED(type, field) ((__typeof__(((type *)0)->field))-1 < 0)

static void facts(void);

int main(void)
{
	facts();
	return 0;
}
