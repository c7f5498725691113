/*
 * core_deep.bpf.c: a CO-RE field access whose target may nest the field
 * deeper than an access spec can record.
 *
 * Locally `struct deep_target { int before; int x; }` (preserve_access_index),
 * so the record's access string is short ("0:1"). Tests relocate it against
 * hand-built target BTFs where `x` sits inside N nested anonymous structs:
 * the target spec then needs 1 + N + 1 entries, and libbpf's limit
 * (BPF_CORE_SPEC_MAX_LEN) is 64, so N = 62 relocates and N = 63 fails the
 * relocation (libbpf: -E2BIG), instead of being "not found" and poisoned.
 *
 * EXPECT CO-RE relocations: read_deep: FIELD_BYTE_OFFSET on deep_target,
 *   access "0:1"; FIELD_EXISTS on deep_target, access "0:1".
 * EXPECT programs:
 *   read_deep  raw_tp  RAW_TRACEPOINT: stores whether x exists and its value
 *              (through bpf_probe_read_kernel of a NULL pointer, so it is
 *              never meant to run) in .bss.
 */
#include "fixture.h"
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct deep_target {
	int before;
	int x;
} __attribute__((preserve_access_index));

int deep_value;
int deep_exists;

SEC("raw_tp")
int read_deep(void *ctx)
{
	struct deep_target *t = 0;

	deep_exists = bpf_core_field_exists(t->x);
	deep_value = BPF_CORE_READ(t, x);
	return 0;
}
