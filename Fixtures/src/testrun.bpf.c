/*
 * testrun.bpf.c: small programs for BPF_PROG_TEST_RUN, one per kind of input
 * the kernel accepts (packet data, struct __sk_buff, raw_tp arguments, a
 * syscall program's own context struct).
 *
 * EXPECT maps:
 *   .bss  xdp_runs (u64), raw_arg0, raw_arg1, raw_arg2 (u64)
 *
 * EXPECT programs:
 *   xdp_rewrite  xdp  XDP  packets shorter than 15 bytes: XDP_DROP; else adds
 *                1 to byte 14 (the first byte after the Ethernet header),
 *                counts the run in xdp_runs, returns XDP_TX
 *   tc_mark      tc   SCHED_CLS  skb->mark = cb[0] + 1, cb[1] = skb->len,
 *                priority = cb[2] * 2; returns TC_ACT_SHOT
 *   raw_args     raw_tp/sys_enter  RAW_TRACEPOINT  stores args[0..2] in
 *                raw_arg0..2 (so the context must be at least 24 bytes);
 *                returns (u32)(args[0] + args[1])
 *   syscall_ctx  syscall  SYSCALL  context struct syscall_ctx below: writes
 *                sum = a + b, b = a * 2 (after the sum); returns a ^ 0x5a
 */
#include "fixture.h"
#include <linux/pkt_cls.h>

char LICENSE[] SEC("license") = "GPL";

__u64 xdp_runs;
__u64 raw_arg0, raw_arg1, raw_arg2;

SEC("xdp")
int xdp_rewrite(struct xdp_md *ctx)
{
	__u8 *data = (__u8 *)(long)ctx->data;
	__u8 *end = (__u8 *)(long)ctx->data_end;

	if (data + 15 > end)
		return XDP_DROP;
	data[14] += 1;
	__sync_fetch_and_add(&xdp_runs, 1);
	return XDP_TX;
}

SEC("tc")
int tc_mark(struct __sk_buff *skb)
{
	skb->mark = skb->cb[0] + 1;
	skb->cb[1] = skb->len;
	skb->priority = skb->cb[2] * 2;
	return TC_ACT_SHOT;
}

SEC("raw_tp/sys_enter")
int raw_args(struct bpf_raw_tracepoint_args *ctx)
{
	raw_arg0 = ctx->args[0];
	raw_arg1 = ctx->args[1];
	raw_arg2 = ctx->args[2];
	return (__u32)(ctx->args[0] + ctx->args[1]);
}

/* The context of syscall_ctx, as user space passes it (16 bytes). */
struct syscall_ctx {
	__u32 a;
	__u32 b;
	__u64 sum;
};

SEC("syscall")
int syscall_ctx(struct syscall_ctx *ctx)
{
	__u32 a = ctx->a;

	ctx->sum = (__u64)a + ctx->b;
	ctx->b = a * 2;
	return a ^ 0x5a;
}
