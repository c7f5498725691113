// fentry.bpf.c: fentry and fexit programs on the kernel function that
// removes files (do_unlinkat). They are called like ordinary functions
// through a BPF trampoline, with typed arguments, and fexit also sees the
// return value. Kernels in lockdown (or without ftrace) refuse to load them:
// the example then exits with the loader's error.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

__u64 entries;
__u64 exits;
long last_result;
char last_name[64];

SEC("fentry/do_unlinkat")
int BPF_PROG(unlink_entry, int dfd, struct filename *name)
{
	__sync_fetch_and_add(&entries, 1);
	// name->name points at kernel memory holding the path.
	bpf_probe_read_kernel_str(last_name, sizeof(last_name), BPF_CORE_READ(name, name));
	return 0;
}

SEC("fexit/do_unlinkat")
int BPF_PROG(unlink_exit, int dfd, struct filename *name, long ret)
{
	__sync_fetch_and_add(&exits, 1);
	last_result = ret;
	return 0;
}
