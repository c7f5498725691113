// usdt_site.c: a USDT probe, written out by hand so nothing beyond a C
// compiler is needed (systemtap's <sys/sdt.h> generates the same thing).
//
// A probe is a `nop` instruction plus an ELF note (.note.stapsdt, type 3,
// owner "stapsdt") recording the nop's address, the provider and probe
// names, and where each argument is at that instruction, in assembler
// syntax: "-8@%rdi" is a signed 8-byte value in rdi. A tracer puts a
// uprobe on the nop; without one, the nop is all it costs.
#include "usdt_site.h"

// The note's layout: namesz, descsz, type, "stapsdt\0", then the
// descriptor: probe address, address of _.stapsdt.base (to detect
// prelinking), semaphore address (0: none), provider, name, arguments.
#define USDT_NOTE(provider, name, args)                                        \
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

__attribute__((noinline)) void usdt_site_tick(long counter, int value)
{
	// %0 and %1 are printed by the compiler in AT&T syntax: a register
	// for "r", an offset from a register for "m".
	__asm__ __volatile__(USDT_NOTE("swiftbpf_example", "tick", "-8@%0 -4@%1")
			     :
			     : "r"(counter), "m"(value));
}
