/*
 * globals.bpf.c: every kind of global data and extern a loader must handle.
 *
 * EXPECT data sections (each becomes an internal ARRAY map, key 4,
 * max_entries 1, value_size = section size, map_flags BPF_F_MMAPABLE; the
 * read-only ones (.rodata, .rodata.custom, .kconfig) also BPF_F_RDONLY_PROG
 * and are frozen after their initial value is written). As libbpf 1.1
 * creates them (bpf_obj_get_info_by_fd): globals.data 8 bytes, flags 0x400;
 * globals.rodata 12, 0x480; globals.bss 24, 0x400; .data.custom 4, 0x400;
 * .rodata.custom 8, 0x480; globals.kconfig 17, 0x480.
 *   .data            data_counter (int = 7), updated by the program (+1)
 *   .rodata          rodata_limit (const volatile u32 = 42),
 *                    rodata_name  (const volatile char[8] = "swiftbp")
 *   .bss             bss_total (u64 = 0), bss_runs (u32 = 0), both +1 per run,
 *                    btf_start_address (u64): the program stores the address
 *                    the loader gave __start_BTF, which must equal the one in
 *                    /proc/kallsyms (readable as root)
 *   .data.custom     custom_data (int = 5), updated by the program (+1)
 *   .rodata.custom   custom_ro (const volatile u64 = 0x1122334455667788)
 *   .data            also holds static_data (static volatile int = 3, a
 *                    STB_LOCAL symbol)
 *
 * EXPECT kconfig externs (section .kconfig, symbols SHN_UNDEF, resolved by the
 * loader from /proc/config.gz and uname into an internal .kconfig map):
 *   LINUX_KERNEL_VERSION  unsigned int, strong: KERNEL_VERSION(6,18,x) here
 *   CONFIG_BPF_SYSCALL    bool (_Bool), weak: true (=y)
 *   CONFIG_BPF_JIT        enum libbpf_tristate, weak: TRI_YES (=y)
 *   CONFIG_HZ             int, weak: 250 here (any positive value is accepted)
 *   CONFIG_SWIFTBPF_NOT_A_CONFIG  int, weak, absent from every kernel: 0
 *
 * EXPECT ksym externs (section .ksyms, symbols SHN_UNDEF):
 *   runqueues        typed (BTF VAR in vmlinux, per-cpu): struct rq, local
 *                    definition with preserve_access_index, member cpu
 *   bpf_prog_active  typed int (per-cpu VAR in vmlinux BTF)
 *   __start_BTF      untyped (`const void`): resolved from /proc/kallsyms
 *                    (this kernel has CONFIG_KALLSYMS_ALL off, so most data
 *                    symbols are absent there; __start_BTF is present)
 *   swiftbpf_no_such_ksym  untyped, weak, absent: resolves to address 0
 *   bpf_task_from_pid, bpf_task_release, bpf_rcu_read_lock,
 *   bpf_rcu_read_unlock  kfuncs (BTF FUNC in vmlinux); calls are
 *                    `call` with src_reg BPF_PSEUDO_KFUNC_CALL and imm =
 *                    the vmlinux BTF id after relocation
 *
 * EXPECT programs:
 *   read_percpu_ksyms  ?syscall  SYSCALL, not autoloaded; reads runqueues and
 *                  bpf_prog_active with bpf_this_cpu_ptr, returns 0 or
 *                  __LINE__. Its load fails on kernels without
 *                  CONFIG_KALLSYMS_ALL (this one): ENOENT, "ldimm64 failed to
 *                  find the address for kernel symbol 'runqueues'".
 *   check_globals  syscall  SYSCALL  returns 0 on success, __LINE__ on a
 *                  failed check; each run adds 1 to data_counter, custom_data,
 *                  bss_runs and bss_total (so after one run .data holds 8,
 *                  .data.custom holds 6, .bss holds 1 and 1)
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

/* --- data sections ------------------------------------------------------- */

int data_counter = 7;                                   /* .data */
static volatile int static_data = 3;                    /* .data, local */
const volatile __u32 rodata_limit = 42;                 /* .rodata */
const volatile char rodata_name[8] = "swiftbp";         /* .rodata */
__u64 bss_total;                                        /* .bss */
__u32 bss_runs;                                         /* .bss */
__u64 btf_start_address;                                /* .bss */
int custom_data SEC(".data.custom") = 5;                /* .data.custom */
const volatile __u64 custom_ro SEC(".rodata.custom") = 0x1122334455667788ULL;

/* --- kconfig ----------------------------------------------------------- */

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig __weak;
extern int CONFIG_HZ __kconfig __weak;
extern int CONFIG_SWIFTBPF_NOT_A_CONFIG __kconfig __weak;

/* --- ksyms ------------------------------------------------------------- */

/* Local view of the kernel's struct rq: only the member we read. */
struct rq {
	int cpu;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

extern const struct rq runqueues __ksym;        /* typed, per-cpu */
extern const int bpf_prog_active __ksym;        /* typed, per-cpu */
extern const void __start_BTF __ksym;           /* untyped, from kallsyms */
extern const void swiftbpf_no_such_ksym __ksym __weak; /* missing: 0 */

/* kfuncs */
extern struct task_struct *bpf_task_from_pid(int pid) __ksym;
extern void bpf_task_release(struct task_struct *task) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

SEC("syscall")
int check_globals(void *ctx)
{
	struct task_struct *task;
	int pid, task_pid;

	/* Data sections hold their initial values on the first run. */
	CHECK(rodata_limit == 42);
	CHECK(rodata_name[0] == 's' && rodata_name[6] == 'p');
	CHECK(custom_ro == 0x1122334455667788ULL);
	CHECK(static_data == 3);
	CHECK(data_counter >= 7);
	CHECK(custom_data >= 5);

	/* kconfig */
	CHECK(LINUX_KERNEL_VERSION >= KERNEL_VERSION(6, 1, 0));
	CHECK(CONFIG_BPF_SYSCALL);
	CHECK(CONFIG_BPF_JIT == TRI_YES);
	CHECK(CONFIG_HZ > 0);
	CHECK(CONFIG_SWIFTBPF_NOT_A_CONFIG == 0);

	/* ksyms: untyped addresses (a strong extern's address cannot be
	 * compared with 0 in C: clang folds it, so it is stored instead) */
	btf_start_address = (__u64)&__start_BTF;
	CHECK(btf_start_address != 0);
	CHECK(&swiftbpf_no_such_ksym == 0);

	/* kfuncs: look up the calling thread by its pid in the initial pid
	 * namespace (the one bpf_get_current_pid_tgid reports), then drop the
	 * reference it took */
	pid = (__u32)bpf_get_current_pid_tgid();
	bpf_rcu_read_lock();
	task = bpf_task_from_pid(pid);
	bpf_rcu_read_unlock();
	CHECK(task);
	task_pid = task->pid;
	bpf_task_release(task);
	CHECK(task_pid == pid);

	data_counter++;
	custom_data++;
	bss_runs++;
	bss_total += 1;
	return 0;
}

/*
 * Typed ksyms of variables: the loader resolves them to vmlinux BTF ids
 * (ld_imm64 src_reg BPF_PSEUDO_BTF_ID), then the kernel looks the name up in
 * kallsyms. On a kernel without CONFIG_KALLSYMS_ALL the load fails with ENOENT
 * and "ldimm64 failed to find the address for kernel symbol 'runqueues'", so
 * this program is not loaded by default ("?" prefix).
 */
SEC("?syscall")
int read_percpu_ksyms(void *ctx)
{
	const struct rq *rq;
	const int *active;

	rq = bpf_this_cpu_ptr(&runqueues);
	CHECK(rq->cpu == bpf_get_smp_processor_id());
	active = bpf_this_cpu_ptr(&bpf_prog_active);
	CHECK(*active >= 0);
	return 0;
}
