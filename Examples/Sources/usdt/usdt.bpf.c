// usdt.bpf.c: a USDT (user statically defined tracing) probe. The program
// marks a spot with a probe note (see the USDTSite target); libbpf's
// usdt.bpf.h reads each argument from wherever the compiler left it, as the
// note describes, and the loader fills in those descriptions at attach.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

char LICENSE[] SEC("license") = "GPL";

__u64 ticks;
long last_counter;
int last_value;

// "usdt/<binary>:<provider>:<name>", attached automatically to every site
// of the probe in the example's own executable.
SEC("usdt//proc/self/exe:swiftbpf_example:tick")
int BPF_USDT(on_example_tick, long counter, int value)
{
	__sync_fetch_and_add(&ticks, 1);
	last_counter = counter;
	last_value = value;
	return 0;
}
