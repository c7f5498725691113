// minimal.bpf.c: the smallest useful BPF program. A tracepoint on the
// write(2) system call counts the calls made by one process (ours) in a
// global variable, which user space reads straight from memory.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

// The kernel checks that programs calling GPL-only helpers say they are GPL.
char LICENSE[] SEC("license") = "GPL";

// Globals without an initial value live in .bss. The loader maps that
// section into the Swift process, so both sides see the same bytes:
// Swift writes `target_pid` after the load, the program writes `writes`.
int target_pid;
__u64 writes;

// "tp/<category>/<name>": the loader attaches it to the tracepoint
// syscalls/sys_enter_write without being told where.
SEC("tp/syscalls/sys_enter_write")
int count_write(void *ctx)
{
	// The upper 32 bits are the thread group id: what user space calls the pid.
	int pid = bpf_get_current_pid_tgid() >> 32;

	if (pid != target_pid)
		return 0;
	__sync_fetch_and_add(&writes, 1);
	return 0;
}
