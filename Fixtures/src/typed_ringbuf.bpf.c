/*
 * typed_ringbuf.bpf.c: a ring buffer that declares its record type.
 *
 * EXPECT maps:
 *   typed_events  RINGBUF  max_entries 65536, declared with
 *                 __type(value, struct typed_event): the object's BTF names
 *                 the record type (32 bytes), but the kernel needs key and
 *                 value size 0 for a ring buffer, so the map is created with
 *                 key_size 0, value_size 0 (check with `bpftool map show`)
 *   .bss          requested (u32), next_seq (u64)
 *
 * EXPECT record layout (struct typed_event in Fixtures/include/typed_event.h,
 * 32 bytes, little-endian on x86):
 *   u64 seq @0          next_seq, next_seq+1, ... continuing across runs
 *   u32 pid @8          TYPED_EVENT_PID = 4242
 *   u32 kind @12        TYPED_EVENT_KIND = 0x7e57
 *   char comm[16] @16   "typed" then NULs
 *
 * EXPECT programs:
 *   emit_typed  syscall  SYSCALL  emits `requested` records (set .bss
 *               requested before the run; at most 4096); returns 0, or
 *               __LINE__ if a reserve fails (the ring is full)
 */
#include "fixture.h"
#include "typed_event.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
	__type(value, struct typed_event);
} typed_events SEC(".maps");

__u32 requested;
__u64 next_seq;

static int emit_one(__u32 index, void *failed)
{
	struct typed_event *event;

	event = bpf_ringbuf_reserve(&typed_events, sizeof(*event), 0);
	if (!event) {
		*(int *)failed = 1;
		return 1;
	}
	event->seq = next_seq++;
	event->pid = TYPED_EVENT_PID;
	event->kind = TYPED_EVENT_KIND;
	__builtin_memset(event->comm, 0, sizeof(event->comm));
	__builtin_memcpy(event->comm, "typed", 5);
	bpf_ringbuf_submit(event, 0);
	return 0;
}

SEC("syscall")
int emit_typed(void *ctx)
{
	__u32 count = requested;
	int failed = 0;

	if (count > 4096)
		count = 4096;
	bpf_loop(count, emit_one, &failed, 0);
	CHECK(!failed);
	return 0;
}
