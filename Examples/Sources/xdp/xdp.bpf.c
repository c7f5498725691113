// xdp.bpf.c: an XDP filter. Every received packet is counted in per-CPU
// counters (no atomic operations needed: each CPU has its own copy); IPv4
// packets whose source address is in a drop list, filled from Swift, are
// dropped before the kernel allocates anything for them.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

#define ETH_P_IP 0x0800

// Index into `stats`.
enum verdict { VERDICT_PASSED = 0, VERDICT_DROPPED = 1 };

struct counters {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct counters);
} stats SEC(".maps");

// IPv4 source address (network byte order) -> packets dropped from it.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} drop_list SEC(".maps");

static int count(__u32 verdict, __u64 length, int action)
{
	struct counters *c = bpf_map_lookup_elem(&stats, &verdict);

	if (c) {
		c->packets++;
		c->bytes += length;
	}
	return action;
}

SEC("xdp")
int xdp_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 length = data_end - data;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	__u64 *dropped;

	// Every read of the packet must be proved in bounds to the verifier.
	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return count(VERDICT_PASSED, length, XDP_PASS);
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return count(VERDICT_PASSED, length, XDP_PASS);

	dropped = bpf_map_lookup_elem(&drop_list, &ip->saddr);
	if (!dropped)
		return count(VERDICT_PASSED, length, XDP_PASS);
	__sync_fetch_and_add(dropped, 1);
	return count(VERDICT_DROPPED, length, XDP_DROP);
}
