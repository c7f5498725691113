/*
 * usdt_target.c: a small x86-64 Linux program (not BPF) for USDT and uprobe
 * tests, built by build.sh into Fixtures/obj/usdt_target.
 *
 *   usdt_target [count]     fires the probes `count` times (default 1), exits 0
 *
 * EXPECT USDT notes (ELF section .note.stapsdt, note type 3, owner "stapsdt",
 * no semaphores; section .stapsdt.base present): two probes,
 *   swiftbpf:tick  2 arguments: "-8@%<reg>" (long counter = 0, 1, ...) in a
 *                  register and "-4@<off>(%<reg>)" (int value = 1000 +
 *                  counter) in memory
 *   swiftbpf:done  no arguments, fired once before exit
 * The argument locations depend on register allocation: read them with
 * `readelf -n` (Debian binutils) rather than assuming a register.
 *
 * EXPECT functions (global, in .dynsym and .symtab):
 *   swiftbpf_uprobe_target(int x) returns x * 2; called once per tick with
 *   x = counter, for uprobe / uretprobe tests
 *
 * The note is written by the SWIFTBPF_USDT macros below, which emit the
 * SystemTap SDT v3 note layout directly (no <sys/sdt.h> needed):
 *   u32 namesz, u32 descsz, u32 type = 3, "stapsdt\0" (padded to 4),
 *   u64 probe address, u64 address of _.stapsdt.base, u64 semaphore (0),
 *   provider\0, name\0, argument string\0, padding to 4.
 */
#include <stdlib.h>

/* Emits one probe site (a nop) and its note. `args` is the SDT argument
 * string with %n operand references. */
#define SWIFTBPF_USDT_NOTE(provider, name, args)                               \
	"990: nop\n"                                                           \
	".pushsection .note.stapsdt,\"?\",\"note\"\n"                          \
	".balign 4\n"                                                          \
	".4byte 992f-991f, 994f-993f, 3\n"                                     \
	"991: .asciz \"stapsdt\"\n"                                            \
	"992: .balign 4\n"                                                     \
	"993: .8byte 990b\n"                                                   \
	".8byte _.stapsdt.base\n"                                              \
	".8byte 0\n"                                                           \
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

#define SWIFTBPF_USDT0(provider, name)                                         \
	__asm__ __volatile__(SWIFTBPF_USDT_NOTE(provider, name, ""))

/* -8: signed 8-byte, -4: signed 4-byte. The first argument is forced into a
 * register ("r", e.g. -8@%rax), the second into memory ("m", e.g.
 * -4@4(%rsp)), so tests see both location kinds. Operands print in AT&T
 * syntax, as the SDT format wants. */
#define SWIFTBPF_USDT2(provider, name, long_arg, int_lvalue)                  \
	__asm__ __volatile__(                                                  \
		SWIFTBPF_USDT_NOTE(provider, name, "-8@%0 -4@%1")              \
		:                                                              \
		: "r"((long)(long_arg)), "m"(int_lvalue))

__attribute__((noinline, used)) int swiftbpf_uprobe_target(int x)
{
	__asm__ __volatile__("" : "+r"(x)); /* keep the call and the body */
	return x * 2;
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
	long sum = 0;

	for (long i = 0; i < count; i++) {
		int value = 1000 + (int)i;

		SWIFTBPF_USDT2("swiftbpf", "tick", i, value);
		sum += swiftbpf_uprobe_target((int)i);
	}
	SWIFTBPF_USDT0("swiftbpf", "done");
	return sum < 0; /* 0 */
}
