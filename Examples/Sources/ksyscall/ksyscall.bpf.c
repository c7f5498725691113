// ksyscall.bpf.c: a probe on a system call by its generic name. The loader
// turns "ksyscall/kill" into a kprobe on this architecture's entry point for
// kill(2) (__x64_sys_kill here), and BPF_KSYSCALL reads the user's
// arguments through the syscall wrapper. Kernels without kprobes
// (CONFIG_KPROBES off) cannot attach it: the example exits with the
// loader's error.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h> /* BPF_KSYSCALL reads the wrapped registers with it */

char LICENSE[] SEC("license") = "GPL";

__u64 calls;
int last_pid;
int last_signal;
__u64 returns;
long last_result;

SEC("ksyscall/kill")
int BPF_KSYSCALL(kill_entry, pid_t pid, int sig)
{
	__sync_fetch_and_add(&calls, 1);
	last_pid = pid;
	last_signal = sig;
	return 0;
}

SEC("kretsyscall/kill")
int BPF_KRETPROBE(kill_exit, long ret)
{
	__sync_fetch_and_add(&returns, 1);
	last_result = ret;
	return 0;
}
