// tc.bpf.c: counts the packets an interface receives, as a tcx program
// (the link-based attachment of tc BPF programs, Linux 6.6).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_ARP 0x0806

__u64 packets;
__u64 bytes;
__u64 ipv4;
__u64 ipv6;
__u64 arp;

// "tcx/ingress" gives the attach type; the interface comes from Swift.
SEC("tcx/ingress")
int count_ingress(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&packets, 1);
	__sync_fetch_and_add(&bytes, skb->len);
	// skb->protocol is the EtherType in network byte order.
	switch (bpf_ntohs(skb->protocol)) {
	case ETH_P_IP:
		__sync_fetch_and_add(&ipv4, 1);
		break;
	case ETH_P_IPV6:
		__sync_fetch_and_add(&ipv6, 1);
		break;
	case ETH_P_ARP:
		__sync_fetch_and_add(&arp, 1);
		break;
	}
	// Let the next program on the interface (or the stack) have it.
	return TCX_NEXT;
}
