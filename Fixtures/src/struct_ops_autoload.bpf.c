/*
 * struct_ops_autoload.bpf.c: struct_ops maps and programs whose loading the
 * maps decide (libbpf.c: bpf_object_adjust_struct_ops_autoload,
 * bpf_map__init_kern_struct_ops, init_struct_ops_maps).
 *
 * libbpf's rules: a struct_ops map in "?.struct_ops" or "?.struct_ops.link"
 * is not created unless autocreate is turned on; a struct_ops program used by
 * a struct_ops map is loaded when one of the maps using it is created, and
 * not loaded when none is, whatever its own autoload (a "?struct_ops/"
 * section) says. (A program set in a member the kernel's struct lacks fails
 * the whole object in libbpf >= 1.4, "Cannot find member ... in kernel BTF",
 * so there is none here.)
 *
 * EXPECT maps (STRUCT_OPS, tcp_congestion_ops):
 *   swiftbpf_opt_on   .struct_ops.link   created (BPF_F_LINK), ops name
 *                     "swiftbpf_opt_on"
 *   swiftbpf_opt_off  ?.struct_ops.link  not created by default (BPF_F_LINK
 *                     when created); the kernel keeps 15 bytes of the map
 *                     name: "swiftbpf_opt_of"; ops name "swiftbpf_optoff"
 * EXPECT programs (all STRUCT_OPS):
 *   on_ssthresh    ?struct_ops/on_ssthresh    autoload off in the ELF; loaded
 *                  (swiftbpf_opt_on uses it, member ssthresh, index 0)
 *   on_cong_avoid  struct_ops/on_cong_avoid   loaded (member cong_avoid, 1)
 *   on_undo_cwnd   ?struct_ops/on_undo_cwnd   loaded (member undo_cwnd, 8)
 *   off_ssthresh, off_cong_avoid, off_undo_cwnd  struct_ops/...  not loaded:
 *                  only swiftbpf_opt_off uses them; loaded when its
 *                  autocreate is turned on
 * So by default 3 programs load and 1 map of the two is created.
 *
 * bpftool 7.1 (libbpf 1.1) cannot check this: it skips .struct_ops.link and
 * has none of these rules.
 */
#include "fixture.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct sock {
} __attribute__((preserve_access_index));

/* Only the members this object sets. */
struct tcp_congestion_ops {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	char name[16];
};

extern __u32 tcp_reno_ssthresh(struct sock *sk) __ksym;
extern void tcp_reno_cong_avoid(struct sock *sk, __u32 ack, __u32 acked) __ksym;
extern __u32 tcp_reno_undo_cwnd(struct sock *sk) __ksym;

SEC("?struct_ops/on_ssthresh")
__u32 BPF_PROG(on_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/on_cong_avoid")
void BPF_PROG(on_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("?struct_ops/on_undo_cwnd")
__u32 BPF_PROG(on_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC(".struct_ops.link")
struct tcp_congestion_ops swiftbpf_opt_on = {
	.ssthresh = (void *)on_ssthresh,
	.cong_avoid = (void *)on_cong_avoid,
	.undo_cwnd = (void *)on_undo_cwnd,
	.name = "swiftbpf_opt_on",
};

SEC("struct_ops/off_ssthresh")
__u32 BPF_PROG(off_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/off_cong_avoid")
void BPF_PROG(off_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/off_undo_cwnd")
__u32 BPF_PROG(off_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC("?.struct_ops.link")
struct tcp_congestion_ops swiftbpf_opt_off = {
	.ssthresh = (void *)off_ssthresh,
	.cong_avoid = (void *)off_cong_avoid,
	.undo_cwnd = (void *)off_undo_cwnd,
	.name = "swiftbpf_optoff",
};
