/*
 * private_data.bpf.c: custom data sections that must not be memory-mapped,
 * the shape the kernel's selftests use for locks and graph roots
 * (`#define private(name) SEC(".data." #name) __hidden`).
 *
 * libbpf makes a data section's map BPF_F_MMAPABLE (and maps it into the
 * process) only when the section's BTF DATASEC has a VAR that is neither
 * static nor an ELF symbol of hidden/internal visibility (libbpf.c:
 * map_is_mmapable, btf_fixup_datasec). The kernel refuses mmap of an array
 * whose value has special fields (bpf_spin_lock, timers, kptrs, graph
 * roots): ENOTSUPP from bpf_map_mmap.
 *
 * EXPECT maps (internal, ARRAY, key 4, max_entries 1):
 *   .data.locked  hidden globals: struct bpf_spin_lock locked_lock,
 *                 __u64 locked_total = 100        -> not BPF_F_MMAPABLE
 *   .bss.locked   static: struct bpf_spin_lock bss_lock, __u64 bss_total
 *                                                  -> not BPF_F_MMAPABLE
 *   .data.quiet   static __u64 quiet_value = 7    -> not BPF_F_MMAPABLE
 *   .data.shared  global __u64 shared_value = 3, static __u64 shared_hidden
 *                 = 4                              -> BPF_F_MMAPABLE
 *   .bss          global __u64 bumps               -> BPF_F_MMAPABLE
 *
 * EXPECT programs:
 *   bump_locked  syscall  SYSCALL  takes both spin locks and adds 1 to
 *                locked_total and bss_total, adds quiet_value, shared_value
 *                and shared_hidden to bumps; returns 0 when, after the first
 *                run, locked_total == 101, bss_total == 1, bumps == 14
 *                (the __LINE__ of a failed check otherwise); later runs
 *                keep counting and return 0 too.
 *
 * Loads on Linux 6.18 (bpf_spin_lock in global data: Linux 6.2). libbpf
 * >= 1.2 loads it; bpftool 7.1 (libbpf 1.1, which maps every data
 * section) fails with "failed to re-mmap() contents: -524" on .data.locked.
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

#define private(name) SEC(".data." #name) __hidden __attribute__((aligned(8)))

private(locked) struct bpf_spin_lock locked_lock;
private(locked) __u64 locked_total = 100;

static struct bpf_spin_lock bss_lock SEC(".bss.locked");
static __u64 bss_total SEC(".bss.locked");

static volatile __u64 quiet_value SEC(".data.quiet") = 7;

__u64 shared_value SEC(".data.shared") = 3;
static volatile __u64 shared_hidden SEC(".data.shared") = 4;

__u64 bumps;

SEC("syscall")
int bump_locked(void *ctx)
{
	__u64 locked, bss;

	bpf_spin_lock(&locked_lock);
	locked_total += 1;
	locked = locked_total;
	bpf_spin_unlock(&locked_lock);

	bpf_spin_lock(&bss_lock);
	bss_total += 1;
	bss = bss_total;
	bpf_spin_unlock(&bss_lock);

	bumps += quiet_value + shared_value + shared_hidden;
	CHECK(locked >= 101);
	CHECK(bss >= 1);
	CHECK(locked - 100 == bss);
	CHECK(bumps == 14 * bss);
	return 0;
}
