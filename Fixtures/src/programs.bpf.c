/*
 * programs.bpf.c: how programs are laid out in an object.
 *
 * Several programs share one ELF section, subprograms live in .text (one
 * static, one global), a bpf_loop callback is referenced by address, and a
 * prog array initialised in the object drives a tail call. Also built
 * big-endian (programs.bpfeb.bpf.o) with the same contents.
 *
 * EXPECT programs (name, section, program type):
 *   xdp_pass       xdp      XDP      returns XDP_PASS (2)
 *   xdp_drop       xdp      XDP      returns XDP_DROP (1)
 *   xdp_dispatch   xdp      XDP      tail-calls jump_table[first packet byte];
 *                                    returns XDP_ABORTED (0) when that slot is
 *                                    empty or the packet is empty. It calls the
 *                                    static subprogram first_byte.
 *   test_subprogs  syscall  SYSCALL  returns 0 on success, __LINE__ on a
 *                                    failed check; calls add_static,
 *                                    add_global and bpf_loop(sum_step)
 *   count_packets  tc       SCHED_CLS  increments packet_count (.bss),
 *                                    returns TC_ACT_OK (0)
 *   count_bytes    tc       SCHED_CLS  adds skb->len to byte_count (.bss),
 *                                    returns TC_ACT_OK (0)
 *   So section "xdp" holds 3 programs and section "tc" holds 2, in that order.
 *
 * EXPECT .text functions (subprograms):
 *   first_byte  static (STB_LOCAL),  __noinline, called from xdp_dispatch
 *   add_static  static (STB_LOCAL),  __noinline, called from test_subprogs
 *   add_global  global (STB_GLOBAL), __noinline, called from test_subprogs
 *   sum_step    static, the bpf_loop callback (address taken: ld_imm64
 *               with src_reg BPF_PSEUDO_FUNC)
 *
 * EXPECT maps:
 *   jump_table  PROG_ARRAY  key 4 (u32)  value 4  max_entries 4
 *               initial .values: [0] = xdp_pass, [1] = xdp_drop (relocations
 *               in section .rel.maps against those program symbols)
 *   .bss        packet_count, byte_count (u64 each)
 *
 * EXPECT test runs (BPF_PROG_TEST_RUN):
 *   test_subprogs                                -> 0
 *   xdp_dispatch with a packet starting 0x00 -> XDP_PASS (2)
 *   xdp_dispatch with a packet starting 0x01 -> XDP_DROP (1)
 *   xdp_dispatch with a packet starting 0x02 -> XDP_ABORTED (0), empty slot
 *   (XDP test runs need at least 14 bytes of packet data.)
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

/* Tail-call targets are declared before the map that refers to them. */
int xdp_pass(struct xdp_md *ctx);
int xdp_drop(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int(struct xdp_md *));
} jump_table SEC(".maps") = {
	.values = {
		[0] = (void *)&xdp_pass,
		[1] = (void *)&xdp_drop,
	},
};

__u64 packet_count;
__u64 byte_count;

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

/* Static subprogram taking the context: returns the first packet byte, or
 * -1 when the packet is empty. */
static __noinline int first_byte(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *end = (void *)(long)ctx->data_end;

	if (data + 1 > end)
		return -1;
	return data[0];
}

SEC("xdp")
int xdp_dispatch(struct xdp_md *ctx)
{
	int slot = first_byte(ctx);

	if (slot < 0)
		return XDP_ABORTED;
	bpf_tail_call(ctx, &jump_table, slot);
	return XDP_ABORTED; /* slot empty or out of range */
}

/* Static subprogram: the compiler must not inline it (__noinline). */
static __noinline int add_static(int a, int b)
{
	return a + b;
}

/* Global subprogram: the verifier checks it on its own, once, against its
 * BTF prototype (FUNC linkage global). */
__noinline int add_global(int a, int b)
{
	return a * 2 + b;
}

struct loop_state {
	__u64 sum;
	__u32 calls;
};

/* bpf_loop callback: index 0..n-1; returning 0 continues the loop. */
static int sum_step(__u32 index, void *data)
{
	struct loop_state *state = data;

	state->sum += index;
	state->calls++;
	return 0;
}

SEC("syscall")
int test_subprogs(void *ctx)
{
	/* volatile: keeps clang from folding the calls into constants */
	volatile int two = 2, twenty = 20;
	struct loop_state state = {};
	long loops;

	CHECK(add_static(two, 3) == 5);
	CHECK(add_global(twenty, two) == 42);

	loops = bpf_loop(10, sum_step, &state, 0);
	CHECK(loops == 10);
	CHECK(state.calls == 10);
	CHECK(state.sum == 45); /* 0 + 1 + ... + 9 */
	return 0;
}

SEC("tc")
int count_packets(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&packet_count, 1);
	return 0; /* TC_ACT_OK */
}

SEC("tc")
int count_bytes(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&byte_count, skb->len);
	return 0; /* TC_ACT_OK */
}
