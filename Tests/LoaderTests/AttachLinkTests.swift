import ELFReader
import Foundation
import Glibc
import Instructions
import Loader
import Syscall
import TestSupport
import Testing
import UAPI

/// Links as owned values: pin, reopen from bpffs, update, detach, close;
/// perf_event programs; no descriptor leaks.
@Suite(.kernel) struct AttachLinkTests {
  static func bpffsDirectory() throws -> String {
    let root = "/sys/fs/bpf"
    let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
    if !mounts.split(separator: "\n").contains(where: { $0.hasPrefix("bpf \(root) bpf ") }) {
      try AttachKit.run("/bin/mount", ["-t", "bpf", "bpf", root])
    }
    let dir = "\(root)/swiftbpf-attach-\(getpid())-\(UInt32.random(in: 0..<1_000_000))"
    try #require(mkdir(dir, 0o700) == 0)
    return dir
  }

  /// A pinned link outlives its descriptor; reopened from bpffs it is the
  /// same link; detached it stays pinned but runs nothing.
  @Test func pinReopenDetach() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let dir = try Self.bpffsDirectory()
    defer { rmdir(dir) }
    let cgroup = try AttachKit.childCgroup()
    defer { rmdir(cgroup) }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["cgroup_skb_egress"])
    let program = try AttachKit.program(loaded, "cgroup_skb_egress")
    let link = try program.attach(to: .cgroup(path: cgroup))
    let path = "\(dir)/link"
    try link.pin(at: path)
    defer { unlink(path) }  // a failed expectation must not leave the link pinned
    #expect(link.pinPath == path)
    let id = try link.info().id
    func traffic() throws -> UInt64 {
      let before = try AttachKit.runCount(program)
      #expect(try runProcess(AttachKit.netClient, ["--cgroup", cgroup, "echo"]).status == 0)
      return try AttachKit.runCount(program) - before
    }

    link.close()
    #expect(try traffic() > 0, "the pin keeps the link attached after close")

    let reopened = try Link.open(pinnedAt: path)
    #expect(try reopened.info().id == id)
    #expect(try reopened.info().programID == (try program.info().id))

    try reopened.detach()
    #expect(try traffic() == 0, "detached: the program no longer runs")
    #expect(FileManager.default.fileExists(atPath: path), "the pin stays")
    unlink(path)
    reopened.close()
    #expect(throws: SyscallError.self) { try BPF.open(.link, id: id) }
  }

  /// Raw tracepoint links have no program update or detach in the kernel:
  /// the refusal names the link.
  @Test func rawTracepointLinkRefusesUpdate() throws {
    let loaded = try AttachKit.load("sections.bpf.o", only: ["raw_tp_sys_enter", "raw_tp_manual"])
    let link = try AttachKit.program(loaded, "raw_tp_sys_enter").attach(to: .rawTracepoint("sys_enter"))
    let other = try AttachKit.program(loaded, "raw_tp_manual")
    do {
      try link.update(program: other)
      Issue.record("updated a raw tracepoint link")
    } catch {
      #expect(error.description.contains("raw_tp_sys_enter"))
      #expect(error.description.contains("BPF_LINK_UPDATE"))
    }
  }

  /// A cgroup link changes program in place; the new one runs for the
  /// cgroup's traffic, the old one no longer does.
  @Test func updateCgroupLink() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let cgroup = try AttachKit.childCgroup()
    defer { rmdir(cgroup) }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["cgroup_skb_egress", "cgroup_skb_any"])
    let old = try AttachKit.program(loaded, "cgroup_skb_egress")
    let new = try AttachKit.program(loaded, "cgroup_skb_any")
    let link = try old.attach(to: .cgroup(path: cgroup))
    try link.update(program: new, expected: old)
    #expect(try link.info().programID == (try new.info().id))
    #expect(throws: AttachError.self, "the link no longer runs the old program") {
      try link.update(program: new, expected: old)
    }
    let before = (try AttachKit.runCount(old), try AttachKit.runCount(new))
    #expect(try runProcess(AttachKit.netClient, ["--cgroup", cgroup, "echo"]).status == 0)
    #expect(try AttachKit.runCount(new) > before.1)
    #expect(try AttachKit.runCount(old) == before.0)
    link.close()
  }

  @Test func unpinThenCloseDetaches() throws {
    let dir = try Self.bpffsDirectory()
    defer { rmdir(dir) }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["raw_tp_sys_enter"])
    let link = try AttachKit.program(loaded, "raw_tp_sys_enter").attach(to: .rawTracepoint("sys_enter"))
    let id = try link.info().id
    try link.pin(at: "\(dir)/l")
    try link.unpin()
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/l"))
    link.close()
    #expect(throws: SyscallError.self) { try BPF.open(.link, id: id) }
    #expect(throws: AttachError.linkClosed(program: "raw_tp_sys_enter", target: "raw tracepoint sys_enter")) {
      try link.info()
    }
  }

  /// Dropping the last reference detaches (no explicit close).
  @Test func droppingTheLinkDetaches() throws {
    let loaded = try AttachKit.load("sections.bpf.o", only: ["tp_getpid"])
    let program = try AttachKit.program(loaded, "tp_getpid")
    var id: UInt32 = 0
    do {
      let link = try #require(try program.autoAttach())
      id = try link.info().id
      _ = try BPF.open(.link, id: id)
    }
    #expect(throws: SyscallError.self) { try BPF.open(.link, id: id) }
  }

  @Test func perfEventProgramRunsOnSoftwareClock() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["perf_event_prog"])
    let program = try AttachKit.program(loaded, "perf_event_prog")
    #expect(try program.autoAttach() == nil)
    // Every online CPU, every 100 µs of CPU clock; and this process alone on its task clock.
    let all = try program.attach(to: .perfEvent(type: PerfEventAttributes.typeSoftware,
                                                config: PerfEventAttributes.softwareCPUClock, samplePeriod: 100_000))
    let mine = try program.attach(to: .perfEvent(type: PerfEventAttributes.typeSoftware,
                                                 config: PerfEventAttributes.softwareTaskClock, samplePeriod: 100_000,
                                                 pid: getpid()))
    let cpus = try String(contentsOfFile: "/sys/devices/system/cpu/online", encoding: .utf8)
    #expect(all.components.count == max(1, Self.cpuCount(cpus)))
    let before = try AttachKit.runCount(program)
    let start = Date()
    var x: UInt64 = 0
    while Date().timeIntervalSince(start) < 0.05 { x &+= 1 }
    #expect(x > 0)
    #expect(try AttachKit.runCount(program) > before)
    all.close()
    mine.close()
  }

  static func cpuCount(_ list: String) -> Int {
    list.split(whereSeparator: { $0 == "," || $0 == "\n" }).reduce(0) { total, part in
      let b = part.split(separator: "-").compactMap { Int($0) }
      return total + (b.count == 2 ? b[1] - b[0] + 1 : 1)
    }
  }

  /// The leak check runs alone in a child process (see AttachLeakChildTests),
  /// where no other suite opens descriptors meanwhile.
  @Test func noDescriptorLeaksOverAttachCycles() throws {
    let child = try Isolation.run(suite: "AttachLeakChildTests")
    #expect(child.status == 0, "\(child.output.suffix(3000))")
    #expect(child.output.contains("noDescriptorLeaksOverAttachCycles"), "the child ran the check")
  }
}

/// Runs only in the child process started by
/// `AttachLinkTests.noDescriptorLeaksOverAttachCycles`.
@Suite(.kernel, .serialized,
       .enabled(if: Isolation.isChild(running: "AttachLeakChildTests"), "runs alone in a child process"))
struct AttachLeakChildTests {
  /// 100 attach/detach cycles of a perf link, a raw tracepoint and a uprobe
  /// leave the descriptor count where it was.
  @Test func noDescriptorLeaksOverAttachCycles() throws {
    let loaded = try AttachKit.load("sections.bpf.o", only: ["tp_getpid", "raw_tp_sys_enter", "uprobe_manual"])
    let tp = try AttachKit.program(loaded, "tp_getpid")
    let raw = try AttachKit.program(loaded, "raw_tp_sys_enter")
    let uprobe = try AttachKit.program(loaded, "uprobe_manual")
    // Warm up once (lazy opens of tracefs/sysfs files are not leaks).
    try tp.autoAttach()?.close()
    let start = openDescriptorCount()
    var ids: [UInt32] = []
    for _ in 0..<100 {
      let a = try #require(try tp.autoAttach())
      let b = try raw.attach(to: .rawTracepoint("sys_enter"))
      let c = try uprobe.attach(to: .uprobe(path: AttachKit.attachTarget, function: "swiftbpf_attach_function"))
      ids += [try a.info().id, try b.info().id, try c.info().id]
      a.close()
      _ = (b, c)
    }
    // This suite runs alone in its own process: the count must come back exactly.
    let end = openDescriptorCount()
    #expect(end == start, "descriptors: \(start) before, \(end) after 300 attachments")
    // Every link is gone from the kernel: none of their descriptors survived.
    // The kernel frees a released link after an RCU grace period (uprobe and
    // perf links wait for tasks-trace RCU), so give stragglers a moment.
    var alive = ids
    for _ in 0..<100 where !alive.isEmpty {
      alive = alive.filter { (try? BPF.open(.link, id: $0)) != nil }
      if !alive.isEmpty { usleep(20_000) }
    }
    #expect(alive.isEmpty, "links still in the kernel: \(alive)")
  }
}

/// Where auto-attach goes for each SEC() name of sections.bpf.o, as
/// libbpf's section table documents it (no kernel needed).
@Suite struct AttachAutoPlanTests {
  static func point(_ section: String) throws -> AttachPoint? {
    try AttachPoint.automatic(for: try ProgramSection.parse(section), program: "p")
  }

  @Test func plansFollowTheSectionTable() throws {
    #expect(try Self.point("tp/syscalls/sys_enter_getpid") == .tracepoint(category: "syscalls", name: "sys_enter_getpid"))
    #expect(try Self.point("raw_tracepoint.w/bpf_test_finish") == .rawTracepoint("bpf_test_finish"))
    #expect(try Self.point("tp_btf/sched_switch") == .tracing())
    #expect(try Self.point("fentry/do_unlinkat") == .tracing())
    #expect(try Self.point("lsm/file_open") == .tracing())
    #expect(try Self.point("freplace/handler") == .tracing())
    #expect(try Self.point("iter/task") == .iterator())
    #expect(try Self.point("uprobe//usr/lib/x86_64-linux-gnu/libc.so.6:getpid+4")
            == .uprobe(path: "/usr/lib/x86_64-linux-gnu/libc.so.6", function: "getpid", offset: 4))
    #expect(try Self.point("uretprobe/libc.so.6:malloc") == .uprobe(path: "libc.so.6", function: "malloc", isReturn: true))
    #expect(try Self.point("uprobe.multi//usr/lib/x86_64-linux-gnu/libc.so.6:get*")
            == .uprobeMulti(path: "/usr/lib/x86_64-linux-gnu/libc.so.6", pattern: "get*"))
    for section in ["xdp", "tcx/ingress", "cgroup/connect4", "sk_lookup", "netfilter", "sk_msg", "perf_event",
                    "raw_tp", "uprobe", "usdt", "kprobe", "tp", "lsm_cgroup/socket_bind", "struct_ops/x", "socket",
                    "flow_dissector", "syscall"] {
      #expect(try Self.point(section) == nil, "\(section) is not auto-attached")
    }
  }

  @Test func usdtNeedsTheSpecMap() throws {
    #expect(throws: AttachError.self) { try Self.point("usdt//bin/x:p:n") }
  }

  @Test func malformedTargetIsTheError() throws {
    do {
      _ = try Self.point("tp/only_one_part")
      Issue.record("malformed target accepted")
    } catch {
      #expect("\(error)".contains("tp/only_one_part"))
    }
  }
}
