/*
 * core.bpf.c: CO-RE (compile once, run everywhere) relocations.
 *
 * No vmlinux.h: each kernel struct is declared here with only the members
 * read, under the kernel's member names, and preserve_access_index so clang
 * records a relocation (.BTF.ext core_relo) for every access. The loader
 * finds each type by name in the kernel BTF ("___suffix" flavours are
 * stripped), walks the member path (through anonymous structs and unions,
 * e.g. mm_struct.arg_start and sk_buff.pkt_type, which sit inside unnamed
 * members in the kernel) and patches the instruction.
 * Also built big-endian (core.bpfeb.bpf.o) with the same relocations.
 *
 * EXPECT CO-RE relocation kinds used: FIELD_BYTE_OFFSET (every member
 * read), FIELD_EXISTS, FIELD_BYTE_SIZE, FIELD_SIGNED, FIELD_LSHIFT_U64,
 * FIELD_RSHIFT_U64 (the bitfield reads), TYPE_EXISTS, TYPE_SIZE,
 * TYPE_MATCHES, TYPE_ID_LOCAL, TYPE_ID_TARGET, ENUMVAL_EXISTS,
 * ENUMVAL_VALUE: all 13 kinds. With clang 21 the .BTF.ext core_relo
 * records number 38: FIELD_BYTE_OFFSET 15, FIELD_BYTE_SIZE 3, FIELD_EXISTS 2,
 * FIELD_SIGNED 2, FIELD_LSHIFT_U64 2, FIELD_RSHIFT_U64 4, TYPE_ID_LOCAL 1,
 * TYPE_ID_TARGET 1, TYPE_EXISTS 2, TYPE_SIZE 1, ENUMVAL_EXISTS 2,
 * ENUMVAL_VALUE 1, TYPE_MATCHES 2 (counted from the section bytes when the
 * object was built; another compiler version may differ).
 *
 * EXPECT programs:
 *   core_task  raw_tp  RAW_TRACEPOINT (run with BPF_PROG_TEST_RUN, no
 *              context): returns 0 on success, __LINE__ on a failed check.
 *              Reads the current task (bpf_get_current_task) with
 *              BPF_CORE_READ / bpf_core_read and fills .bss `task_out`
 *              (pid and tgid are initial-pid-namespace numbers, as from
 *              bpf_get_current_pid_tgid; ppid = real_parent->tgid;
 *              arg_start = mm->arg_start; exe_f_flags / exe_f_mode =
 *              mm->exe_file->f_flags / f_mode; in_execve bitfield = 0).
 *              Also fills .bss `probe_out` with relocation results a test
 *              compares with the kernel BTF (bpftool btf dump):
 *                task_struct_size  = size of struct task_struct
 *                pid_offset        = byte offset of task_struct.pid
 *                comm_size         = 16 (size of task_struct.comm)
 *                task_struct_id    = BTF id of task_struct in vmlinux
 *                pid_type_tgid     = kernel value of PIDTYPE_TGID (1)
 *                state_exists      = 0 (task_struct.state, renamed __state
 *                                      in 5.14), __state_exists = 1
 *                missing_type      = 0 (struct swiftbpf_no_such_type)
 *                list_head_matches = 1, list_head_wrong_matches = 0
 *                                      (bpf_core_type_matches)
 *                task_struct_local_id = BTF id of task_struct in this
 *                                      object's .BTF
 *              The read of the old `state` field is guarded by
 *              bpf_core_field_exists: its relocation fails and the loader
 *              must poison that instruction (call 0xbad2310), which the
 *              verifier then removes as dead code.
 *   core_skb   raw_tp/netif_receive_skb  RAW_TRACEPOINT: for each received
 *              packet stores sk_buff.len in .bss last_skb_len and
 *              pkt_type (a 3-bit bitfield) in last_pkt_type (0 = to us),
 *              counts packets in skb_count; returns 0.
 * EXPECT subprogram: read_parent_tgid (static, .text), holds CO-RE
 *              relocations of its own.
 */
#include "fixture.h"
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

#define PAI __attribute__((preserve_access_index))

struct file {
	unsigned int f_mode; /* fmode_t */
	unsigned int f_flags;
} PAI;

struct mm_struct {
	unsigned long arg_start;
	struct file *exe_file;
} PAI;

struct task_struct {
	unsigned int __state;
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *real_parent;
	struct mm_struct *mm;
	unsigned int in_execve : 1;
} PAI;

/* Kernels before 5.14 named __state `state`: a flavour of task_struct. */
struct task_struct___old {
	long state;
} PAI;

struct sk_buff {
	unsigned int len;
	__u8 pkt_type : 3;
} PAI;

/* Local enumerators in a different order than the kernel's: the
 * ENUMVAL_VALUE relocation must yield the kernel's value (1), not ours (3). */
enum pid_type {
	PIDTYPE_MAX,
	PIDTYPE_SID,
	PIDTYPE_PGID,
	PIDTYPE_TGID,
	PIDTYPE_PID,
};

/* Same enum name after stripping the flavour, with an enumerator that no
 * kernel has. */
enum pid_type___probe {
	PIDTYPE_SWIFTBPF_MISSING = 7,
};

/* For TYPE_MATCHES: the kernel's list_head has exactly these members; the
 * ___wrong flavour gives `next` a different kind (int, not a pointer). */
struct list_head {
	struct list_head *next;
	struct list_head *prev;
};

struct list_head___wrong {
	int next;
};

struct swiftbpf_no_such_type {
	int unused;
};

struct task_info {
	__u32 pid;
	__u32 tgid;
	__u32 ppid;
	__u32 in_execve;
	__u64 arg_start;
	__u32 exe_f_flags;
	__u32 exe_f_mode;
	char comm[16];
};

struct probe_info {
	__u32 task_struct_size;
	__u32 pid_offset;
	__u32 comm_size;
	__u32 task_struct_id;
	__u32 task_struct_local_id;
	__u32 pid_type_tgid;
	__u32 state_exists;
	__u32 __state_exists;
	__u32 missing_type;
	__u32 list_head_matches;
	__u32 list_head_wrong_matches;
	__u64 old_state; /* only written on kernels with task_struct.state */
};

struct task_info task_out;
struct probe_info probe_out;
__u32 last_skb_len;
__u32 last_pkt_type;
__u64 skb_count;

/* A subprogram with relocations of its own. */
static __noinline __u32 read_parent_tgid(struct task_struct *task)
{
	return BPF_CORE_READ(task, real_parent, tgid);
}

SEC("raw_tp")
int core_task(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct task_struct___old *old = (void *)task;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	char comm[16];
	int i;

	/* Plain reads through bpf_probe_read_kernel. */
	CHECK(bpf_core_read(&task_out.pid, sizeof(task_out.pid), &task->pid) == 0);
	task_out.tgid = BPF_CORE_READ(task, tgid);
	task_out.ppid = read_parent_tgid(task);
	BPF_CORE_READ_STR_INTO(&task_out.comm, task, comm);
	task_out.arg_start = BPF_CORE_READ(task, mm, arg_start);
	task_out.exe_f_flags = BPF_CORE_READ(task, mm, exe_file, f_flags);
	task_out.exe_f_mode = BPF_CORE_READ(task, mm, exe_file, f_mode);
	task_out.in_execve = BPF_CORE_READ_BITFIELD_PROBED(task, in_execve);

	CHECK(task_out.pid == (__u32)pid_tgid);
	CHECK(task_out.tgid == pid_tgid >> 32);
	CHECK(task_out.ppid > 0);
	CHECK(task_out.arg_start != 0);
	CHECK(task_out.exe_f_mode != 0);
	CHECK(task_out.in_execve == 0);
	CHECK(bpf_get_current_comm(comm, sizeof(comm)) == 0);
	for (i = 0; i < 16; i++) {
		CHECK(comm[i] == task_out.comm[i]);
		if (!comm[i])
			break;
	}

	/* Relocations that yield numbers, not offsets. */
	probe_out.task_struct_size = bpf_core_type_size(struct task_struct);
	probe_out.pid_offset = bpf_core_field_offset(struct task_struct, pid);
	probe_out.comm_size = bpf_core_field_size(task->comm);
	probe_out.task_struct_id = bpf_core_type_id_kernel(struct task_struct);
	probe_out.task_struct_local_id = bpf_core_type_id_local(struct task_struct);
	probe_out.pid_type_tgid = bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
	probe_out.state_exists = bpf_core_field_exists(old->state);
	probe_out.__state_exists = bpf_core_field_exists(task->__state);
	probe_out.missing_type = bpf_core_type_exists(struct swiftbpf_no_such_type);
	probe_out.list_head_matches = bpf_core_type_matches(struct list_head);
	probe_out.list_head_wrong_matches =
		bpf_core_type_matches(struct list_head___wrong);

	CHECK(probe_out.comm_size == 16);
	CHECK(probe_out.pid_type_tgid == 1);
	CHECK(bpf_core_enum_value_exists(enum pid_type, PIDTYPE_TGID));
	CHECK(!bpf_core_enum_value_exists(enum pid_type___probe,
					  PIDTYPE_SWIFTBPF_MISSING));
	CHECK(probe_out.__state_exists);
	CHECK(!probe_out.missing_type);
	CHECK(bpf_core_type_exists(struct task_struct));
	CHECK(probe_out.list_head_matches);
	CHECK(!probe_out.list_head_wrong_matches);

	/* Guarded read of a field this kernel lacks: the relocation fails,
	 * the instruction is poisoned, and the branch is dead. */
	if (bpf_core_field_exists(old->state))
		probe_out.old_state = BPF_CORE_READ(old, state);
	return 0;
}

SEC("raw_tp/netif_receive_skb")
int core_skb(struct bpf_raw_tracepoint_args *ctx)
{
	struct sk_buff *skb = (struct sk_buff *)ctx->args[0];

	last_skb_len = BPF_CORE_READ(skb, len);
	last_pkt_type = BPF_CORE_READ_BITFIELD_PROBED(skb, pkt_type);
	__sync_fetch_and_add(&skb_count, 1);
	return 0;
}
