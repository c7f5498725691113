/*
 * skeleton.bpf.c: the object the generated-skeleton tests embed
 * (`swiftbpf gen skeleton Fixtures/obj/skeleton.bpf.o --name SkeletonFixture`).
 *
 * EXPECT data sections (C types, so a skeleton declares them):
 *   .rodata  multiplier (u32, initially 1), label (char[8], "skel")
 *   .data    seed (s32, initially 7), hidden_data (static u32: not exposed)
 *   .bss     runs (u64), last (struct skel_result), getpid_calls (u64),
 *            seen_hz (s32), seen_jit (u32), seen_syscall (bool),
 *            seen_name (char[16]): the kconfig values `compute` saw
 *   .kconfig LINUX_KERNEL_VERSION (unsigned int), CONFIG_HZ (int, weak),
 *            CONFIG_BPF_JIT (enum libbpf_tristate, weak),
 *            CONFIG_BPF_SYSCALL (_Bool, weak), CONFIG_SWIFTBPF_NAME
 *            (char[16], weak: no kernel has it, so "" unless overridden)
 *
 * EXPECT maps:
 *   totals     HASH          u32 -> struct skel_total, 64 entries
 *   per_cpu    PERCPU_ARRAY  u32 -> u64, 4 entries
 *   events     RINGBUF       64 KiB, declared __type(value, struct skel_event)
 *   jobs       QUEUE         value u32, 16 entries
 *   raw_sized  HASH          key_size 4, value_size 8 (sizes only, no BTF types)
 *   getpid_events RINGBUF    16 KiB, declared __type(value, struct skel_event)
 *
 * EXPECT programs:
 *   compute     syscall                       SYSCALL: runs += 1;
 *               last = { seed * multiplier, runs }; totals[seed] += that
 *               value; per_cpu[0] += 1 on the CPU it runs; one skel_event
 *               { seq = runs, value = last.value, comm = "skel" } into events;
 *               copies the kconfig externs into seen_*;
 *               returns 0, or __LINE__ if the ring was full
 *   on_getpid   tp/syscalls/sys_enter_getpid  TRACEPOINT (auto-attached):
 *               getpid_calls += 1; for a getpid of a process whose pid is
 *               .bss watched_pid (0: none; `swiftbpf run` sets none, so
 *               with watched_pid 0 every caller counts), one skel_event
 *               { seq = getpid_calls, value = caller's tgid, comm = "getpid" }
 *               into getpid_events
 *
 * So with .rodata multiplier set to 3 before load and .data seed 7, one run
 * of `compute` leaves last.value == 21, last.run == 1, totals[7].sum == 21.
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

struct skel_result {
	__s64 value;
	__u32 run;
	/* 4 bytes of tail padding: the generated Swift must keep size 16. */
};

struct skel_total {
	__u64 sum;
	__u32 count;
	__u16 flags;
	/* 2 bytes of tail padding */
};

struct skel_event {
	__u64 seq;
	__s64 value;
	char comm[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct skel_total);
} totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} per_cpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
	__type(value, struct skel_event);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 16);
	__type(value, __u32);
} jobs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__uint(key_size, 4);
	__uint(value_size, 8);
} raw_sized SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024);
	__type(value, struct skel_event);
} getpid_events SEC(".maps");

const volatile __u32 multiplier = 1;
const volatile char label[8] = "skel";
__s32 seed = 7;
static __u32 hidden_data = 5;
__u64 runs;
struct skel_result last;
__u64 getpid_calls;
__u32 watched_pid;
__s32 seen_hz;
__u32 seen_jit;
_Bool seen_syscall;
char seen_name[16];

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig __weak;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig __weak;
extern _Bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern char CONFIG_SWIFTBPF_NAME[16] __kconfig __weak;

SEC("syscall")
int compute(void *ctx)
{
	struct skel_total fresh = {}, *total;
	struct skel_event *event;
	__u32 key = seed, zero = 0;
	__u64 *cpu_count;

	runs += 1;
	hidden_data += 1;
	last.value = (__s64)seed * multiplier;
	last.run = runs;

	total = bpf_map_lookup_elem(&totals, &key);
	if (!total) {
		bpf_map_update_elem(&totals, &key, &fresh, BPF_NOEXIST);
		total = bpf_map_lookup_elem(&totals, &key);
		CHECK(total);
	}
	total->sum += last.value;
	total->count += 1;

	cpu_count = bpf_map_lookup_elem(&per_cpu, &zero);
	CHECK(cpu_count);
	*cpu_count += 1;

	event = bpf_ringbuf_reserve(&events, sizeof(*event), 0);
	CHECK(event);
	event->seq = runs;
	event->value = last.value;
	__builtin_memcpy(event->comm, "skel\0\0\0", 8);
	bpf_ringbuf_submit(event, 0);

	seen_hz = CONFIG_HZ;
	seen_jit = CONFIG_BPF_JIT;
	seen_syscall = CONFIG_BPF_SYSCALL;
	__builtin_memcpy(seen_name, CONFIG_SWIFTBPF_NAME, sizeof(seen_name));
	return LINUX_KERNEL_VERSION ? 0 : __LINE__;
}

SEC("tp/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	struct skel_event *event;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u64 calls = __sync_fetch_and_add(&getpid_calls, 1) + 1;

	if (watched_pid && tgid != watched_pid)
		return 0;
	event = bpf_ringbuf_reserve(&getpid_events, sizeof(*event), 0);
	if (!event)
		return 0;
	event->seq = calls;
	event->value = tgid;
	__builtin_memcpy(event->comm, "getpid\0", 8);
	bpf_ringbuf_submit(event, 0);
	return 0;
}
