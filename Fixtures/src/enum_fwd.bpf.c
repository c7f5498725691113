/*
 * enum_fwd.bpf.c: a forward-declared enum. `enum fwd_state;` without a
 * definition, used only through pointers, is written by clang as an ENUM of
 * size 0 with no values (libbpf reads it; the kernel's BTF loader refuses
 * size 0, so the loader gives it size 4 before BPF_BTF_LOAD).
 *
 * EXPECT BTF: ENUM 'fwd_state' size 0 vlen 0 (bpftool prints
 *   "ENUM 'fwd_state' encoding=UNSIGNED size=0 vlen=0"), a STRUCT 'fwd_holder'
 *   whose member 'state' points to it, and a static FUNC 'state_is_set'
 *   taking `enum fwd_state *`.
 * EXPECT maps: .bss (fwd_holder, 16 bytes)
 * EXPECT programs:
 *   check_fwd  syscall  SYSCALL: returns 0 (the .bss pointer is NULL, the
 *              static subprogram says so); loads with the object's BTF
 *              accepted by the kernel.
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

enum fwd_state;

struct fwd_holder {
	enum fwd_state *state;
	int value;
};

struct fwd_holder fwd_holder;

static __attribute__((noinline)) int state_is_set(enum fwd_state *state)
{
	return state != 0;
}

SEC("syscall")
int check_fwd(void *ctx)
{
	CHECK(!state_is_set(fwd_holder.state));
	return 0;
}
