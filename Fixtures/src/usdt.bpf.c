/*
 * usdt.bpf.c: USDT and uprobe programs for obj/usdt_target (built from
 * src/usdt_target.c), using libbpf's BPF-side USDT support (usdt.bpf.h).
 *
 * usdt.bpf.h brings its own pieces, which the loader must handle like
 * libbpf does:
 *   maps  __bpf_usdt_specs (ARRAY, key 4, value sizeof(struct
 *         __bpf_usdt_spec) = 208 with libbpf 1.1's header, max 256, weak)
 *         and __bpf_usdt_ip_to_spec_id (HASH, key 8 (long), value 4, max
 *         1024, weak); the loader fills the spec for each attached probe
 *         (layout: struct __bpf_usdt_spec / __bpf_usdt_arg_spec in
 *         /usr/include/bpf/usdt.bpf.h) and passes the spec id as the BPF
 *         cookie of the uprobe link
 *   kconfig  LINUX_HAS_BPF_COOKIE (strong extern _Bool, not a real CONFIG_:
 *         libbpf sets it from a feature probe; true on this kernel)
 *   .text  bpf_usdt_arg_cnt, bpf_usdt_arg, bpf_usdt_cookie: weak hidden
 *         (STB_WEAK, STV_HIDDEN) global subprograms
 *
 * EXPECT programs:
 *   on_tick     usdt     KPROBE  attach to swiftbpf:tick of usdt_target;
 *               per hit: ticks += 1, last_counter = arg 0, last_value =
 *               arg 1, arg_count = bpf_usdt_arg_cnt (2), last_cookie =
 *               bpf_usdt_cookie (the user cookie given at attach)
 *   on_done     usdt     KPROBE  attach to swiftbpf:done: done += 1
 *   on_target   uprobe   KPROBE  attach to swiftbpf_uprobe_target:
 *               uprobe_hits += 1, uprobe_last_arg = x (first argument, rdi)
 *   on_return   uretprobe KPROBE attach to the same: uretprobe_last = return
 *               value (x * 2)
 *   None names a binary in its section (paths differ per checkout): attach
 *   them with the path of Fixtures/obj/usdt_target.
 * After `usdt_target 3` with all four attached: ticks 3, last_counter 2,
 * last_value 1002, arg_count 2, done 1, uprobe_hits 3, uprobe_last_arg 2,
 * uretprobe_last 4.
 */
#include "fixture.h"
#include <stdbool.h>     /* usdt.bpf.h uses bool */
#include <asm/ptrace.h> /* struct pt_regs, x86-64 user-space names */
#define __TARGET_ARCH_x86
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

char LICENSE[] SEC("license") = "GPL";

__u64 ticks;
__s64 last_counter;
__s64 last_value;
__s32 arg_count;
__s64 last_cookie;
__u64 done;
__u64 uprobe_hits;
__s32 uprobe_last_arg;
__s32 uretprobe_last;

SEC("usdt")
int BPF_USDT(on_tick, long counter, int value)
{
	ticks++;
	last_counter = counter;
	last_value = value;
	arg_count = bpf_usdt_arg_cnt(ctx);
	last_cookie = bpf_usdt_cookie(ctx);
	return 0;
}

SEC("usdt")
int BPF_USDT(on_done)
{
	done++;
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(on_target, int x)
{
	uprobe_hits++;
	uprobe_last_arg = x;
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(on_return, int ret)
{
	uretprobe_last = ret;
	return 0;
}
