/*
 * err_verifier.bpf.c: programs the verifier must reject, at known lines.
 * Tests load each program on its own and check that the error names the
 * program, carries the verifier log, and points at the source line below
 * (the log shows the C line from .BTF.ext line info as "; <source> @ file:line").
 *
 * EXPECT programs (both rejected with EACCES by the verifier):
 *   null_deref    syscall  SYSCALL  dereferences a map value without a NULL
 *                 check at line 39 ("return *value;"); the log's error line
 *                 is "R0 invalid mem access 'map_value_or_null'"
 *   packet_oob    xdp      XDP      reads the first packet byte without a
 *                 bounds check against data_end at line 48
 *                 ("return *data == 0 ? XDP_DROP : XDP_PASS;"); the log
 *                 has "invalid access to packet, off=0 size=1, ..." and,
 *                 as its last line before the statistics, "R1 offset is
 *                 outside of the packet"
 * EXPECT maps:
 *   values  HASH  key 4  value 8  max_entries 1
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH); /* an array lookup with a constant
					  * in-range key is never NULL */
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

SEC("syscall")
int null_deref(void *ctx)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&values, &key);

	/* Missing: if (!value) return 0; */
	return *value;
}

SEC("xdp")
int packet_oob(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;

	/* Missing: if (data + 1 > (__u8 *)(long)ctx->data_end) return XDP_PASS; */
	return *data == 0 ? XDP_DROP : XDP_PASS;
}
