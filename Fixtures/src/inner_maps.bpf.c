/*
 * inner_maps.bpf.c: map-in-map whose inner templates have the kernel's
 * special rules, the shape of the kernel's selftests test_ringbuf_multi:
 * ring buffers sized by a byte count that is not a power-of-2 number of
 * pages, and an inner array whose value holds a bpf_spin_lock.
 *
 * libbpf creates an inner template as it creates any map (libbpf.c:
 * bpf_object__create_map with is_inner, fill_map_from_def): a ring buffer's
 * max_entries rounded up to a power-of-2 multiple of the page size
 * (adjust_ringbuf_sz; 0 and sizes already of that form pass through), key
 * and value size 0 as declared, and the object's BTF key/value type ids (so
 * the kernel knows the spin lock in the inner value: bpf_map_meta_alloc
 * copies the template's BTF record).
 *
 * EXPECT maps (page size 4096):
 *   ring_a      RINGBUF          key 0 value 0 max_entries 10000 -> 16384
 *   rings       ARRAY_OF_MAPS    key 4 value 4 max 2; inner template RINGBUF
 *               max_entries 10000 -> 16384; .values [0] = ring_a
 *   user_rings  HASH_OF_MAPS     key 4 value 4 max 2; inner template
 *               USER_RINGBUF max_entries 5000 -> 8192; no slots
 *   lock_inner  ARRAY            key 4 value 16 (struct locked_value: a
 *               bpf_spin_lock, a u64) max 1
 *   locks       ARRAY_OF_MAPS    key 4 value 4 max 1; inner template as
 *               lock_inner, with BTF; .values [0] = lock_inner
 *
 * EXPECT programs:
 *   use_inner  syscall  SYSCALL  writes one 8-byte record (0x1234) to the
 *              ring in rings[0] and, under the spin lock, adds 1 to the
 *              count of locks[0][0]; returns 0, or the __LINE__ of a failed
 *              check.
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

struct ring_10k {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 10000);
};

struct ring_10k ring_a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct ring_10k);
} rings SEC(".maps") = {
	.values = { [0] = &ring_a },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
		__uint(max_entries, 5000);
	});
} user_rings SEC(".maps");

struct locked_value {
	struct bpf_spin_lock lock;
	__u64 count;
};

struct locked_array {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct locked_value);
};

struct locked_array lock_inner SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct locked_array);
} locks SEC(".maps") = {
	.values = { [0] = &lock_inner },
};

SEC("syscall")
int use_inner(void *ctx)
{
	__u32 zero = 0;
	__u64 record = 0x1234;
	struct locked_value *value;
	void *ring, *inner;

	ring = bpf_map_lookup_elem(&rings, &zero);
	CHECK(ring);
	CHECK(bpf_ringbuf_output(ring, &record, sizeof(record), 0) == 0);

	inner = bpf_map_lookup_elem(&locks, &zero);
	CHECK(inner);
	value = bpf_map_lookup_elem(inner, &zero);
	CHECK(value);
	bpf_spin_lock(&value->lock);
	value->count += 1;
	bpf_spin_unlock(&value->lock);
	return 0;
}
