/*
 * sections.bpf.c: one tiny program per ELF section name, for the section
 * name parser. The names and their program / expected attach types follow
 * libbpf's table (Documentation/bpf/libbpf/program_types.rst) plus names
 * added in later libbpf releases (tcx, netkit, netfilter, uprobe.multi,
 * kprobe.session, uprobe.session, connect_unix, sk_skb/verdict).
 * Each program only returns a value its type accepts; none does any work.
 * "-" as attach type: the loader sends expected_attach_type 0.
 * A ".s" after the type means sleepable (BPF_F_SLEEPABLE), "?" before it
 * means not loaded by default.
 *
 * bpftool (libbpf 1.1) cannot open this object: it does not know the newer
 * names. The object as a whole is not loadable on any one kernel (fentry and
 * lsm are refused here, freplace needs a target, lirc_mode2 is configured
 * out); tests load programs one by one.
 *
 * EXPECT programs (section | program | BPF_PROG_TYPE_ | attach type | note):
 *   tp/syscalls/sys_enter_getpid | tp_getpid | TRACEPOINT | -
 *   tracepoint/sched/sched_switch | tracepoint_sched_switch | TRACEPOINT | -
 *   ?tp/syscalls/sys_exit_getpid | tp_not_autoloaded | TRACEPOINT | - | autoload off ('?')
 *   raw_tp/sys_enter | raw_tp_sys_enter | RAW_TRACEPOINT | -
 *   raw_tracepoint/sys_exit | raw_tracepoint_sys_exit | RAW_TRACEPOINT | -
 *   raw_tp | raw_tp_manual | RAW_TRACEPOINT | - | no target: manual attach
 *   raw_tp.w/sys_enter | raw_tp_writable | RAW_TRACEPOINT_WRITABLE | - | kernel accepts only writable tracepoints (nbd, bpf_test_finish)
 *   raw_tracepoint.w/bpf_test_finish | raw_tracepoint_writable | RAW_TRACEPOINT_WRITABLE | -
 *   tp_btf/sched_switch | tp_btf_sched_switch | TRACING | BPF_TRACE_RAW_TP
 *   fentry/do_unlinkat | fentry_unlinkat | TRACING | BPF_TRACE_FENTRY | load refused here (EPERM)
 *   fexit/do_unlinkat | fexit_unlinkat | TRACING | BPF_TRACE_FEXIT | load refused here (EPERM)
 *   fmod_ret/bpf_modify_return_test | fmod_ret_test | TRACING | BPF_MODIFY_RETURN | load refused here (EPERM)
 *   fentry.s/do_sys_openat2 | fentry_sleepable | TRACING | BPF_TRACE_FENTRY | sleepable; load refused here
 *   fexit.s/do_sys_openat2 | fexit_sleepable | TRACING | BPF_TRACE_FEXIT | sleepable; load refused here
 *   fmod_ret.s/bpf_modify_return_test | fmod_ret_sleepable | TRACING | BPF_MODIFY_RETURN | sleepable; load refused here
 *   freplace/handler | freplace_handler | EXT | - | needs a target program fd: not loadable alone
 *   lsm/file_open | lsm_file_open | LSM | BPF_LSM_MAC | load refused here (EPERM)
 *   lsm.s/bprm_committed_creds | lsm_sleepable | LSM | BPF_LSM_MAC | sleepable; load refused here
 *   lsm_cgroup/socket_bind | lsm_cgroup_bind | LSM | BPF_LSM_CGROUP | load refused here (EPERM)
 *   iter/task | iter_task | TRACING | BPF_TRACE_ITER
 *   iter.s/task | iter_task_sleepable | TRACING | BPF_TRACE_ITER | sleepable
 *   kprobe/do_unlinkat | kprobe_unlinkat | KPROBE | - | no kprobe PMU here: attach fails
 *   kprobe/do_unlinkat+4 | kprobe_offset | KPROBE | - | function + offset
 *   kretprobe/do_unlinkat | kretprobe_unlinkat | KPROBE | - | retprobe
 *   ksyscall/unlinkat | ksyscall_unlinkat | KPROBE | - | kprobe on the arch syscall entry
 *   kretsyscall/unlinkat | kretsyscall_unlinkat | KPROBE | - | retprobe
 *   kprobe.multi/do_unlink* | kprobe_multi | KPROBE | BPF_TRACE_KPROBE_MULTI | glob pattern
 *   kretprobe.multi/do_unlink?t | kretprobe_multi | KPROBE | BPF_TRACE_KPROBE_MULTI | retprobe, glob pattern
 *   kprobe.session/do_unlinkat | kprobe_session | KPROBE | BPF_TRACE_KPROBE_SESSION | libbpf 1.5 name
 *   uprobe | uprobe_manual | KPROBE | - | no target: manual attach
 *   uprobe//usr/lib/x86_64-linux-gnu/libc.so.6:getpid | uprobe_getpid | KPROBE | - | absolute path
 *   uprobe/libc.so.6:malloc | uprobe_malloc | KPROBE | - | library name, resolved by search
 *   uprobe//usr/lib/x86_64-linux-gnu/libc.so.6:getpid+4 | uprobe_offset | KPROBE | - | function + offset
 *   uretprobe//usr/lib/x86_64-linux-gnu/libc.so.6:getpid | uretprobe_getpid | KPROBE | - | retprobe
 *   uprobe.s//usr/lib/x86_64-linux-gnu/libc.so.6:malloc | uprobe_sleepable | KPROBE | - | sleepable
 *   uretprobe.s//usr/lib/x86_64-linux-gnu/libc.so.6:malloc | uretprobe_sleepable | KPROBE | - | sleepable retprobe
 *   uprobe.multi//usr/lib/x86_64-linux-gnu/libc.so.6:get* | uprobe_multi | KPROBE | BPF_TRACE_UPROBE_MULTI | libbpf 1.3 name, glob
 *   uretprobe.multi//usr/lib/x86_64-linux-gnu/libc.so.6:getpid | uretprobe_multi | KPROBE | BPF_TRACE_UPROBE_MULTI | libbpf 1.3 name
 *   uprobe.session//usr/lib/x86_64-linux-gnu/libc.so.6:getpid | uprobe_session | KPROBE | BPF_TRACE_UPROBE_SESSION | libbpf 1.6 name
 *   usdt//usr/lib/x86_64-linux-gnu/libc.so.6:libc:setjmp | usdt_setjmp | KPROBE | - | path:provider:name (this libc has no USDT notes)
 *   usdt | usdt_manual | KPROBE | - | no target: manual attach
 *   perf_event | perf_event_prog | PERF_EVENT | -
 *   xdp | xdp_prog | XDP | BPF_XDP
 *   xdp.frags | xdp_frags | XDP | BPF_XDP | BPF_F_XDP_HAS_FRAGS
 *   xdp/devmap | xdp_devmap | XDP | BPF_XDP_DEVMAP
 *   xdp/cpumap | xdp_cpumap | XDP | BPF_XDP_CPUMAP
 *   xdp.frags/devmap | xdp_frags_devmap | XDP | BPF_XDP_DEVMAP | BPF_F_XDP_HAS_FRAGS
 *   tc | tc_prog | SCHED_CLS | - | TC_ACT_OK
 *   classifier | classifier_prog | SCHED_CLS | - | old name of tc
 *   action | action_prog | SCHED_ACT | -
 *   tcx/ingress | tcx_ingress | SCHED_CLS | BPF_TCX_INGRESS | TCX_NEXT; libbpf 1.3 name
 *   tcx/egress | tcx_egress | SCHED_CLS | BPF_TCX_EGRESS | TCX_NEXT; libbpf 1.3 name
 *   netkit/primary | netkit_primary | SCHED_CLS | BPF_NETKIT_PRIMARY | libbpf 1.3 name; no netkit here
 *   netkit/peer | netkit_peer | SCHED_CLS | BPF_NETKIT_PEER | libbpf 1.3 name; no netkit here
 *   socket | socket_filter | SOCKET_FILTER | -
 *   sk_lookup | sk_lookup_prog | SK_LOOKUP | BPF_SK_LOOKUP | SK_PASS
 *   sk_msg | sk_msg_prog | SK_MSG | BPF_SK_MSG_VERDICT | SK_PASS
 *   sk_skb | sk_skb_prog | SK_SKB | - | SK_PASS
 *   sk_skb/stream_parser | sk_skb_parser | SK_SKB | BPF_SK_SKB_STREAM_PARSER | returns the message length
 *   sk_skb/stream_verdict | sk_skb_verdict | SK_SKB | BPF_SK_SKB_STREAM_VERDICT | SK_PASS
 *   sk_skb/verdict | sk_skb_verdict_any | SK_SKB | BPF_SK_SKB_VERDICT | SK_PASS
 *   sk_reuseport | sk_reuseport_prog | SK_REUSEPORT | BPF_SK_REUSEPORT_SELECT | SK_PASS
 *   sk_reuseport/migrate | sk_reuseport_migrate | SK_REUSEPORT | BPF_SK_REUSEPORT_SELECT_OR_MIGRATE | SK_PASS
 *   sockops | sockops_prog | SOCK_OPS | BPF_CGROUP_SOCK_OPS
 *   flow_dissector | flow_dissector_prog | FLOW_DISSECTOR | BPF_FLOW_DISSECTOR | BPF_OK
 *   netfilter | netfilter_prog | NETFILTER | BPF_NETFILTER | NF_ACCEPT; libbpf 1.2 name
 *   lwt_in | lwt_in_prog | LWT_IN | - | BPF_OK
 *   lwt_out | lwt_out_prog | LWT_OUT | - | BPF_OK
 *   lwt_xmit | lwt_xmit_prog | LWT_XMIT | - | BPF_OK
 *   lwt_seg6local | lwt_seg6local_prog | LWT_SEG6LOCAL | - | BPF_OK
 *   lirc_mode2 | lirc_mode2_prog | LIRC_MODE2 | BPF_LIRC_MODE2 | CONFIG_BPF_LIRC_MODE2 is off here
 *   cgroup_skb/ingress | cgroup_skb_ingress | CGROUP_SKB | BPF_CGROUP_INET_INGRESS | 1 = allow
 *   cgroup_skb/egress | cgroup_skb_egress | CGROUP_SKB | BPF_CGROUP_INET_EGRESS
 *   cgroup/skb | cgroup_skb_any | CGROUP_SKB | - | attach type chosen at attach
 *   cgroup/sock_create | cgroup_sock_create | CGROUP_SOCK | BPF_CGROUP_INET_SOCK_CREATE
 *   cgroup/sock | cgroup_sock | CGROUP_SOCK | BPF_CGROUP_INET_SOCK_CREATE
 *   cgroup/sock_release | cgroup_sock_release | CGROUP_SOCK | BPF_CGROUP_INET_SOCK_RELEASE
 *   cgroup/post_bind4 | cgroup_post_bind4 | CGROUP_SOCK | BPF_CGROUP_INET4_POST_BIND
 *   cgroup/post_bind6 | cgroup_post_bind6 | CGROUP_SOCK | BPF_CGROUP_INET6_POST_BIND
 *   cgroup/bind4 | cgroup_bind4 | CGROUP_SOCK_ADDR | BPF_CGROUP_INET4_BIND
 *   cgroup/bind6 | cgroup_bind6 | CGROUP_SOCK_ADDR | BPF_CGROUP_INET6_BIND
 *   cgroup/connect4 | cgroup_connect4 | CGROUP_SOCK_ADDR | BPF_CGROUP_INET4_CONNECT
 *   cgroup/connect6 | cgroup_connect6 | CGROUP_SOCK_ADDR | BPF_CGROUP_INET6_CONNECT
 *   cgroup/connect_unix | cgroup_connect_unix | CGROUP_SOCK_ADDR | BPF_CGROUP_UNIX_CONNECT | libbpf 1.3 name
 *   cgroup/sendmsg4 | cgroup_sendmsg4 | CGROUP_SOCK_ADDR | BPF_CGROUP_UDP4_SENDMSG
 *   cgroup/sendmsg6 | cgroup_sendmsg6 | CGROUP_SOCK_ADDR | BPF_CGROUP_UDP6_SENDMSG
 *   cgroup/recvmsg4 | cgroup_recvmsg4 | CGROUP_SOCK_ADDR | BPF_CGROUP_UDP4_RECVMSG
 *   cgroup/recvmsg6 | cgroup_recvmsg6 | CGROUP_SOCK_ADDR | BPF_CGROUP_UDP6_RECVMSG
 *   cgroup/getpeername4 | cgroup_getpeername4 | CGROUP_SOCK_ADDR | BPF_CGROUP_INET4_GETPEERNAME
 *   cgroup/getsockname4 | cgroup_getsockname4 | CGROUP_SOCK_ADDR | BPF_CGROUP_INET4_GETSOCKNAME
 *   cgroup/getsockopt | cgroup_getsockopt | CGROUP_SOCKOPT | BPF_CGROUP_GETSOCKOPT
 *   cgroup/setsockopt | cgroup_setsockopt | CGROUP_SOCKOPT | BPF_CGROUP_SETSOCKOPT
 *   cgroup/sysctl | cgroup_sysctl | CGROUP_SYSCTL | BPF_CGROUP_SYSCTL
 *   cgroup/dev | cgroup_dev | CGROUP_DEVICE | BPF_CGROUP_DEVICE
 *   struct_ops/swiftbpf_op | struct_ops_op | STRUCT_OPS | - | no .struct_ops map uses it: not loadable alone
 *   struct_ops.s/swiftbpf_sleepable_op | struct_ops_sleepable | STRUCT_OPS | - | sleepable; not loadable alone
 *   syscall | syscall_prog | SYSCALL | - | always sleepable
 * Count: 97 programs.
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp/syscalls/sys_enter_getpid")
int tp_getpid(void *ctx)
{
	return 0;
}

SEC("tracepoint/sched/sched_switch")
int tracepoint_sched_switch(void *ctx)
{
	return 0;
}

SEC("?tp/syscalls/sys_exit_getpid")
int tp_not_autoloaded(void *ctx)
{
	return 0;
}

SEC("raw_tp/sys_enter")
int raw_tp_sys_enter(void *ctx)
{
	return 0;
}

SEC("raw_tracepoint/sys_exit")
int raw_tracepoint_sys_exit(void *ctx)
{
	return 0;
}

SEC("raw_tp")
int raw_tp_manual(void *ctx)
{
	return 0;
}

SEC("raw_tp.w/sys_enter")
int raw_tp_writable(void *ctx)
{
	return 0;
}

SEC("raw_tracepoint.w/bpf_test_finish")
int raw_tracepoint_writable(void *ctx)
{
	return 0;
}

SEC("tp_btf/sched_switch")
int tp_btf_sched_switch(void *ctx)
{
	return 0;
}

SEC("fentry/do_unlinkat")
int fentry_unlinkat(void *ctx)
{
	return 0;
}

SEC("fexit/do_unlinkat")
int fexit_unlinkat(void *ctx)
{
	return 0;
}

SEC("fmod_ret/bpf_modify_return_test")
int fmod_ret_test(void *ctx)
{
	return 0;
}

SEC("fentry.s/do_sys_openat2")
int fentry_sleepable(void *ctx)
{
	return 0;
}

SEC("fexit.s/do_sys_openat2")
int fexit_sleepable(void *ctx)
{
	return 0;
}

SEC("fmod_ret.s/bpf_modify_return_test")
int fmod_ret_sleepable(void *ctx)
{
	return 0;
}

SEC("freplace/handler")
int freplace_handler(void *ctx)
{
	return 0;
}

SEC("lsm/file_open")
int lsm_file_open(void *ctx)
{
	return 0;
}

SEC("lsm.s/bprm_committed_creds")
int lsm_sleepable(void *ctx)
{
	return 0;
}

SEC("lsm_cgroup/socket_bind")
int lsm_cgroup_bind(void *ctx)
{
	return 1;
}

SEC("iter/task")
int iter_task(void *ctx)
{
	return 0;
}

SEC("iter.s/task")
int iter_task_sleepable(void *ctx)
{
	return 0;
}

SEC("kprobe/do_unlinkat")
int kprobe_unlinkat(void *ctx)
{
	return 0;
}

SEC("kprobe/do_unlinkat+4")
int kprobe_offset(void *ctx)
{
	return 0;
}

SEC("kretprobe/do_unlinkat")
int kretprobe_unlinkat(void *ctx)
{
	return 0;
}

SEC("ksyscall/unlinkat")
int ksyscall_unlinkat(void *ctx)
{
	return 0;
}

SEC("kretsyscall/unlinkat")
int kretsyscall_unlinkat(void *ctx)
{
	return 0;
}

SEC("kprobe.multi/do_unlink*")
int kprobe_multi(void *ctx)
{
	return 0;
}

SEC("kretprobe.multi/do_unlink?t")
int kretprobe_multi(void *ctx)
{
	return 0;
}

SEC("kprobe.session/do_unlinkat")
int kprobe_session(void *ctx)
{
	return 0;
}

SEC("uprobe")
int uprobe_manual(void *ctx)
{
	return 0;
}

SEC("uprobe//usr/lib/x86_64-linux-gnu/libc.so.6:getpid")
int uprobe_getpid(void *ctx)
{
	return 0;
}

SEC("uprobe/libc.so.6:malloc")
int uprobe_malloc(void *ctx)
{
	return 0;
}

SEC("uprobe//usr/lib/x86_64-linux-gnu/libc.so.6:getpid+4")
int uprobe_offset(void *ctx)
{
	return 0;
}

SEC("uretprobe//usr/lib/x86_64-linux-gnu/libc.so.6:getpid")
int uretprobe_getpid(void *ctx)
{
	return 0;
}

SEC("uprobe.s//usr/lib/x86_64-linux-gnu/libc.so.6:malloc")
int uprobe_sleepable(void *ctx)
{
	return 0;
}

SEC("uretprobe.s//usr/lib/x86_64-linux-gnu/libc.so.6:malloc")
int uretprobe_sleepable(void *ctx)
{
	return 0;
}

SEC("uprobe.multi//usr/lib/x86_64-linux-gnu/libc.so.6:get*")
int uprobe_multi(void *ctx)
{
	return 0;
}

SEC("uretprobe.multi//usr/lib/x86_64-linux-gnu/libc.so.6:getpid")
int uretprobe_multi(void *ctx)
{
	return 0;
}

SEC("uprobe.session//usr/lib/x86_64-linux-gnu/libc.so.6:getpid")
int uprobe_session(void *ctx)
{
	return 0;
}

SEC("usdt//usr/lib/x86_64-linux-gnu/libc.so.6:libc:setjmp")
int usdt_setjmp(void *ctx)
{
	return 0;
}

SEC("usdt")
int usdt_manual(void *ctx)
{
	return 0;
}

SEC("perf_event")
int perf_event_prog(void *ctx)
{
	return 0;
}

SEC("xdp")
int xdp_prog(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp.frags")
int xdp_frags(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp/devmap")
int xdp_devmap(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp/cpumap")
int xdp_cpumap(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp.frags/devmap")
int xdp_frags_devmap(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("tc")
int tc_prog(struct __sk_buff *ctx)
{
	return 0;
}

SEC("classifier")
int classifier_prog(struct __sk_buff *ctx)
{
	return 0;
}

SEC("action")
int action_prog(struct __sk_buff *ctx)
{
	return 0;
}

SEC("tcx/ingress")
int tcx_ingress(struct __sk_buff *ctx)
{
	return -1;
}

SEC("tcx/egress")
int tcx_egress(struct __sk_buff *ctx)
{
	return -1;
}

SEC("netkit/primary")
int netkit_primary(struct __sk_buff *ctx)
{
	return -1;
}

SEC("netkit/peer")
int netkit_peer(struct __sk_buff *ctx)
{
	return -1;
}

SEC("socket")
int socket_filter(struct __sk_buff *ctx)
{
	return 0;
}

SEC("sk_lookup")
int sk_lookup_prog(struct bpf_sk_lookup *ctx)
{
	return 1;
}

SEC("sk_msg")
int sk_msg_prog(struct sk_msg_md *ctx)
{
	return 1;
}

SEC("sk_skb")
int sk_skb_prog(struct __sk_buff *ctx)
{
	return 1;
}

SEC("sk_skb/stream_parser")
int sk_skb_parser(struct __sk_buff *ctx)
{
	return 0;
}

SEC("sk_skb/stream_verdict")
int sk_skb_verdict(struct __sk_buff *ctx)
{
	return 1;
}

SEC("sk_skb/verdict")
int sk_skb_verdict_any(struct __sk_buff *ctx)
{
	return 1;
}

SEC("sk_reuseport")
int sk_reuseport_prog(struct sk_reuseport_md *ctx)
{
	return 1;
}

SEC("sk_reuseport/migrate")
int sk_reuseport_migrate(struct sk_reuseport_md *ctx)
{
	return 1;
}

SEC("sockops")
int sockops_prog(struct bpf_sock_ops *ctx)
{
	return 1;
}

SEC("flow_dissector")
int flow_dissector_prog(struct __sk_buff *ctx)
{
	return 0;
}

SEC("netfilter")
int netfilter_prog(void *ctx)
{
	return 1;
}

SEC("lwt_in")
int lwt_in_prog(struct __sk_buff *ctx)
{
	return 0;
}

SEC("lwt_out")
int lwt_out_prog(struct __sk_buff *ctx)
{
	return 0;
}

SEC("lwt_xmit")
int lwt_xmit_prog(struct __sk_buff *ctx)
{
	return 0;
}

SEC("lwt_seg6local")
int lwt_seg6local_prog(struct __sk_buff *ctx)
{
	return 0;
}

SEC("lirc_mode2")
int lirc_mode2_prog(unsigned int *ctx)
{
	return 0;
}

SEC("cgroup_skb/ingress")
int cgroup_skb_ingress(struct __sk_buff *ctx)
{
	return 1;
}

SEC("cgroup_skb/egress")
int cgroup_skb_egress(struct __sk_buff *ctx)
{
	return 1;
}

SEC("cgroup/skb")
int cgroup_skb_any(struct __sk_buff *ctx)
{
	return 1;
}

SEC("cgroup/sock_create")
int cgroup_sock_create(struct bpf_sock *ctx)
{
	return 1;
}

SEC("cgroup/sock")
int cgroup_sock(struct bpf_sock *ctx)
{
	return 1;
}

SEC("cgroup/sock_release")
int cgroup_sock_release(struct bpf_sock *ctx)
{
	return 1;
}

SEC("cgroup/post_bind4")
int cgroup_post_bind4(struct bpf_sock *ctx)
{
	return 1;
}

SEC("cgroup/post_bind6")
int cgroup_post_bind6(struct bpf_sock *ctx)
{
	return 1;
}

SEC("cgroup/bind4")
int cgroup_bind4(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("cgroup/bind6")
int cgroup_bind6(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("cgroup/connect4")
int cgroup_connect4(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("cgroup/connect6")
int cgroup_connect6(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("cgroup/connect_unix")
int cgroup_connect_unix(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("cgroup/sendmsg4")
int cgroup_sendmsg4(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("cgroup/sendmsg6")
int cgroup_sendmsg6(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("cgroup/recvmsg4")
int cgroup_recvmsg4(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("cgroup/recvmsg6")
int cgroup_recvmsg6(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("cgroup/getpeername4")
int cgroup_getpeername4(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("cgroup/getsockname4")
int cgroup_getsockname4(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("cgroup/getsockopt")
int cgroup_getsockopt(struct bpf_sockopt *ctx)
{
	return 1;
}

SEC("cgroup/setsockopt")
int cgroup_setsockopt(struct bpf_sockopt *ctx)
{
	return 1;
}

SEC("cgroup/sysctl")
int cgroup_sysctl(struct bpf_sysctl *ctx)
{
	return 1;
}

SEC("cgroup/dev")
int cgroup_dev(struct bpf_cgroup_dev_ctx *ctx)
{
	return 1;
}

SEC("struct_ops/swiftbpf_op")
int struct_ops_op(void *ctx)
{
	return 0;
}

SEC("struct_ops.s/swiftbpf_sleepable_op")
int struct_ops_sleepable(void *ctx)
{
	return 0;
}

SEC("syscall")
int syscall_prog(void *ctx)
{
	return 0;
}
