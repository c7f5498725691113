/*
 * exception_cb.bpf.c: a program with an exception callback (bpf_throw,
 * Linux 6.7). The kernel's selftests declare it with
 * `__exception_cb(cb)`, a BTF decl tag "exception_callback:cb" on the
 * program's FUNC; libbpf-dev 1.1's headers have neither that macro nor
 * bpf_throw, so both are spelled out here.
 *
 * The program never calls its callback, so following calls does not place
 * it in the program; the verifier finds it by name among the program's
 * func_info records ("exception callback type id not found in func_info"
 * otherwise). libbpf appends the callback subprogram (with its func_info
 * and line_info) after the rest of the program (libbpf.c:
 * bpf_prog_assign_exc_cb, bpf_object__relocate).
 *
 * EXPECT programs:
 *   throwing_prog  syscall  SYSCALL  context struct throw_ctx below; calls
 *                  helper_add (a static subprogram) and, when ctx->should_throw
 *                  is non-zero, bpf_throw(ctx->cookie). Returns 0 when it does
 *                  not throw; when it throws, the callback's value:
 *                  cookie * 2 + 1 (cookie 20 -> 41), computed by
 *                  exception_cb through cb_double (a static subprogram only
 *                  the callback calls). Counts runs that reached the end in
 *                  .bss completed.
 * EXPECT subprograms (.text): exception_cb (global, int (u64 cookie)),
 *   helper_add, cb_double (static).
 *
 * Loads on Linux 6.18 with libbpf >= 1.3; bpftool 7.1 (libbpf 1.1) does not
 * append the callback and the verifier refuses the program with the message
 * above.
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

extern void bpf_throw(__u64 cookie) __ksym;

struct throw_ctx {
	__u64 should_throw;
	__u64 cookie;
};

__u64 completed;

static __attribute__((noinline)) __u64 cb_double(__u64 value)
{
	return value * 2;
}

__attribute__((noinline)) int exception_cb(__u64 cookie)
{
	return (int)cb_double(cookie) + 1;
}

static __attribute__((noinline)) __u64 helper_add(__u64 a)
{
	return a + 1;
}

SEC("syscall")
__attribute__((btf_decl_tag("exception_callback:exception_cb")))
int throwing_prog(struct throw_ctx *ctx)
{
	if (ctx->should_throw)
		bpf_throw(ctx->cookie);
	completed = helper_add(completed);
	return 0;
}
