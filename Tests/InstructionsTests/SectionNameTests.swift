import Testing
import UAPI
@testable import Instructions

/// One row of the program_types table of the kernel's libbpf documentation
/// (Documentation/bpf/libbpf/program_types.rst, Linux 6.6), copied from that
/// text: the ELF section name as the table writes it (`type+` = `type` or
/// `type/extras`), the program type, the attach type (nil where the column is
/// empty), and the Sleepable column.
struct DocumentedSection: Sendable, CustomTestStringConvertible {
  var section: String
  var programType: String
  var attachType: String?
  var sleepable: Bool
  /// For `type+` rows: extras written in the footnote's format.
  var exampleTarget: String?

  init(_ section: String, _ programType: String, _ attachType: String?, sleepable: Bool = false, example: String? = nil) {
    self.section = section
    self.programType = programType
    self.attachType = attachType
    self.sleepable = sleepable
    self.exampleTarget = example
  }

  var testDescription: String { section }

  /// The names this row documents: `type`, and `type/extras` for `type+`.
  var names: [String] {
    guard section.hasSuffix("+") else { return [section] }
    let bare = String(section.dropLast())
    return [bare] + (exampleTarget.map { ["\(bare)/\($0)"] } ?? [])
  }
}

/// The documentation's table, row by row, in its order.
let documentedSections: [DocumentedSection] = [
  .init("cgroup/dev", "BPF_PROG_TYPE_CGROUP_DEVICE", "BPF_CGROUP_DEVICE"),
  .init("cgroup/skb", "BPF_PROG_TYPE_CGROUP_SKB", nil),
  .init("cgroup_skb/egress", "BPF_PROG_TYPE_CGROUP_SKB", "BPF_CGROUP_INET_EGRESS"),
  .init("cgroup_skb/ingress", "BPF_PROG_TYPE_CGROUP_SKB", "BPF_CGROUP_INET_INGRESS"),
  .init("cgroup/getsockopt", "BPF_PROG_TYPE_CGROUP_SOCKOPT", "BPF_CGROUP_GETSOCKOPT"),
  .init("cgroup/setsockopt", "BPF_PROG_TYPE_CGROUP_SOCKOPT", "BPF_CGROUP_SETSOCKOPT"),
  .init("cgroup/bind4", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_INET4_BIND"),
  .init("cgroup/connect4", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_INET4_CONNECT"),
  .init("cgroup/getpeername4", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_INET4_GETPEERNAME"),
  .init("cgroup/getsockname4", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_INET4_GETSOCKNAME"),
  .init("cgroup/bind6", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_INET6_BIND"),
  .init("cgroup/connect6", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_INET6_CONNECT"),
  .init("cgroup/getpeername6", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_INET6_GETPEERNAME"),
  .init("cgroup/getsockname6", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_INET6_GETSOCKNAME"),
  .init("cgroup/recvmsg4", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_UDP4_RECVMSG"),
  .init("cgroup/sendmsg4", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_UDP4_SENDMSG"),
  .init("cgroup/recvmsg6", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_UDP6_RECVMSG"),
  .init("cgroup/sendmsg6", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_UDP6_SENDMSG"),
  .init("cgroup/post_bind4", "BPF_PROG_TYPE_CGROUP_SOCK", "BPF_CGROUP_INET4_POST_BIND"),
  .init("cgroup/post_bind6", "BPF_PROG_TYPE_CGROUP_SOCK", "BPF_CGROUP_INET6_POST_BIND"),
  .init("cgroup/sock_create", "BPF_PROG_TYPE_CGROUP_SOCK", "BPF_CGROUP_INET_SOCK_CREATE"),
  .init("cgroup/sock", "BPF_PROG_TYPE_CGROUP_SOCK", "BPF_CGROUP_INET_SOCK_CREATE"),
  .init("cgroup/sock_release", "BPF_PROG_TYPE_CGROUP_SOCK", "BPF_CGROUP_INET_SOCK_RELEASE"),
  .init("cgroup/sysctl", "BPF_PROG_TYPE_CGROUP_SYSCTL", "BPF_CGROUP_SYSCTL"),
  .init("freplace+", "BPF_PROG_TYPE_EXT", nil, example: "xdp_dummy_prog"),
  .init("flow_dissector", "BPF_PROG_TYPE_FLOW_DISSECTOR", "BPF_FLOW_DISSECTOR"),
  .init("kprobe+", "BPF_PROG_TYPE_KPROBE", nil, example: "do_unlinkat+0x10"),
  .init("kretprobe+", "BPF_PROG_TYPE_KPROBE", nil, example: "do_unlinkat"),
  .init("ksyscall+", "BPF_PROG_TYPE_KPROBE", nil, example: "openat"),
  .init("kretsyscall+", "BPF_PROG_TYPE_KPROBE", nil, example: "openat"),
  .init("uprobe+", "BPF_PROG_TYPE_KPROBE", nil, example: "/usr/lib/libc.so.6:malloc"),
  .init("uprobe.s+", "BPF_PROG_TYPE_KPROBE", nil, sleepable: true, example: "/usr/lib/libc.so.6:malloc"),
  .init("uretprobe+", "BPF_PROG_TYPE_KPROBE", nil, example: "/usr/lib/libc.so.6:malloc"),
  .init("uretprobe.s+", "BPF_PROG_TYPE_KPROBE", nil, sleepable: true, example: "/usr/lib/libc.so.6:malloc"),
  .init("usdt+", "BPF_PROG_TYPE_KPROBE", nil, example: "/usr/lib/libc.so.6:libc:setjmp"),
  .init("kprobe.multi+", "BPF_PROG_TYPE_KPROBE", "BPF_TRACE_KPROBE_MULTI", example: "do_unlink*"),
  .init("kretprobe.multi+", "BPF_PROG_TYPE_KPROBE", "BPF_TRACE_KPROBE_MULTI", example: "do_unlink?t"),
  .init("lirc_mode2", "BPF_PROG_TYPE_LIRC_MODE2", "BPF_LIRC_MODE2"),
  .init("lsm_cgroup+", "BPF_PROG_TYPE_LSM", "BPF_LSM_CGROUP", example: "socket_bind"),
  .init("lsm+", "BPF_PROG_TYPE_LSM", "BPF_LSM_MAC", example: "file_open"),
  .init("lsm.s+", "BPF_PROG_TYPE_LSM", "BPF_LSM_MAC", sleepable: true, example: "file_open"),
  .init("lwt_in", "BPF_PROG_TYPE_LWT_IN", nil),
  .init("lwt_out", "BPF_PROG_TYPE_LWT_OUT", nil),
  .init("lwt_seg6local", "BPF_PROG_TYPE_LWT_SEG6LOCAL", nil),
  .init("lwt_xmit", "BPF_PROG_TYPE_LWT_XMIT", nil),
  .init("perf_event", "BPF_PROG_TYPE_PERF_EVENT", nil),
  .init("raw_tp.w+", "BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE", nil, example: "bpf_testmod_test_writable_bare"),
  .init("raw_tracepoint.w+", "BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE", nil, example: "bpf_testmod_test_writable_bare"),
  .init("raw_tp+", "BPF_PROG_TYPE_RAW_TRACEPOINT", nil, example: "sched_switch"),
  .init("raw_tracepoint+", "BPF_PROG_TYPE_RAW_TRACEPOINT", nil, example: "sched_switch"),
  .init("action", "BPF_PROG_TYPE_SCHED_ACT", nil),
  .init("classifier", "BPF_PROG_TYPE_SCHED_CLS", nil),
  .init("tc", "BPF_PROG_TYPE_SCHED_CLS", nil),
  .init("sk_lookup", "BPF_PROG_TYPE_SK_LOOKUP", "BPF_SK_LOOKUP"),
  .init("sk_msg", "BPF_PROG_TYPE_SK_MSG", "BPF_SK_MSG_VERDICT"),
  .init("sk_reuseport/migrate", "BPF_PROG_TYPE_SK_REUSEPORT", "BPF_SK_REUSEPORT_SELECT_OR_MIGRATE"),
  .init("sk_reuseport", "BPF_PROG_TYPE_SK_REUSEPORT", "BPF_SK_REUSEPORT_SELECT"),
  .init("sk_skb", "BPF_PROG_TYPE_SK_SKB", nil),
  .init("sk_skb/stream_parser", "BPF_PROG_TYPE_SK_SKB", "BPF_SK_SKB_STREAM_PARSER"),
  .init("sk_skb/stream_verdict", "BPF_PROG_TYPE_SK_SKB", "BPF_SK_SKB_STREAM_VERDICT"),
  .init("socket", "BPF_PROG_TYPE_SOCKET_FILTER", nil),
  .init("sockops", "BPF_PROG_TYPE_SOCK_OPS", "BPF_CGROUP_SOCK_OPS"),
  .init("struct_ops+", "BPF_PROG_TYPE_STRUCT_OPS", nil, example: "ssthresh"),
  .init("syscall", "BPF_PROG_TYPE_SYSCALL", nil, sleepable: true),
  .init("tp+", "BPF_PROG_TYPE_TRACEPOINT", nil, example: "syscalls/sys_enter_openat"),
  .init("tracepoint+", "BPF_PROG_TYPE_TRACEPOINT", nil, example: "syscalls/sys_enter_openat"),
  .init("fmod_ret+", "BPF_PROG_TYPE_TRACING", "BPF_MODIFY_RETURN", example: "bpf_modify_return_test"),
  .init("fmod_ret.s+", "BPF_PROG_TYPE_TRACING", "BPF_MODIFY_RETURN", sleepable: true, example: "bpf_modify_return_test"),
  .init("fentry+", "BPF_PROG_TYPE_TRACING", "BPF_TRACE_FENTRY", example: "do_unlinkat"),
  .init("fentry.s+", "BPF_PROG_TYPE_TRACING", "BPF_TRACE_FENTRY", sleepable: true, example: "do_unlinkat"),
  .init("fexit+", "BPF_PROG_TYPE_TRACING", "BPF_TRACE_FEXIT", example: "do_unlinkat"),
  .init("fexit.s+", "BPF_PROG_TYPE_TRACING", "BPF_TRACE_FEXIT", sleepable: true, example: "do_unlinkat"),
  .init("iter+", "BPF_PROG_TYPE_TRACING", "BPF_TRACE_ITER", example: "task"),
  .init("iter.s+", "BPF_PROG_TYPE_TRACING", "BPF_TRACE_ITER", sleepable: true, example: "task"),
  .init("tp_btf+", "BPF_PROG_TYPE_TRACING", "BPF_TRACE_RAW_TP", example: "sched_switch"),
  .init("xdp.frags/cpumap", "BPF_PROG_TYPE_XDP", "BPF_XDP_CPUMAP"),
  .init("xdp/cpumap", "BPF_PROG_TYPE_XDP", "BPF_XDP_CPUMAP"),
  .init("xdp.frags/devmap", "BPF_PROG_TYPE_XDP", "BPF_XDP_DEVMAP"),
  .init("xdp/devmap", "BPF_PROG_TYPE_XDP", "BPF_XDP_DEVMAP"),
  .init("xdp.frags", "BPF_PROG_TYPE_XDP", "BPF_XDP"),
  .init("xdp", "BPF_PROG_TYPE_XDP", "BPF_XDP"),
]

/// Names libbpf accepts that the 6.6 documentation does not list, with the
/// types libbpf's `section_defs` gives them (libbpf 1.5 to 1.8 source).
let newerSections: [DocumentedSection] = [
  .init("tc/ingress", "BPF_PROG_TYPE_SCHED_CLS", "BPF_TCX_INGRESS"),
  .init("tc/egress", "BPF_PROG_TYPE_SCHED_CLS", "BPF_TCX_EGRESS"),
  .init("tcx/ingress", "BPF_PROG_TYPE_SCHED_CLS", "BPF_TCX_INGRESS"),
  .init("tcx/egress", "BPF_PROG_TYPE_SCHED_CLS", "BPF_TCX_EGRESS"),
  .init("netkit/primary", "BPF_PROG_TYPE_SCHED_CLS", "BPF_NETKIT_PRIMARY"),
  .init("netkit/peer", "BPF_PROG_TYPE_SCHED_CLS", "BPF_NETKIT_PEER"),
  .init("netfilter", "BPF_PROG_TYPE_NETFILTER", "BPF_NETFILTER"),
  .init("sk_skb/verdict", "BPF_PROG_TYPE_SK_SKB", "BPF_SK_SKB_VERDICT"),
  .init("cgroup/connect_unix", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_UNIX_CONNECT"),
  .init("cgroup/sendmsg_unix", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_UNIX_SENDMSG"),
  .init("cgroup/recvmsg_unix", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_UNIX_RECVMSG"),
  .init("cgroup/getpeername_unix", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_UNIX_GETPEERNAME"),
  .init("cgroup/getsockname_unix", "BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_CGROUP_UNIX_GETSOCKNAME"),
  .init("kprobe.session+", "BPF_PROG_TYPE_KPROBE", "BPF_TRACE_KPROBE_SESSION", example: "do_unlink*"),
  .init("uprobe.multi+", "BPF_PROG_TYPE_KPROBE", "BPF_TRACE_UPROBE_MULTI", example: "/usr/bin/bash:readline*"),
  .init("uretprobe.multi+", "BPF_PROG_TYPE_KPROBE", "BPF_TRACE_UPROBE_MULTI", example: "/usr/bin/bash:readline*"),
  .init("uprobe.session+", "BPF_PROG_TYPE_KPROBE", "BPF_TRACE_UPROBE_SESSION", example: "/usr/bin/bash:readline"),
  .init("uprobe.multi.s+", "BPF_PROG_TYPE_KPROBE", "BPF_TRACE_UPROBE_MULTI", sleepable: true, example: "/usr/bin/bash:readline*"),
  .init("uretprobe.multi.s+", "BPF_PROG_TYPE_KPROBE", "BPF_TRACE_UPROBE_MULTI", sleepable: true, example: "/usr/bin/bash:readline*"),
  .init("uprobe.session.s+", "BPF_PROG_TYPE_KPROBE", "BPF_TRACE_UPROBE_SESSION", sleepable: true, example: "/usr/bin/bash:readline"),
  .init("usdt.s+", "BPF_PROG_TYPE_KPROBE", nil, sleepable: true, example: "/usr/lib/libc.so.6:libc:setjmp"),
  .init("struct_ops.s+", "BPF_PROG_TYPE_STRUCT_OPS", nil, sleepable: true, example: "init"),
  .init("tracepoint.s+", "BPF_PROG_TYPE_TRACEPOINT", nil, sleepable: true, example: "syscalls/sys_enter_openat"),
  .init("tp.s+", "BPF_PROG_TYPE_TRACEPOINT", nil, sleepable: true, example: "syscalls/sys_enter_openat"),
  .init("raw_tracepoint.s+", "BPF_PROG_TYPE_RAW_TRACEPOINT", nil, sleepable: true, example: "sys_enter"),
  .init("raw_tp.s+", "BPF_PROG_TYPE_RAW_TRACEPOINT", nil, sleepable: true, example: "sys_enter"),
  .init("tp_btf.s+", "BPF_PROG_TYPE_TRACING", "BPF_TRACE_RAW_TP", sleepable: true, example: "sys_enter"),
  // BPF_TRACE_FSESSION is not in Linux 6.18's enum; UAPI prints it by number
  // (58: the next value after BPF_TRACE_UPROBE_SESSION in libbpf's bpf.h).
  .init("fsession+", "BPF_PROG_TYPE_TRACING", "BPF_58", example: "do_unlinkat"),
  .init("fsession.s+", "BPF_PROG_TYPE_TRACING", "BPF_58", sleepable: true, example: "do_unlinkat"),
]

@Suite("Section names: the libbpf documentation's program_types table")
struct SectionNameDocumentationTests {
  @Test("documented row", arguments: documentedSections)
  func documentedRow(_ row: DocumentedSection) throws {
    try check(row)
  }

  @Test("newer libbpf row", arguments: newerSections)
  func newerRow(_ row: DocumentedSection) throws {
    try check(row)
  }

  private func check(_ row: DocumentedSection) throws {
    for name in row.names {
      let section = try ProgramSection.parse(name)
      #expect(section.name == name)
      #expect(section.programType.kernelName == row.programType, "\(name)")
      #expect(section.expectedAttachType?.kernelName == row.attachType, "\(name)")
      #expect(section.isSleepable == row.sleepable, "\(name)")
      #expect(section.autoload)
      #expect(section.invalidTargetReason == nil, "\(name): \(section.invalidTargetReason ?? "")")
      // `type+` alone has no target; with the footnote's extras it has one.
      let hasExtras = row.section.hasSuffix("+") && name != String(row.section.dropLast())
      #expect((section.attachTarget != nil) == hasExtras, "\(name)")
    }
  }

  @Test("every documented and newer row is in the table, and the table has no other")
  func tableCoversExactlyTheRows() {
    let expected = Set((documentedSections + newerSections).map(\.section))
    let table = Set(SectionDefinition.all.map(\.description))
    #expect(table == expected)
  }
}

@Suite("Section names: matching")
struct SectionNameMatchingTests {
  @Test("each row's own name finds that row")
  func rowsFindThemselves() throws {
    for row in SectionDefinition.all {
      let section = try ProgramSection.parse(row.name)
      #expect(section.definition == row)
      #expect(section.targetText == nil)
    }
  }

  @Test("row names are unique and `+` rows have no '/' (the index relies on it)")
  func tableInvariants() {
    let names = SectionDefinition.all.map(\.name)
    #expect(Set(names).count == names.count)
    for row in SectionDefinition.all where row.matching == .optionalTarget {
      #expect(!row.name.contains("/"), "\(row.name)")
    }
  }

  /// The `type` / `type+` rules of the documentation's preamble.
  @Test("exact names take no extras; `type+` names take them only after '/'", arguments: [
    "xdp/foo", "socket/x", "tc/foo", "tcx", "netkit", "sk_skb/foo", "cgroup/connect4/x",
    "cgroup/foo", "cgroup", "kprobe_foo", "kprobex/do_exit", "kprobe.multix", "uprobe.sx",
    "kprobe.s/do_exit", "xdp.frags/foo", "syscall.s", "tp_btf.w/x", "", "/", "?", "??xdp",
    "KPROBE/do_exit", " kprobe", "kprobe ", "sec", ".text", "license", "maps",
  ])
  func rejects(_ name: String) {
    #expect(throws: UnknownSectionName.self) { try ProgramSection.parse(name) }
  }

  @Test("`type+` with an empty or odd target still matches the row", arguments: [
    ("kprobe/", "BPF_PROG_TYPE_KPROBE"), ("fentry/", "BPF_PROG_TYPE_TRACING"),
    ("tp/", "BPF_PROG_TYPE_TRACEPOINT"), ("struct_ops/", "BPF_PROG_TYPE_STRUCT_OPS"),
  ])
  func emptyTargetMatches(_ name: String, _ type: String) throws {
    let section = try ProgramSection.parse(name)
    #expect(section.programType.kernelName == type)
    #expect(section.attachTarget == nil)
    #expect(section.targetText == "")
    #expect(!section.canAutoAttach)
  }

  @Test("'?' turns autoload off and is kept in the name")
  func questionMarkPrefix() throws {
    let probe = try ProgramSection.parse("?kprobe/do_exit")
    #expect(!probe.autoload)
    #expect(probe.name == "?kprobe/do_exit")
    #expect(probe.programType == .kprobe)
    #expect(probe.attachTarget == .kprobe(function: "do_exit", offset: 0))
    #expect(probe.canAutoAttach)

    let xdp = try ProgramSection.parse("?xdp")
    #expect(!xdp.autoload)
    #expect(xdp.programType == .xdp)
    #expect(xdp.expectedAttachType == .xdp)

    let sleepable = try ProgramSection.parse("?fentry.s/do_unlinkat")
    #expect(!sleepable.autoload)
    #expect(sleepable.isSleepable)
    #expect(sleepable.flags.contains(.sleepable))

    #expect(try ProgramSection.parse("kprobe/do_exit").autoload)
  }

  @Test("'.s' names are sleepable, their plain forms are not", arguments: [
    ("uprobe.s", "uprobe"), ("uretprobe.s", "uretprobe"), ("uprobe.multi.s", "uprobe.multi"),
    ("uretprobe.multi.s", "uretprobe.multi"), ("uprobe.session.s", "uprobe.session"),
    ("usdt.s", "usdt"), ("tp.s", "tp"), ("tracepoint.s", "tracepoint"), ("raw_tp.s", "raw_tp"),
    ("raw_tracepoint.s", "raw_tracepoint"), ("tp_btf.s", "tp_btf"), ("fentry.s", "fentry"),
    ("fmod_ret.s", "fmod_ret"), ("fexit.s", "fexit"), ("fsession.s", "fsession"),
    ("lsm.s", "lsm"), ("iter.s", "iter"), ("struct_ops.s", "struct_ops"),
  ])
  func sleepableVariants(_ sleepable: String, _ plain: String) throws {
    let s = try ProgramSection.parse(sleepable)
    let p = try ProgramSection.parse(plain)
    #expect(s.isSleepable && s.flags.contains(.sleepable))
    #expect(!p.isSleepable && !p.flags.contains(.sleepable))
    #expect(s.programType == p.programType)
    #expect(s.expectedAttachType == p.expectedAttachType)
  }

  @Test("XDP frags, USDT, BTF, deprecated and legacy-attachable flags")
  func rowFlags() throws {
    for name in ["xdp.frags", "xdp.frags/devmap", "xdp.frags/cpumap"] {
      #expect(try ProgramSection.parse(name).flags.contains(.xdpFrags), "\(name)")
    }
    for name in ["xdp", "xdp/devmap", "xdp/cpumap"] {
      #expect(try !ProgramSection.parse(name).flags.contains(.xdpFrags), "\(name)")
    }
    #expect(try ProgramSection.parse("usdt").flags.contains(.usdt))
    #expect(try ProgramSection.parse("usdt.s/a:b:c").flags.contains(.usdt))
    for name in ["fentry", "fexit", "fmod_ret", "freplace", "tp_btf", "lsm", "lsm_cgroup", "iter"] {
      #expect(try ProgramSection.parse(name).flags.contains(.attachBTF), "\(name)")
    }
    for name in ["tc", "classifier", "action"] {
      #expect(try ProgramSection.parse(name).flags.contains(.deprecated), "\(name)")
    }
    #expect(try !ProgramSection.parse("tcx/ingress").flags.contains(.deprecated))
    // SEC_ATTACHABLE_OPT: attachable, attach type optional on old kernels.
    for name in ["xdp", "sockops", "sk_msg", "cgroup/dev", "cgroup/sock", "cgroup_skb/ingress"] {
      #expect(try ProgramSection.parse(name).flags.isSuperset(of: [.attachable, .attachTypeOptional]), "\(name)")
    }
    #expect(try ProgramSection.parse("cgroup/connect4").flags.contains(.attachable))
    #expect(try !ProgramSection.parse("cgroup/connect4").flags.contains(.attachTypeOptional))
    #expect(try ProgramSection.parse("kretprobe.multi/x").flags.isSuperset(of: [.returnProbe, .multiProbe]))
    #expect(try ProgramSection.parse("kprobe.session/x").flags.isSuperset(of: [.session, .multiProbe]))
  }
}

@Suite("Section names: unknown names")
struct SectionNameUnknownTests {
  @Test("the error names the section and a sensible nearest known name", arguments: [
    ("kprob/do_exit", "kprobe"),
    ("kpobe", "kprobe"),
    ("tracepont/sched/sched_switch", "tracepoint"),
    ("fentri/do_unlinkat", "fentry"),
    ("xdp/foo", "xdp"),
    ("?xdp/foo", "xdp"),
    ("socket/x", "socket"),
    ("cgroup/conect4", "cgroup/connect4"),
    ("cgroup_skb/ingres", "cgroup_skb/ingress"),
    ("sk_skb/stream_verdic", "sk_skb/stream_verdict"),
    ("tcx/foo", "tcx/egress"),  // or tcx/ingress: both 1 away; egress is closer as a whole
    ("kprobe_multi/do_*", "kprobe.multi"),
    ("kprobe.s/do_exit", "kprobe"),
    ("perf", "perf_event"),
    ("uprobes//bin/bash:readline", "uprobe"),
  ])
  func nearestKnown(_ name: String, _ nearest: String) {
    let error = #expect(throws: UnknownSectionName.self) { try ProgramSection.parse(name) }
    #expect(error?.section == name)
    #expect(error?.nearestKnown == nearest)
    let text = error?.description ?? ""
    #expect(text.contains("\"\(name)\""))
    #expect(text.contains("\"\(nearest)\""))
    #expect(text.contains("fix the SEC() name"))
    #expect(text.contains("set the program type explicitly before load"))
    #expect(!text.contains("\n"))
  }

  @Test("names far from every row get no suggestion", arguments: ["zzzzzzzz", "license", ".maps", "q"])
  func noSuggestion(_ name: String) {
    let error = #expect(throws: UnknownSectionName.self) { try ProgramSection.parse(name) }
    #expect(error?.nearestKnown == nil)
    #expect(error?.description.contains("no known section name is close") == true)
  }

  @Test("the message shows how to write a `type+` row and flags a missing .s form")
  func messageDetails() {
    let probe = #expect(throws: UnknownSectionName.self) { try ProgramSection.parse("kprob/do_exit") }
    #expect(probe?.description.contains("kprobe[/<function>[+<offset>]]") == true)
    let sleepable = #expect(throws: UnknownSectionName.self) { try ProgramSection.parse("kprobe.s/do_exit") }
    #expect(sleepable?.description.contains("no sleepable .s form") == true)
  }
}
