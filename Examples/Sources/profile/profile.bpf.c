// profile.bpf.c: a sampling profiler. A perf event fires on a timer on
// every CPU (a software clock: no hardware counters needed); each time, this
// program records what was running there into a ring buffer.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct profile_sample {
	__u32 pid;
	__u32 cpu;
	char comm[16];
	// Bytes of kernel stack captured: > 0 when the CPU was in the kernel.
	__s32 kernel_stack_bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
	__type(value, struct profile_sample);
} samples SEC(".maps");

// Scratch space for bpf_get_stack: too big for the 512-byte BPF stack.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64[32]);
} stack_scratch SEC(".maps");

// A bare "perf_event": the Swift side opens the events and attaches.
SEC("perf_event")
int on_sample(struct bpf_perf_event_data *ctx)
{
	__u32 zero = 0;
	__u64 *frames = bpf_map_lookup_elem(&stack_scratch, &zero);
	struct profile_sample *s = bpf_ringbuf_reserve(&samples, sizeof(*s), 0);

	if (!s)
		return 0;
	s->pid = bpf_get_current_pid_tgid() >> 32;
	s->cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(&s->comm, sizeof(s->comm));
	s->kernel_stack_bytes = frames ? bpf_get_stack(ctx, frames, 32 * sizeof(__u64), 0) : 0;
	bpf_ringbuf_submit(s, 0);
	return 0;
}
