/*
 * struct_ops.bpf.c: a TCP congestion control algorithm written in BPF
 * (BPF_PROG_TYPE_STRUCT_OPS implementing struct tcp_congestion_ops).
 *
 * The loader matches the local struct tcp_congestion_ops to the kernel's by
 * name, copies the data members (name) into the kernel layout, and sets each
 * function-pointer member to the program referenced by the relocation in
 * .rel.struct_ops(.link). Each program's attach_btf_id is the kernel's
 * struct tcp_congestion_ops, its expected_attach_type the member index.
 *
 * EXPECT maps:
 *   swiftbpf_reno         STRUCT_OPS  section .struct_ops.link (registered
 *                         by a BPF link, BPF_F_LINK), value type
 *                         tcp_congestion_ops, key 4, max_entries 1,
 *                         name "swiftbpf_reno"
 *   swiftbpf_reno_legacy  STRUCT_OPS  section .struct_ops (registered by
 *                         updating the map), name "swiftbpf_legacy"; the
 *                         kernel keeps 15 characters of the map name:
 *                         "swiftbpf_reno_l"
 * EXPECT programs (all STRUCT_OPS):
 *   reno_ssthresh     struct_ops/reno_ssthresh    member ssthresh (index 0)
 *   reno_cong_avoid   struct_ops/reno_cong_avoid  member cong_avoid (index 1)
 *   reno_undo_cwnd    struct_ops/reno_undo_cwnd   member undo_cwnd (index 8)
 *   legacy_ssthresh, legacy_cong_avoid, legacy_undo_cwnd: the same, for
 *   swiftbpf_reno_legacy (a program serves one struct_ops map)
 * They call the kernel's Reno functions (kfuncs tcp_reno_ssthresh,
 * tcp_reno_cong_avoid, tcp_reno_undo_cwnd). After registration,
 * "swiftbpf_reno" appears in /proc/sys/net/ipv4/tcp_available_congestion_control
 * and a socket can select it with setsockopt(TCP_CONGESTION).
 *
 * bpftool 7.1 (libbpf 1.1) skips .struct_ops.link (added in libbpf 1.2), so
 * it cannot register this object; with the .struct_ops.link part removed it
 * registers swiftbpf_legacy on this kernel.
 */
#include "fixture.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* A complete (empty) struct, not a forward declaration: libbpf 1.1 finds a
 * pointer to FWD incompatible with the kfuncs' pointer to STRUCT sock. */
struct sock {
} __attribute__((preserve_access_index));

/* Only the members this algorithm sets. */
struct tcp_congestion_ops {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	char name[16];
};

extern __u32 tcp_reno_ssthresh(struct sock *sk) __ksym;
extern void tcp_reno_cong_avoid(struct sock *sk, __u32 ack, __u32 acked) __ksym;
extern __u32 tcp_reno_undo_cwnd(struct sock *sk) __ksym;

SEC("struct_ops/reno_ssthresh")
__u32 BPF_PROG(reno_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/reno_cong_avoid")
void BPF_PROG(reno_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/reno_undo_cwnd")
__u32 BPF_PROG(reno_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC(".struct_ops.link")
struct tcp_congestion_ops swiftbpf_reno = {
	.ssthresh = (void *)reno_ssthresh,
	.cong_avoid = (void *)reno_cong_avoid,
	.undo_cwnd = (void *)reno_undo_cwnd,
	.name = "swiftbpf_reno",
};

SEC("struct_ops/legacy_ssthresh")
__u32 BPF_PROG(legacy_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/legacy_cong_avoid")
void BPF_PROG(legacy_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/legacy_undo_cwnd")
__u32 BPF_PROG(legacy_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC(".struct_ops")
struct tcp_congestion_ops swiftbpf_reno_legacy = {
	.ssthresh = (void *)legacy_ssthresh,
	.cong_avoid = (void *)legacy_cong_avoid,
	.undo_cwnd = (void *)legacy_undo_cwnd,
	.name = "swiftbpf_legacy",
};
