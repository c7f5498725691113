/*
 * maps.bpf.c: BTF-defined maps (section .maps) of many types and attributes.
 * Also built big-endian (maps.bpfeb.bpf.o) with the same contents.
 *
 * EXPECT maps (name, type, key size, value size, max_entries, flags, other):
 *   hash_map        HASH             4   8  128   0
 *   array_map       ARRAY            4   8    8   BPF_F_MMAPABLE (0x400)
 *   percpu_array    PERCPU_ARRAY     4   8    4   0
 *   percpu_hash     PERCPU_HASH      8   8   64   0
 *   lru_hash        LRU_HASH         4   8   32   BPF_F_NO_COMMON_LRU (0x2)
 *   lpm_trie        LPM_TRIE         8   4   16   BPF_F_NO_PREALLOC (0x1);
 *                                    key struct ipv4_lpm_key {u32 prefixlen; u32 addr}
 *   ring_buffer     RINGBUF          0   0  65536  0   (max_entries = bytes,
 *                                    a power-of-2 multiple of the page size)
 *   user_ring       USER_RINGBUF     0   0  16384  0
 *   perf_events     PERF_EVENT_ARRAY 4   4    0   0   (max_entries 0: the
 *                                    loader sets the number of possible CPUs)
 *   queue_map       QUEUE            0   4   16   0
 *   stack_map       STACK            0   4   16   0
 *   bloom_map       BLOOM_FILTER     0   4  100   0   map_extra = 3 (hashes)
 *   task_store      TASK_STORAGE     4   8    0   BPF_F_NO_PREALLOC
 *   sock_store      SK_STORAGE       4   8    0   BPF_F_NO_PREALLOC
 *   pinned_counts   HASH             4   8   16   0   pinning LIBBPF_PIN_BY_NAME (1):
 *                                    pinned as <pin root>/pinned_counts
 *                                    (libbpf's default root: /sys/fs/bpf)
 *   inner_a, inner_b  ARRAY          4   4    1   0   inner maps for the slots
 *   outer_array     ARRAY_OF_MAPS    4   4    4   0   inner template: ARRAY
 *                                    key 4 value 4 max 1; .values [0] = inner_a
 *   outer_hash      HASH_OF_MAPS     4   4    4   0   same template;
 *                                    .values [1] = inner_b (key 1)
 *   tail_calls      PROG_ARRAY       4   4    2   0   .values [0] = tail_target
 * These are the attributes the kernel reports for the maps libbpf 1.1
 * creates (bpf_obj_get_info_by_fd); perf_events then has max_entries = the
 * number of possible CPUs. libbpf 1.1 passes BTF key/value type ids for the
 * hash, array, LRU, LPM, per-CPU, storage maps (value only for bloom_map),
 * none for PROG_ARRAY, *_OF_MAPS, PERF_EVENT_ARRAY, QUEUE, STACK, RINGBUF,
 * USER_RINGBUF (for PROG_ARRAY the kernel answers EINVAL to BTF ids and
 * libbpf retries without them).
 *
 * EXPECT programs:
 *   exercise_maps  raw_tp   RAW_TRACEPOINT (no attach point; run it with
 *                  BPF_PROG_TEST_RUN, no context needed)  returns 0 on success, __LINE__ on a
 *                  failed check: writes and reads hash_map, array_map,
 *                  percpu_array, lru_hash, lpm_trie, queue_map, stack_map,
 *                  bloom_map; reads inner_a through outer_array (expects 0
 *                  there unless user space wrote it); reserves and discards a
 *                  ring_buffer record
 *   tail_target    syscall  SYSCALL  returns 7 (target of tail_calls[0])
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, __u32);
	__type(value, __u64);
} hash_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, __u64);
} array_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} percpu_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 64);
	__type(key, __u64);
	__type(value, __u64);
} percpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32);
	__uint(map_flags, BPF_F_NO_COMMON_LRU);
	__type(key, __u32);
	__type(value, __u64);
} lru_hash SEC(".maps");

struct ipv4_lpm_key {
	__u32 prefixlen;
	__u32 addr; /* network byte order */
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ipv4_lpm_key);
	__type(value, __u32);
} lpm_trie SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} ring_buffer SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 16 * 1024);
} user_ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 16);
	__type(value, __u32);
} queue_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 16);
	__type(value, __u32);
} stack_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 100);
	__uint(map_extra, 3); /* number of hash functions */
	__type(value, __u32);
} bloom_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} task_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} sock_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__type(key, __u32);
	__type(value, __u64);
} pinned_counts SEC(".maps");

/* Map-in-map: the inner definition inside __array() is the template the
 * outer map is created with; .values fills slots with maps of this object. */
struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
};

struct inner_map inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer_array SEC(".maps") = {
	.values = { [0] = &inner_a },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer_hash SEC(".maps") = {
	.values = { [1] = &inner_b },
};

int tail_target(void *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int(void *));
} tail_calls SEC(".maps") = {
	.values = { [0] = (void *)&tail_target },
};

SEC("syscall")
int tail_target(void *ctx)
{
	return 7;
}

/* raw_tp, not syscall: syscall programs are sleepable, and sleepable
 * programs may only use array, hash, ringbuf and local storage maps. */
SEC("raw_tp")
int exercise_maps(void *ctx)
{
	__u32 key = 3, value32 = 0, got32 = 0;
	__u64 value = 42, *found;
	struct ipv4_lpm_key lpm = { .prefixlen = 24, .addr = 0x0001a8c0 };
	__u32 *slot;
	void *inner, *record;

	/* hash: insert, find, delete */
	CHECK(bpf_map_update_elem(&hash_map, &key, &value, BPF_ANY) == 0);
	found = bpf_map_lookup_elem(&hash_map, &key);
	CHECK(found && *found == 42);
	CHECK(bpf_map_delete_elem(&hash_map, &key) == 0);
	CHECK(!bpf_map_lookup_elem(&hash_map, &key));

	/* arrays: every index below max_entries exists */
	found = bpf_map_lookup_elem(&array_map, &key);
	CHECK(found);
	*found += 1;
	found = bpf_map_lookup_elem(&percpu_array, &key);
	CHECK(found);
	*found += 1;
	key = 8; /* == max_entries: out of range */
	CHECK(!bpf_map_lookup_elem(&array_map, &key));

	/* LRU hash */
	key = 1;
	CHECK(bpf_map_update_elem(&lru_hash, &key, &value, BPF_NOEXIST) == 0 ||
	      bpf_map_lookup_elem(&lru_hash, &key));

	/* LPM trie: 192.168.1.0/24 contains 192.168.1.77 */
	value32 = 24;
	CHECK(bpf_map_update_elem(&lpm_trie, &lpm, &value32, BPF_ANY) == 0);
	lpm.prefixlen = 32;
	lpm.addr = 0x4d01a8c0;
	slot = bpf_map_lookup_elem(&lpm_trie, &lpm);
	CHECK(slot && *slot == 24);

	/* queue is FIFO, stack is LIFO */
	value32 = 10;
	CHECK(bpf_map_push_elem(&queue_map, &value32, 0) == 0);
	CHECK(bpf_map_push_elem(&stack_map, &value32, 0) == 0);
	value32 = 20;
	CHECK(bpf_map_push_elem(&queue_map, &value32, 0) == 0);
	CHECK(bpf_map_push_elem(&stack_map, &value32, 0) == 0);
	CHECK(bpf_map_pop_elem(&queue_map, &got32) == 0 && got32 == 10);
	CHECK(bpf_map_pop_elem(&stack_map, &got32) == 0 && got32 == 20);
	CHECK(bpf_map_pop_elem(&queue_map, &got32) == 0 && got32 == 20);
	CHECK(bpf_map_pop_elem(&stack_map, &got32) == 0 && got32 == 10);

	/* bloom filter: no false negatives */
	value32 = 0xabcd;
	CHECK(bpf_map_push_elem(&bloom_map, &value32, 0) == 0);
	CHECK(bpf_map_peek_elem(&bloom_map, &value32) == 0);

	/* map in map: slot 0 of outer_array holds inner_a */
	key = 0;
	inner = bpf_map_lookup_elem(&outer_array, &key);
	CHECK(inner);
	slot = bpf_map_lookup_elem(inner, &key);
	CHECK(slot);
	key = 1;
	inner = bpf_map_lookup_elem(&outer_hash, &key);
	CHECK(inner);

	/* ring buffer */
	record = bpf_ringbuf_reserve(&ring_buffer, 16, 0);
	CHECK(record);
	bpf_ringbuf_discard(record, 0);

	return 0;
}
