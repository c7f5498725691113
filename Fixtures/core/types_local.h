/*
 * types_local.h: the types probe.bpf.c was compiled against (the "local"
 * side of CO-RE). The targets (targets/target_X.c) lay the same types out
 * differently; each probe in probe.bpf.c asks one question about them.
 */
#ifndef TYPES_LOCAL_H
#define TYPES_LOCAL_H

#define PAI __attribute__((preserve_access_index))

typedef unsigned int u32_t;
typedef u32_t my_u32;                      /* a typedef chain */

struct inner {
	int x;
	long y;
} PAI;

/* Member x has another kind than in every target: type_matches says 0. */
struct inner___wrong {
	char *x;
} PAI;

enum color { RED, GREEN, BLUE };

/* A flavor of `enum color` naming a value only target_b has. */
enum color___v2 { PURPLE = 9 };

/* An ENUM64 (values above 32 bits). */
enum big64 { BIG_A = 0x100000000ULL, BIG_B = 0x200000000ULL };

struct sample {
	int a;
	unsigned short us;                 /* unsigned, resized in target_b */
	short b;                           /* signed, resized in target_b */
	unsigned int flags : 3;            /* bitfields */
	int level : 5;
	unsigned long long wide : 40;
	struct inner in;                   /* nested struct */
	struct inner arr[4];               /* array of structs */
	union {                            /* anonymous union */
		int u_i;
		long u_l;
	};
	struct {                           /* anonymous struct */
		int anon_x;
		int anon_y;
	};
	const volatile my_u32 cv;          /* qualifiers on a typedef chain */
	char name[16];
	enum color color;
	int tail[];                        /* flexible array */
} PAI;

/* An older layout flavor with a field only target_c has. */
struct sample___old {
	long legacy;
} PAI;

struct gone {
	int z;
} PAI;

/* target_ambig has two candidates that disagree, and two that agree. */
struct ambig {
	int v;
} PAI;

struct agree {
	int w;
} PAI;

#endif
