/*
 * legacy_maps.bpf.c: maps in the legacy "maps" section, described by
 * struct bpf_map_def records instead of BTF. No BTF describes these maps'
 * keys and values; the loader reads the record bytes, one record per symbol
 * (record size = section size / number of symbols in the section).
 *
 * libbpf dropped "maps" sections in 1.0 (bpftool 7.x here refuses this
 * object); SwiftBPF reads them.
 *
 * EXPECT maps (name, type, key size, value size, max_entries, flags), in
 * section "maps", 20-byte records at offsets 0, 20, 40:
 *   legacy_counts  HASH          4  8  64  0
 *   legacy_array   ARRAY         4  4   4  0
 *   legacy_events  PERCPU_ARRAY  4  16  1  0
 *
 * EXPECT programs:
 *   count_legacy   raw_tp  RAW_TRACEPOINT (run with BPF_PROG_TEST_RUN)
 *                  returns 0 on success, __LINE__ on a failed check;
 *                  increments legacy_counts[1] and legacy_array[0]
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

/* Our own definition of the legacy record: five 32-bit fields. */
struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") legacy_counts = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 64,
};

struct bpf_map_def SEC("maps") legacy_array = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 4,
};

struct bpf_map_def SEC("maps") legacy_events = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = 16,
	.max_entries = 1,
};

SEC("raw_tp")
int count_legacy(void *ctx)
{
	__u32 key = 1, index = 0;
	__u64 one = 1, *count;
	__u32 *slot;

	count = bpf_map_lookup_elem(&legacy_counts, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		CHECK(bpf_map_update_elem(&legacy_counts, &key, &one, BPF_NOEXIST) == 0);

	slot = bpf_map_lookup_elem(&legacy_array, &index);
	CHECK(slot);
	__sync_fetch_and_add(slot, 1);

	CHECK(bpf_map_lookup_elem(&legacy_events, &index));
	return 0;
}
