/*
 * cpuv4.bpf.c: instructions of BPF cpu v4 (LLVM -mcpu=v4, kernel 6.6+),
 * built with `-target bpf -mcpu=v4`.
 *
 * EXPECT instructions (as printed by LLVM 21's llvm-objdump -d):
 *   movsx   `r1 = (s8)r1`, `(s16)`, `(s32)`,       0xbf (64-bit) / 0xbc (32-bit)
 *           `w1 = (s8)w1`                          with off 8/16/32
 *   ldsx    `r1 = *(s8 *)(r1 + 0)`, s16, s32       BPF_MEMSX (0x91, 0x89, 0x81)
 *   sdiv    `r1 s/= r2`, `w1 s/= w2`, smod         BPF_DIV/BPF_MOD with off 1
 *           `r1 s%= r2`
 *   bswap   `r1 = bswap16/32/64 r1`                BPF_ALU64|BPF_END (0xd7)
 *   gotol   `gotol +1`                             BPF_JMP32|BPF_JA (0x06),
 *                                                  offset in imm
 *   may_goto `may_goto +1`                         BPF_JMP|BPF_JCOND (0xe5)
 *
 * EXPECT programs:
 *   cpuv4_ops  syscall  SYSCALL  returns 0 on success, __LINE__ on a failed
 *              check. Operands come from .data (`in`) so clang cannot fold
 *              them; results are also stored in .bss `out` for tests.
 *   jumps      syscall  SYSCALL  runs gotol and may_goto (inline asm);
 *              returns 0 on success, __LINE__ on a failed check
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

struct inputs {
	__s8 b;       /* -5 */
	__s16 h;      /* -300 */
	__s32 w;      /* -70000 */
	__s64 num;    /* -17 */
	__s64 den;    /* 5 */
	__u64 pattern;
	__u64 zero;   /* 0 */
};

struct outputs {
	__s64 from_s8, from_s16, from_s32; /* ldsx results */
	__s64 narrowed8, narrowed16, narrowed32; /* movsx (64-bit) */
	__s32 narrowed8_32;                 /* movsx (32-bit) */
	__s32 quotient32;                   /* sdiv (32-bit) */
	__s64 quotient, remainder;          /* sdiv, smod (64-bit) */
	__u64 swapped16, swapped32, swapped64;
};

struct inputs in = {
	.b = -5, .h = -300, .w = -70000, .num = -17, .den = 5,
	.pattern = 0x0102030405060708ULL,
};
struct outputs out;

SEC("syscall")
int cpuv4_ops(void *ctx)
{
	volatile struct inputs *v = &in;
	__s64 wide;
	__s32 narrow;

	/* ldsx: sign-extending loads straight from memory */
	out.from_s8 = v->b;
	out.from_s16 = v->h;
	out.from_s32 = v->w;
	CHECK(out.from_s8 == -5);
	CHECK(out.from_s16 == -300);
	CHECK(out.from_s32 == -70000);

	/* movsx: sign-extend the low 8, 16 or 32 bits of a register */
	wide = v->num + 0x100; /* 0xef in the low byte: -17 as s8 */
	out.narrowed8 = (__s8)wide;
	CHECK(out.narrowed8 == -17);
	wide = v->num + 0x10000;
	out.narrowed16 = (__s16)wide;
	CHECK(out.narrowed16 == -17);
	wide = v->num + 0x100000000LL;
	out.narrowed32 = (__s32)wide;
	CHECK(out.narrowed32 == -17);
	narrow = (__s32)v->num + 0x100;
	out.narrowed8_32 = (__s8)narrow;
	CHECK(out.narrowed8_32 == -17);

	/* sdiv / smod: C truncates toward zero, remainder takes the sign of
	 * the dividend */
	out.quotient = v->num / v->den;
	out.remainder = v->num % v->den;
	out.quotient32 = (__s32)v->num / (__s32)v->den;
	CHECK(out.quotient == -3);
	CHECK(out.remainder == -2);
	CHECK(out.quotient32 == -3);

	/* bswap: unconditional byte swaps */
	out.swapped16 = __builtin_bswap16((__u16)v->pattern);
	out.swapped32 = __builtin_bswap32((__u32)v->pattern);
	out.swapped64 = __builtin_bswap64(v->pattern);
	CHECK(out.swapped16 == 0x0807);
	CHECK(out.swapped32 == 0x08070605);
	CHECK(out.swapped64 == 0x0807060504030201ULL);
	return 0;
}

SEC("syscall")
int jumps(void *ctx)
{
	__u64 gate = in.zero, r;

	/* gotol: the 32-bit-offset jump skips the assignment of 1. The
	 * conditional jump keeps that assignment reachable (the verifier
	 * rejects unreachable instructions); with gate == 0 it is not taken. */
	asm volatile("%[r] = 0;"
		     "if %[gate] != 0 goto +1;"
		     "gotol +1;"
		     "%[r] = 1;"
		     : [r] "=&r"(r)
		     : [gate] "r"(gate));
	CHECK(r == 0);

	/* may_goto: falls through while the loop budget lasts (it does on
	 * the first use), so the assignment of 2 runs */
	asm volatile("%[r] = 1;"
		     "may_goto +1;"
		     "%[r] = 2;"
		     : [r] "=r"(r));
	CHECK(r == 2);
	return 0;
}
