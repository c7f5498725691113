// uprobe.bpf.c: probes on a function of a user-space program, here the
// example's own executable. The entry probe reads the arguments, the return
// probe the result; both keep what they saw in global variables.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

__u64 entries;
int last_a;
int last_b;
__u64 returns;
int last_sum;

// "uprobe/<binary>:<function>": attached automatically. /proc/self/exe is
// the executable of whichever process attaches: the example itself.
// BPF_KPROBE names the function's arguments (read from the registers of
// the calling convention this was built for: -D__TARGET_ARCH_x86).
SEC("uprobe//proc/self/exe:uprobed_add")
int BPF_KPROBE(add_entry, int a, int b)
{
	__sync_fetch_and_add(&entries, 1);
	last_a = a;
	last_b = b;
	return 0;
}

// A bare "uretprobe" names no function: the Swift side attaches it by hand
// (attach(to: .uprobe(path:function:isReturn: true))).
SEC("uretprobe")
int BPF_KRETPROBE(add_return, int sum)
{
	__sync_fetch_and_add(&returns, 1);
	last_sum = sum;
	return 0;
}
