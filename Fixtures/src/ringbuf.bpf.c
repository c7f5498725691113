/*
 * ringbuf.bpf.c: ring buffer producers and a user ring buffer consumer.
 *
 * EXPECT maps:
 *   events       RINGBUF       max_entries 262144 (256 KiB)
 *   exec_events  RINGBUF       max_entries 262144
 *   user_events  USER_RINGBUF  max_entries 65536
 *   .bss         requested (u32), next_seq (u64), produced (u64),
 *                failed_reserves (u64), drained (u64), drained_sum (u64),
 *                and the type anchors seq_event_type, exec_event_type,
 *                user_event_type (pointers, never used);
 *                clang chooses their order: read offsets from the BTF
 *                DATASEC .bss
 *
 * EXPECT record layouts (little-endian on x86):
 *   struct seq_event  (16 bytes): u64 seq @0, u32 cpu @8, u32 magic @12 =
 *                     0x53425046 ("SBPF" as a u32)
 *   struct exec_event (168 bytes): u32 pid @0, u32 ppid @4 (0: not read
 *                     here), char comm[16] @8, char filename[144] @24
 *                     (NUL-terminated)
 *   struct user_event (16 bytes, written by user space): u64 value @0,
 *                     u64 tag @8
 *
 * EXPECT programs:
 *   produce      syscall  SYSCALL  emits `requested` seq_event records (set
 *                .bss requested before the run; at most 1<<20), seq numbers
 *                next_seq, next_seq+1, ... continuing across runs; counts
 *                records in produced and failed reserves (ring full) in
 *                failed_reserves; returns 0, or __LINE__ if bpf_loop fails
 *   handle_exec  tp/sched/sched_process_exec  TRACEPOINT  one exec_event per
 *                exec: pid (tgid after exec), comm of the new program,
 *                filename from the tracepoint's __data_loc field; a demo
 *                prints these
 *   drain_user   syscall  SYSCALL  drains user_events with
 *                bpf_user_ringbuf_drain; adds the number of samples to
 *                drained and their values to drained_sum; returns 0, or
 *                __LINE__ if the drain fails
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

#define SEQ_MAGIC 0x53425046u

struct seq_event {
	__u64 seq;
	__u32 cpu;
	__u32 magic;
};

struct exec_event {
	__u32 pid;
	__u32 ppid;
	char comm[16];
	char filename[144];
};

struct user_event {
	__u64 value;
	__u64 tag;
};

/*
 * Type anchors: clang writes BTF only for types something global refers to,
 * and the record structs above are otherwise only used through locals. These
 * unused pointers put them in the object's BTF, so user space can decode the
 * records by name (`swiftbpf run --event-type exec_event`).
 */
struct seq_event *seq_event_type __attribute__((unused));
struct exec_event *exec_event_type __attribute__((unused));
struct user_event *user_event_type __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} exec_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 64 * 1024);
} user_events SEC(".maps");

__u32 requested;
__u64 next_seq;
__u64 produced;
__u64 failed_reserves;
__u64 drained;
__u64 drained_sum;

/* bpf_loop callback: one record per iteration. */
static int emit_one(__u32 index, void *unused)
{
	struct seq_event *event;

	event = bpf_ringbuf_reserve(&events, sizeof(*event), 0);
	if (!event) {
		__sync_fetch_and_add(&failed_reserves, 1);
		return 0;
	}
	event->seq = __sync_fetch_and_add(&next_seq, 1);
	event->cpu = bpf_get_smp_processor_id();
	event->magic = SEQ_MAGIC;
	bpf_ringbuf_submit(event, 0);
	__sync_fetch_and_add(&produced, 1);
	return 0;
}

SEC("syscall")
int produce(void *ctx)
{
	__u32 count = requested;

	if (count > (1u << 20))
		count = 1u << 20;
	CHECK(bpf_loop(count, emit_one, 0, 0) == count);
	return 0;
}

/* Fields of the sched_process_exec tracepoint record, as listed in
 * /sys/kernel/tracing/events/sched/sched_process_exec/format. */
struct sched_process_exec_args {
	__u16 common_type;
	__u8 common_flags;
	__u8 common_preempt_count;
	__s32 common_pid;
	__u32 filename_loc; /* __data_loc: offset in low 16 bits, length high */
	__s32 pid;
	__s32 old_pid;
};

SEC("tp/sched/sched_process_exec")
int handle_exec(struct sched_process_exec_args *ctx)
{
	struct exec_event *event;
	__u32 offset = ctx->filename_loc & 0xffff;

	event = bpf_ringbuf_reserve(&exec_events, sizeof(*event), 0);
	if (!event) {
		__sync_fetch_and_add(&failed_reserves, 1);
		return 0;
	}
	event->pid = bpf_get_current_pid_tgid() >> 32;
	event->ppid = 0;
	bpf_get_current_comm(event->comm, sizeof(event->comm));
	bpf_probe_read_kernel_str(event->filename, sizeof(event->filename),
				  (void *)ctx + offset);
	bpf_ringbuf_submit(event, 0);
	return 0;
}

/* bpf_user_ringbuf_drain callback: one sample written by user space. */
static long take_sample(struct bpf_dynptr *sample, void *unused)
{
	struct user_event event;

	if (bpf_dynptr_read(&event, sizeof(event), sample, 0, 0) == 0) {
		drained_sum += event.value;
		drained++;
	}
	return 0;
}

SEC("syscall")
int drain_user(void *ctx)
{
	CHECK(bpf_user_ringbuf_drain(&user_events, take_sample, 0, 0) >= 0);
	return 0;
}
