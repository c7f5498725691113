// bootstrap.bpf.c: process lifetimes. When a process runs a new program
// (exec) its start time goes into a hash map; when it exits, the time it
// lived is computed from that entry. Both moments become typed records in a
// ring buffer. A read-only setting chosen before the load (`.rodata`)
// filters short-lived processes out.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bootstrap.h"

char LICENSE[] SEC("license") = "GPL";

// pid -> exec time (ns since boot). 8192 processes at once is plenty for a
// demo; user space may change max_entries before the load.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, pid_t);
	__type(value, u64);
} exec_start SEC(".maps");

// The ring buffer declares its record type: the generated skeleton then
// offers `rbEvents()`, a sequence of `Event` values checked against this
// struct's size.
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
	__type(value, struct event);
} rb SEC(".maps");

// `const volatile`: a .rodata variable. Swift sets it between open and
// load; the verifier then sees a constant and can drop dead branches.
const volatile unsigned long long min_duration_ns = 0;

SEC("tp/sched/sched_process_exec")
int trace_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	pid_t pid = bpf_get_current_pid_tgid() >> 32;
	u64 now = bpf_ktime_get_ns();
	struct event *e;

	bpf_map_update_elem(&exec_start, &pid, &now, BPF_ANY);

	// With a minimum duration only exits are reported: an exec does not
	// know yet how long the process will live.
	if (min_duration_ns)
		return 0;

	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;  // the reader is behind: drop this record
	e->exit_event = false;
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = 0;
	e->duration_ns = 0;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	// The file name sits in the tracepoint record; __data_loc gives its
	// offset in the low 16 bits.
	unsigned offset = ctx->__data_loc_filename & 0xFFFF;
	bpf_probe_read_str(&e->filename, sizeof(e->filename), (void *)ctx + offset);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp/sched/sched_process_exit")
int trace_exit(struct trace_event_raw_sched_process_template *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	u64 id = bpf_get_current_pid_tgid();
	pid_t pid = id >> 32, tid = (u32)id;
	u64 *started, duration_ns = 0;
	struct event *e;

	// A thread leaving is not the process leaving.
	if (pid != tid)
		return 0;

	started = bpf_map_lookup_elem(&exec_start, &pid);
	if (started)
		duration_ns = bpf_ktime_get_ns() - *started;
	else if (min_duration_ns)
		return 0;  // started before we were watching: duration unknown
	bpf_map_delete_elem(&exec_start, &pid);

	if (min_duration_ns && duration_ns < min_duration_ns)
		return 0;

	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->exit_event = true;
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = (BPF_CORE_READ(task, exit_code) >> 8) & 0xff;
	e->duration_ns = duration_ns;
	e->filename[0] = 0;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}
