/*
 * arena.bpf.c: global variables in a BPF arena (`__arena`, address space 1,
 * so clang puts them in section .addr_space.1) and the ARENA map they need,
 * declared in .maps as libbpf requires.
 *
 * EXPECT maps:
 *   arena  ARENA (33)  key 0  value 0  max_entries 4 (pages)
 *          map_flags BPF_F_MMAPABLE (0x400)
 *          map_extra 0x100000000000 (1 << 44: the user address the arena is
 *          mapped at)
 *   .bss   (arena_runs)
 * EXPECT .addr_space.1: 36 bytes, arena_counter (int, = 42) at 0,
 *   arena_tag (char[8], = "arena") at 4, arena_pair (struct arena_pair
 *   { int first; long second; }, = {1, 2}) at 16, arena_zero (int, = 0)
 *   at 32 (clang 21 puts the zero one last); libbpf places them in the
 *   arena's last page: offset 4 * page - roundup(36, page) in the mapping.
 * EXPECT programs:
 *   bump_arena  syscall  SYSCALL: adds 1 to arena_counter and counts runs
 *               in .bss arena_runs. (This kernel build refuses ARENA maps
 *               with EPERM: the loader must say so, typed.)
 */
#include "fixture.h"

#define __arena __attribute__((address_space(1)))
#define ARENA_MAP_TYPE 33 /* BPF_MAP_TYPE_ARENA, newer than these headers */

char LICENSE[] SEC("license") = "GPL";

/* libbpf >= 1.3 has __ulong; Debian's 1.1 headers do not. */
#define __ulong(name, val) enum { ___ulong_##name = val } name

struct {
	__uint(type, ARENA_MAP_TYPE);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
	__ulong(map_extra, 1ull << 44);
} arena SEC(".maps");

int __arena arena_counter = 42;
char __arena arena_tag[8] = "arena";
int __arena arena_zero;
struct arena_pair {
	int first;
	long second;
};
__arena struct arena_pair arena_pair = { 1, 2 };

int arena_runs;

SEC("syscall")
int bump_arena(void *ctx)
{
	arena_counter++;
	arena_runs++;
	return 0;
}
