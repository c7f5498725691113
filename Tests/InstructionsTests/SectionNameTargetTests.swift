import Testing
import UAPI
@testable import Instructions

/// A section name with a target and what the documentation's footnotes (and,
/// for formats they do not cover, libbpf's attach handlers) say it means.
struct TargetCase: Sendable, CustomTestStringConvertible {
  var section: String
  var target: AttachTarget
  var canAutoAttach: Bool
  init(_ section: String, _ target: AttachTarget, autoAttach: Bool = true) {
    self.section = section
    self.target = target
    self.canAutoAttach = autoAttach
  }
  var testDescription: String { section }
}

let targetCases: [TargetCase] = [
  // [#tp] tracepoint/<category>/<name>
  .init("tp/syscalls/sys_enter_openat", .tracepoint(category: "syscalls", name: "sys_enter_openat")),
  .init("tracepoint/sched/sched_switch", .tracepoint(category: "sched", name: "sched_switch")),
  .init("tp.s/syscalls/sys_enter_openat", .tracepoint(category: "syscalls", name: "sys_enter_openat")),
  // [#rawtp] raw_tracepoint[.w]/<tracepoint>
  .init("raw_tp/sched_switch", .rawTracepoint("sched_switch")),
  .init("raw_tracepoint/sched_switch", .rawTracepoint("sched_switch")),
  .init("raw_tp.w/bpf_testmod_test_writable_bare", .rawTracepoint("bpf_testmod_test_writable_bare")),
  .init("raw_tracepoint.w/bpf_testmod_test_writable_bare", .rawTracepoint("bpf_testmod_test_writable_bare")),
  // [#fentry] fentry[.s]/<function>, also fexit, fmod_ret, freplace, tp_btf
  .init("fentry/do_unlinkat", .kernelFunction("do_unlinkat")),
  .init("fentry.s/do_unlinkat", .kernelFunction("do_unlinkat")),
  .init("fexit/do_unlinkat", .kernelFunction("do_unlinkat")),
  .init("fexit.s/do_unlinkat", .kernelFunction("do_unlinkat")),
  .init("fmod_ret/bpf_modify_return_test", .kernelFunction("bpf_modify_return_test")),
  .init("fmod_ret.s/bpf_modify_return_test", .kernelFunction("bpf_modify_return_test")),
  .init("fsession/do_unlinkat", .kernelFunction("do_unlinkat")),
  .init("freplace/xdp_dummy_prog", .kernelFunction("xdp_dummy_prog")),
  .init("tp_btf/sched_switch", .kernelFunction("sched_switch")),
  .init("fentry/bpf_testmod:bpf_testmod_test_read", .kernelFunction("bpf_testmod:bpf_testmod_test_read")),
  .init("fentry/vmlinux:do_unlinkat", .kernelFunction("vmlinux:do_unlinkat")),
  // [#lsm] lsm[.s]/<hook>; lsm_cgroup attaches to a cgroup, never auto.
  .init("lsm/file_open", .kernelFunction("file_open")),
  .init("lsm.s/bprm_committed_creds", .kernelFunction("bprm_committed_creds")),
  .init("lsm_cgroup/socket_bind", .kernelFunction("socket_bind"), autoAttach: false),
  // [#iter] iter[.s]/<type>
  .init("iter/task", .iterator("task")),
  .init("iter.s/task_vma", .iterator("task_vma")),
  .init("iter/bpf_map_elem", .iterator("bpf_map_elem")),
  // [#kprobe] kprobe/<function>[+<offset>], a-zA-Z0-9_. in the name.
  .init("kprobe/do_unlinkat", .kprobe(function: "do_unlinkat", offset: 0)),
  .init("kprobe/do_unlinkat+0x10", .kprobe(function: "do_unlinkat", offset: 16)),
  .init("kprobe/do_unlinkat+0X1f", .kprobe(function: "do_unlinkat", offset: 31)),
  .init("kprobe/do_unlinkat+24", .kprobe(function: "do_unlinkat", offset: 24)),
  .init("kprobe/do_unlinkat+010", .kprobe(function: "do_unlinkat", offset: 8)),  // strtol base 0: octal
  .init("kprobe/do_unlinkat+0", .kprobe(function: "do_unlinkat", offset: 0)),
  .init("kprobe/tcp_v4_connect.cold.12", .kprobe(function: "tcp_v4_connect.cold.12", offset: 0)),
  .init("kretprobe/do_unlinkat", .kprobe(function: "do_unlinkat", offset: 0)),
  .init("kretprobe/do_unlinkat+0", .kprobe(function: "do_unlinkat", offset: 0)),
  // [#kpmulti] kprobe.multi/<pattern>, wildcards * and ?.
  .init("kprobe.multi/do_unlink*", .kprobeMulti(pattern: "do_unlink*")),
  .init("kretprobe.multi/bpf_fentry_test?", .kprobeMulti(pattern: "bpf_fentry_test?")),
  .init("kprobe.session/bpf_fentry_test*", .kprobeMulti(pattern: "bpf_fentry_test*")),
  // [#ksyscall] ksyscall/<syscall>
  .init("ksyscall/openat", .syscall("openat")),
  .init("kretsyscall/openat", .syscall("openat")),
  // [#uprobe] uprobe[.s]/<path>:<function>[+<offset>]; the path ends at the
  // first ':' after the '/'.
  .init("uprobe//usr/lib/libc.so.6:malloc", .uprobe(path: "/usr/lib/libc.so.6", function: "malloc", offset: 0)),
  .init("uprobe/libc.so.6:malloc", .uprobe(path: "libc.so.6", function: "malloc", offset: 0)),
  .init("uprobe//proc/self/exe:uprobed_add+0x8", .uprobe(path: "/proc/self/exe", function: "uprobed_add", offset: 8)),
  .init("uprobe.s//usr/lib/libc.so.6:malloc", .uprobe(path: "/usr/lib/libc.so.6", function: "malloc", offset: 0)),
  .init("uretprobe//usr/lib/libc.so.6:malloc", .uprobe(path: "/usr/lib/libc.so.6", function: "malloc", offset: 0)),
  .init("uretprobe.s//usr/lib/libc.so.6:malloc", .uprobe(path: "/usr/lib/libc.so.6", function: "malloc", offset: 0)),
  .init("uprobe//lib/libc.so.6:malloc@GLIBC_2.2.5", .uprobe(path: "/lib/libc.so.6", function: "malloc@GLIBC_2.2.5", offset: 0)),
  .init("uprobe//bin/x:a:b", .uprobe(path: "/bin/x", function: "a:b", offset: 0)),
  .init("uprobe//data/app.apk!/lib/libfoo.so:foo", .uprobe(path: "/data/app.apk!/lib/libfoo.so", function: "foo", offset: 0)),
  // libbpf keeps a '+' not followed by an integer up to the end in the name.
  .init("uprobe//bin/x:operator+", .uprobe(path: "/bin/x", function: "operator+", offset: 0)),
  .init("uprobe//bin/x:f+1x", .uprobe(path: "/bin/x", function: "f+1x", offset: 0)),
  // Absolute offsets (our extension).
  .init("uprobe//bin/x:0x1234", .uprobe(path: "/bin/x", function: nil, offset: 0x1234)),
  .init("uprobe//bin/x:+0x40", .uprobe(path: "/bin/x", function: nil, offset: 0x40)),
  .init("uretprobe//bin/x:0x1234", .uprobe(path: "/bin/x", function: nil, offset: 0x1234)),
  // uprobe.multi/<path>:<pattern>
  .init("uprobe.multi//usr/bin/bash:readline*", .uprobeMulti(path: "/usr/bin/bash", pattern: "readline*")),
  .init("uretprobe.multi//usr/bin/bash:readline", .uprobeMulti(path: "/usr/bin/bash", pattern: "readline")),
  .init("uprobe.session//proc/self/exe:uprobe_session_test", .uprobeMulti(path: "/proc/self/exe", pattern: "uprobe_session_test")),
  .init("uprobe.multi.s//bin/x:f?", .uprobeMulti(path: "/bin/x", pattern: "f?")),
  // [#usdt] usdt/<path>:<provider>:<name>
  .init("usdt//usr/lib/libc.so.6:libc:setjmp", .usdt(path: "/usr/lib/libc.so.6", provider: "libc", name: "setjmp")),
  .init("usdt/libc.so.6:libc:setjmp", .usdt(path: "libc.so.6", provider: "libc", name: "setjmp")),
  .init("usdt.s//usr/lib/libc.so.6:libc:setjmp", .usdt(path: "/usr/lib/libc.so.6", provider: "libc", name: "setjmp")),
  // struct_ops/<operation>: bound through the struct_ops map, never auto.
  .init("struct_ops/ssthresh", .structOps("ssthresh"), autoAttach: false),
  .init("struct_ops.s/init", .structOps("init"), autoAttach: false),
]

/// Names whose extras do not parse: libbpf still gives them their program
/// type (open and load work) but fails to auto-attach them.
let malformedTargets: [String] = [
  "tp/only_one_part", "tp/sched/", "tp//sched_switch", "tp/a/b/c", "tracepoint/", "tp/",
  "raw_tp/", "raw_tracepoint.w/",
  "fentry/", "fexit/", "lsm/", "freplace/", "tp_btf/", "fentry/:do_unlinkat", "fentry/mod:",
  "iter/", "ksyscall/", "struct_ops/",
  "kprobe/", "kprobe/+0x10", "kprobe/do_unlinkat+", "kprobe/do_unlinkat+abc",
  "kprobe/do_unlinkat+0x", "kprobe/do_unlinkat+-1", "kprobe/do_unlinkat-1", "kprobe/do:unlinkat",
  "kprobe/do_unlinkat+99999999999999999999", "kretprobe/do_unlinkat+0x10",
  "kprobe.multi/", "kprobe.multi/do-unlink", "kprobe.session/a b",
  "uprobe/", "uprobe//bin/x", "uprobe/:malloc", "uprobe//bin/x:", "uretprobe//bin/x:malloc+8",
  "uprobe//bin/x:0x10+0x4",
  "uprobe.multi/", "uprobe.multi//bin/x", "uprobe.multi/:f", "uprobe.multi//bin/x:",
  "usdt/", "usdt//bin/x", "usdt//bin/x:provider", "usdt//bin/x:p:n:extra", "usdt//bin/x::n",
]

@Suite("Section names: attach targets")
struct SectionNameTargetTests {
  @Test("the target of each footnote format", arguments: targetCases)
  func parsesTarget(_ c: TargetCase) throws {
    let section = try ProgramSection.parse(c.section)
    #expect(section.attachTarget == c.target)
    #expect(section.canAutoAttach == c.canAutoAttach)
    #expect(section.invalidTargetReason == nil)
    let slash = try #require(c.section.firstIndex(of: "/"))
    #expect(section.targetText == String(c.section[c.section.index(after: slash)...]))
  }

  @Test("a bare `type+` name has no target and cannot auto-attach", arguments:
    SectionDefinition.all.filter { $0.matching == .optionalTarget }.map(\.name))
  func bareName(_ name: String) throws {
    let section = try ProgramSection.parse(name)
    #expect(section.attachTarget == nil)
    #expect(section.targetText == nil)
    #expect(section.invalidTargetReason == nil)
    #expect(!section.canAutoAttach)
  }

  @Test("programs without an attach handler never auto-attach", arguments: [
    "xdp", "tc", "tcx/ingress", "netkit/peer", "cgroup/connect4", "sockops", "sk_msg",
    "netfilter", "socket", "perf_event", "syscall", "lwt_in", "sk_lookup", "flow_dissector",
  ])
  func noHandler(_ name: String) throws {
    let section = try ProgramSection.parse(name)
    #expect(!section.flags.contains(.autoAttach))
    #expect(!section.canAutoAttach)
    #expect(section.attachTarget == nil)
  }

  @Test("a malformed target keeps the program type but is not attachable", arguments: malformedTargets)
  func malformed(_ name: String) throws {
    let section = try ProgramSection.parse(name)
    #expect(section.attachTarget == nil)
    #expect(!section.canAutoAttach)
    let reason = try #require(section.invalidTargetReason)
    #expect(!reason.isEmpty)
    // Its type is the row's.
    let head = String(name.prefix(while: { $0 != "/" }))
    #expect(section.programType == (try ProgramSection.parse(head)).programType)
  }

  @Test("integers read as C's strtol base 0, whole text only", arguments: [
    ("0", UInt64(0)), ("7", 7), ("0x10", 16), ("0XfF", 255), ("010", 8), ("18446744073709551615", .max),
  ])
  func integers(_ text: String, _ value: UInt64) {
    #expect(AttachTargetParser.parseInteger(Substring(text)) == value)
  }

  @Test("non-integers and overflow are rejected", arguments: [
    "", "x", "0x", "08", "1a", "-1", "+1", " 1", "18446744073709551616", "0x10000000000000000",
  ])
  func notIntegers(_ text: String) {
    #expect(AttachTargetParser.parseInteger(Substring(text)) == nil)
  }
}
