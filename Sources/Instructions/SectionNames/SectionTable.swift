import UAPI

// The SEC() name table: every section name libbpf 1.5 to 1.7 accepts, plus the
// sleepable tracepoint names of libbpf 1.8 (in development at the time of
// writing). Written from libbpf's documented rules and its `section_defs`
// list, in that list's order; the rows never overlap, so the order only keeps
// this file easy to compare with libbpf.
//
// Not included (libbpf 1.8 in development): `fentry.multi`, `fexit.multi`,
// `fsession.multi` and their `.s` forms, whose attach type numbers are not in
// a released kernel yet.

extension SectionDefinition {
  /// Every built-in section row. `ProgramSection.parse(_:)` matches against it.
  public static let all: [SectionDefinition] = [
    // Sockets.
    .init("socket", .exact, .socketFilter, nil),
    .init("sk_reuseport/migrate", .exact, .skReuseport, .skReuseportSelectOrMigrate, .attachable),
    .init("sk_reuseport", .exact, .skReuseport, .skReuseportSelect, .attachable),

    // Kernel and user probes (perf-event based).
    .init("kprobe", .optionalTarget, .kprobe, nil, .autoAttach, target: .kprobe),
    .init("uprobe", .optionalTarget, .kprobe, nil, .autoAttach, target: .uprobe),
    .init("uprobe.s", .optionalTarget, .kprobe, nil, [.autoAttach, .sleepable], target: .uprobe),
    .init("kretprobe", .optionalTarget, .kprobe, nil, [.autoAttach, .returnProbe], target: .kprobe),
    .init("uretprobe", .optionalTarget, .kprobe, nil, [.autoAttach, .returnProbe], target: .uprobe),
    .init("uretprobe.s", .optionalTarget, .kprobe, nil, [.autoAttach, .returnProbe, .sleepable], target: .uprobe),

    // Multi-function probes (BPF links). Kernel: kprobe.multi 5.18,
    // uprobe.multi 6.6, kprobe.session 6.10, uprobe.session 6.13.
    .init("kprobe.multi", .optionalTarget, .kprobe, .traceKprobeMulti, [.autoAttach, .multiProbe], target: .kprobeMulti),
    .init("kretprobe.multi", .optionalTarget, .kprobe, .traceKprobeMulti, [.autoAttach, .multiProbe, .returnProbe], target: .kprobeMulti),
    .init("kprobe.session", .optionalTarget, .kprobe, .traceKprobeSession, [.autoAttach, .multiProbe, .session], target: .kprobeMulti),
    .init("uprobe.multi", .optionalTarget, .kprobe, .traceUprobeMulti, [.autoAttach, .multiProbe], target: .uprobeMulti),
    .init("uretprobe.multi", .optionalTarget, .kprobe, .traceUprobeMulti, [.autoAttach, .multiProbe, .returnProbe], target: .uprobeMulti),
    .init("uprobe.session", .optionalTarget, .kprobe, .traceUprobeSession, [.autoAttach, .multiProbe, .session], target: .uprobeMulti),
    .init("uprobe.multi.s", .optionalTarget, .kprobe, .traceUprobeMulti, [.autoAttach, .multiProbe, .sleepable], target: .uprobeMulti),
    .init("uretprobe.multi.s", .optionalTarget, .kprobe, .traceUprobeMulti, [.autoAttach, .multiProbe, .returnProbe, .sleepable], target: .uprobeMulti),
    .init("uprobe.session.s", .optionalTarget, .kprobe, .traceUprobeSession, [.autoAttach, .multiProbe, .session, .sleepable], target: .uprobeMulti),

    // System calls by name (a kprobe on the arch-specific entry point).
    .init("ksyscall", .optionalTarget, .kprobe, nil, .autoAttach, target: .syscall),
    .init("kretsyscall", .optionalTarget, .kprobe, nil, [.autoAttach, .returnProbe], target: .syscall),

    // USDT: uprobes placed by libbpf's USDT manager.
    .init("usdt", .optionalTarget, .kprobe, nil, [.autoAttach, .usdt], target: .usdt),
    .init("usdt.s", .optionalTarget, .kprobe, nil, [.autoAttach, .usdt, .sleepable], target: .usdt),

    // Traffic control. `tc/ingress` and `tc/egress` are aliases of tcx
    // (Kernel: tcx 6.6, netkit 6.7); bare `tc`, `classifier` and `action` are
    // the legacy netlink-attached forms.
    .init("tc/ingress", .exact, .schedCls, .tcxIngress),
    .init("tc/egress", .exact, .schedCls, .tcxEgress),
    .init("tcx/ingress", .exact, .schedCls, .tcxIngress),
    .init("tcx/egress", .exact, .schedCls, .tcxEgress),
    .init("tc", .exact, .schedCls, nil, .deprecated),
    .init("classifier", .exact, .schedCls, nil, .deprecated),
    .init("action", .exact, .schedAct, nil, .deprecated),
    .init("netkit/primary", .exact, .schedCls, .netkitPrimary),
    .init("netkit/peer", .exact, .schedCls, .netkitPeer),

    // Tracepoints. The `.s` forms are libbpf 1.8.
    .init("tracepoint", .optionalTarget, .tracepoint, nil, .autoAttach, target: .tracepoint),
    .init("tp", .optionalTarget, .tracepoint, nil, .autoAttach, target: .tracepoint),
    .init("tracepoint.s", .optionalTarget, .tracepoint, nil, [.autoAttach, .sleepable], target: .tracepoint),
    .init("tp.s", .optionalTarget, .tracepoint, nil, [.autoAttach, .sleepable], target: .tracepoint),
    .init("raw_tracepoint", .optionalTarget, .rawTracepoint, nil, .autoAttach, target: .rawTracepoint),
    .init("raw_tp", .optionalTarget, .rawTracepoint, nil, .autoAttach, target: .rawTracepoint),
    .init("raw_tracepoint.s", .optionalTarget, .rawTracepoint, nil, [.autoAttach, .sleepable], target: .rawTracepoint),
    .init("raw_tp.s", .optionalTarget, .rawTracepoint, nil, [.autoAttach, .sleepable], target: .rawTracepoint),
    .init("raw_tracepoint.w", .optionalTarget, .rawTracepointWritable, nil, .autoAttach, target: .rawTracepoint),
    .init("raw_tp.w", .optionalTarget, .rawTracepointWritable, nil, .autoAttach, target: .rawTracepoint),

    // BTF-attached tracing: the target is a BTF name resolved at load time.
    .init("tp_btf", .optionalTarget, .tracing, .traceRawTp, btfTracing, target: .btfFunction),
    .init("tp_btf.s", .optionalTarget, .tracing, .traceRawTp, btfTracing.union(.sleepable), target: .btfFunction),
    .init("fentry", .optionalTarget, .tracing, .traceFentry, btfTracing, target: .btfFunction),
    .init("fmod_ret", .optionalTarget, .tracing, .modifyReturn, btfTracing, target: .btfFunction),
    .init("fexit", .optionalTarget, .tracing, .traceFexit, btfTracing, target: .btfFunction),
    .init("fentry.s", .optionalTarget, .tracing, .traceFentry, btfTracing.union(.sleepable), target: .btfFunction),
    .init("fmod_ret.s", .optionalTarget, .tracing, .modifyReturn, btfTracing.union(.sleepable), target: .btfFunction),
    .init("fexit.s", .optionalTarget, .tracing, .traceFexit, btfTracing.union(.sleepable), target: .btfFunction),
    .init("fsession", .optionalTarget, .tracing, traceFsession, btfTracing.union(.session), target: .btfFunction),
    .init("fsession.s", .optionalTarget, .tracing, traceFsession, btfTracing.union([.session, .sleepable]), target: .btfFunction),
    .init("freplace", .optionalTarget, .ext, nil, btfTracing, target: .btfFunction),
    .init("lsm", .optionalTarget, .lsm, .lsmMac, btfTracing, target: .btfFunction),
    .init("lsm.s", .optionalTarget, .lsm, .lsmMac, btfTracing.union(.sleepable), target: .btfFunction),
    // Attached to a cgroup, so no auto-attach.
    .init("lsm_cgroup", .optionalTarget, .lsm, .lsmCgroup, .attachBTF, target: .btfFunction),
    .init("iter", .optionalTarget, .tracing, .traceIter, btfTracing, target: .iterator),
    .init("iter.s", .optionalTarget, .tracing, .traceIter, btfTracing.union(.sleepable), target: .iterator),
    .init("syscall", .exact, .syscall, nil, .sleepable),

    // XDP. Kernel: devmap programs 5.8, cpumap programs 5.9, frags 5.18.
    .init("xdp.frags/devmap", .exact, .xdp, .xdpDevmap, .xdpFrags),
    .init("xdp/devmap", .exact, .xdp, .xdpDevmap, .attachable),
    .init("xdp.frags/cpumap", .exact, .xdp, .xdpCpumap, .xdpFrags),
    .init("xdp/cpumap", .exact, .xdp, .xdpCpumap, .attachable),
    .init("xdp.frags", .exact, .xdp, .xdp, .xdpFrags),
    .init("xdp", .exact, .xdp, .xdp, attachableOptional),

    .init("perf_event", .exact, .perfEvent, nil),
    .init("lwt_in", .exact, .lwtIn, nil),
    .init("lwt_out", .exact, .lwtOut, nil),
    .init("lwt_xmit", .exact, .lwtXmit, nil),
    .init("lwt_seg6local", .exact, .lwtSeg6local, nil),

    // Socket maps and other BPF_PROG_ATTACH programs.
    .init("sockops", .exact, .sockOps, .cgroupSockOps, attachableOptional),
    .init("sk_skb/stream_parser", .exact, .skSkb, .skSkbStreamParser, attachableOptional),
    .init("sk_skb/stream_verdict", .exact, .skSkb, .skSkbStreamVerdict, attachableOptional),
    .init("sk_skb/verdict", .exact, .skSkb, .skSkbVerdict, attachableOptional),
    .init("sk_skb", .exact, .skSkb, nil),
    .init("sk_msg", .exact, .skMsg, .skMsgVerdict, attachableOptional),
    .init("lirc_mode2", .exact, .lircMode2, .lircMode2, attachableOptional),
    .init("flow_dissector", .exact, .flowDissector, .flowDissector, attachableOptional),

    // cgroup programs.
    .init("cgroup_skb/ingress", .exact, .cgroupSkb, .cgroupInetIngress, attachableOptional),
    .init("cgroup_skb/egress", .exact, .cgroupSkb, .cgroupInetEgress, attachableOptional),
    .init("cgroup/skb", .exact, .cgroupSkb, nil),
    .init("cgroup/sock_create", .exact, .cgroupSock, .cgroupInetSockCreate, .attachable),
    .init("cgroup/sock_release", .exact, .cgroupSock, .cgroupInetSockRelease, .attachable),
    .init("cgroup/sock", .exact, .cgroupSock, .cgroupInetSockCreate, attachableOptional),
    .init("cgroup/post_bind4", .exact, .cgroupSock, .cgroupInet4PostBind, .attachable),
    .init("cgroup/post_bind6", .exact, .cgroupSock, .cgroupInet6PostBind, .attachable),
    .init("cgroup/bind4", .exact, .cgroupSockAddr, .cgroupInet4Bind, .attachable),
    .init("cgroup/bind6", .exact, .cgroupSockAddr, .cgroupInet6Bind, .attachable),
    .init("cgroup/connect4", .exact, .cgroupSockAddr, .cgroupInet4Connect, .attachable),
    .init("cgroup/connect6", .exact, .cgroupSockAddr, .cgroupInet6Connect, .attachable),
    .init("cgroup/connect_unix", .exact, .cgroupSockAddr, .cgroupUnixConnect, .attachable),
    .init("cgroup/sendmsg4", .exact, .cgroupSockAddr, .cgroupUdp4Sendmsg, .attachable),
    .init("cgroup/sendmsg6", .exact, .cgroupSockAddr, .cgroupUdp6Sendmsg, .attachable),
    .init("cgroup/sendmsg_unix", .exact, .cgroupSockAddr, .cgroupUnixSendmsg, .attachable),
    .init("cgroup/recvmsg4", .exact, .cgroupSockAddr, .cgroupUdp4Recvmsg, .attachable),
    .init("cgroup/recvmsg6", .exact, .cgroupSockAddr, .cgroupUdp6Recvmsg, .attachable),
    .init("cgroup/recvmsg_unix", .exact, .cgroupSockAddr, .cgroupUnixRecvmsg, .attachable),
    .init("cgroup/getpeername4", .exact, .cgroupSockAddr, .cgroupInet4Getpeername, .attachable),
    .init("cgroup/getpeername6", .exact, .cgroupSockAddr, .cgroupInet6Getpeername, .attachable),
    .init("cgroup/getpeername_unix", .exact, .cgroupSockAddr, .cgroupUnixGetpeername, .attachable),
    .init("cgroup/getsockname4", .exact, .cgroupSockAddr, .cgroupInet4Getsockname, .attachable),
    .init("cgroup/getsockname6", .exact, .cgroupSockAddr, .cgroupInet6Getsockname, .attachable),
    .init("cgroup/getsockname_unix", .exact, .cgroupSockAddr, .cgroupUnixGetsockname, .attachable),
    .init("cgroup/sysctl", .exact, .cgroupSysctl, .cgroupSysctl, .attachable),
    .init("cgroup/getsockopt", .exact, .cgroupSockopt, .cgroupGetsockopt, .attachable),
    .init("cgroup/setsockopt", .exact, .cgroupSockopt, .cgroupSetsockopt, .attachable),
    .init("cgroup/dev", .exact, .cgroupDevice, .cgroupDevice, attachableOptional),

    // struct_ops programs are attached through their struct_ops map.
    .init("struct_ops", .optionalTarget, .structOps, nil, target: .structOps),
    .init("struct_ops.s", .optionalTarget, .structOps, nil, .sleepable, target: .structOps),
    .init("sk_lookup", .exact, .skLookup, .skLookup, .attachable),
    .init("netfilter", .exact, .netfilter, .netfilter),
  ]
}

/// `SEC_ATTACHABLE_OPT` in libbpf: attachable, and the attach type may be
/// dropped on old kernels.
private let attachableOptional: ProgramSection.Flags = [.attachable, .attachTypeOptional]

/// BTF-attached programs with an auto-attach handler.
private let btfTracing: ProgramSection.Flags = [.attachBTF, .autoAttach]

/// Kernel: `BPF_TRACE_FSESSION` (58), after `BPF_TRACE_UPROBE_SESSION`; not in
/// Linux 6.18, so not yet in `UAPI.AttachType`. Kept private until UAPI names it.
private let traceFsession = AttachType(rawValue: 58)
