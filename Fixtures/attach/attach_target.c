/*
 * attach_target.c: a host x86-64 program (not BPF) for the attach tests,
 * built by build.sh into attach_target (PIE) and attach_target_nopie
 * (ET_EXEC, -no-pie).
 *
 *   attach_target [count]   prints "ready <pid>", waits for one line on
 *                           stdin (time for the test to attach to this
 *                           pid), fires everything `count` times (default
 *                           1), prints "fired <n>" and exits 0
 *
 * EXPECT functions (global, in .dynsym and .symtab):
 *   swiftbpf_attach_function(int x) returns x + 100; called once per round
 *   with x = round (0, 1, ...); getpid() from libc is also called once per
 *   round (for uprobes on a library found through /proc/<pid>/maps)
 *
 * EXPECT USDT notes (.note.stapsdt, type 3, owner "stapsdt"; read them with
 * binutils `readelf -n`):
 *   swiftbpf_attach:args  4 arguments with fixed registers, fired every
 *                         round: "-4@$5 8@%rcx -4@8(%rsi) 8@(%rax,%rdx,8)"
 *                         = constant 5, round (rcx), 1000 + round (int at
 *                         8 bytes into a struct whose address is in rsi),
 *                         table[round % 4] with table = {11, 22, 33, 44}
 *                         (rax = table, rdx = round % 4, scale 8)
 *   swiftbpf_attach:sema  1 argument "-4@%edi" (round), with a semaphore
 *                         in section .probes: the program fires it only
 *                         while the semaphore is non-zero and prints the
 *                         number of times it did as "fired <n>"
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SWIFTBPF_NOTE(provider, name, sema, args)                              \
	"990: nop\n"                                                           \
	".pushsection .note.stapsdt,\"?\",\"note\"\n"                          \
	".balign 4\n"                                                          \
	".4byte 992f-991f, 994f-993f, 3\n"                                     \
	"991: .asciz \"stapsdt\"\n"                                            \
	"992: .balign 4\n"                                                     \
	"993: .8byte 990b\n"                                                   \
	".8byte _.stapsdt.base\n"                                              \
	".8byte " sema "\n"                                                    \
	".asciz \"" provider "\"\n"                                            \
	".asciz \"" name "\"\n"                                                \
	".asciz \"" args "\"\n"                                                \
	"994: .balign 4\n"                                                     \
	".popsection\n"                                                        \
	".ifndef _.stapsdt.base\n"                                             \
	".pushsection .stapsdt.base,\"aG\",\"progbits\",.stapsdt.base,comdat\n" \
	".weak _.stapsdt.base\n"                                               \
	".hidden _.stapsdt.base\n"                                             \
	"_.stapsdt.base: .space 1\n"                                           \
	".size _.stapsdt.base, 1\n"                                            \
	".popsection\n"                                                        \
	".endif\n"

/* The semaphore: an unsigned short in .probes, as <sys/sdt.h> places it.
 * The kernel (ref_ctr_offset) or the tracer increments it while attached. */
__attribute__((section(".probes"), used)) volatile unsigned short swiftbpf_attach_sema_semaphore;

struct pair {
	long first;
	int second;
};

static const long table[4] = {11, 22, 33, 44};

__attribute__((noinline, used)) int swiftbpf_attach_function(int x)
{
	__asm__ __volatile__("" : "+r"(x));
	return x + 100;
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
	long fired = 0, sum = 0;
	char line[64];

	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	if (!fgets(line, sizeof line, stdin))
		return 2;
	for (long i = 0; i < count; i++) {
		struct pair p = {0, 1000 + (int)i};
		__asm__ __volatile__(SWIFTBPF_NOTE("swiftbpf_attach", "args", "0",
						  "-4@$5 8@%%rcx -4@8(%%rsi) 8@(%%rax,%%rdx,8)")
				     :
				     : "c"(i), "S"(&p), "a"(table), "d"(i % 4)
				     : "memory");
		if (swiftbpf_attach_sema_semaphore) {
			__asm__ __volatile__(SWIFTBPF_NOTE("swiftbpf_attach", "sema",
							  "swiftbpf_attach_sema_semaphore", "-4@%%edi")
					     :
					     : "D"((int)i));
			fired++;
		}
		sum += swiftbpf_attach_function((int)i);
		sum += getpid() > 0;
	}
	printf("fired %ld\n", fired);
	return sum < 0;
}
