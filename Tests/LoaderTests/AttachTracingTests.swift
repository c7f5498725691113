import BTF
import ELFReader
import Foundation
import Glibc
import Instructions
import Loader
import Syscall
import TestSupport
import Testing
import UAPI

/// Tracepoints, raw tracepoints, tp_btf and iterators attached for real and
/// triggered; the kernel's run counter (`run_cnt`) proves the program ran.
@Suite(.kernel) struct AttachTracingTests {
  @Test func tracepointAutoAttachesAndRunsOnGetpid() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["tp_getpid"])
    let program = try AttachKit.program(loaded, "tp_getpid")
    let link = try #require(try program.autoAttach())
    #expect(link.target == "tracepoint syscalls/sys_enter_getpid")
    let before = try AttachKit.runCount(program)
    for _ in 0..<20 { _ = getpid() }
    #expect(try AttachKit.runCount(program) >= before + 20)
    let info = try link.info()
    #expect(info.type == .perfEvent)
    #expect(info.programID == (try program.info().id))
    link.close()
    #expect(!link.isOpen)
  }

  @Test func rawTracepointRunsOnSysEnter() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["raw_tp_sys_enter", "raw_tp_manual"])
    let auto = try AttachKit.program(loaded, "raw_tp_sys_enter")
    let manual = try AttachKit.program(loaded, "raw_tp_manual")
    #expect(try manual.autoAttach() == nil, "SEC(\"raw_tp\") has no target: libbpf skips it")
    let links = [try #require(try auto.autoAttach()), try manual.attach(to: .rawTracepoint("sys_exit"))]
    let before = (try AttachKit.runCount(auto), try AttachKit.runCount(manual))
    for _ in 0..<10 { _ = getpid() }
    #expect(try AttachKit.runCount(auto) >= before.0 + 10)
    #expect(try AttachKit.runCount(manual) >= before.1 + 10)
    #expect(try links[0].info().details == .rawTracepoint(name: "sys_enter", cookie: 0))
    #expect(try links[1].info().details == .rawTracepoint(name: "sys_exit", cookie: 0))
  }

  /// raw_tp.w on `bpf_test_finish`, which the kernel fires at the end of
  /// every `BPF_PROG_TEST_RUN` of an skb/XDP program.
  @Test func writableRawTracepointRunsOnTestRun() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["raw_tracepoint_writable", "xdp_prog"])
    let program = try AttachKit.program(loaded, "raw_tracepoint_writable")
    let link = try #require(try program.autoAttach())
    let before = try AttachKit.runCount(program)
    _ = try AttachKit.program(loaded, "xdp_prog").testRun(data: [UInt8](repeating: 0, count: 64))
    // Test runs of other suites, in parallel, fire it too: at least ours.
    #expect(try AttachKit.runCount(program) >= before + 1)
    _ = link
  }

  /// BPF cookies reach the kernel: the link info reports them.
  @Test func cookiesAreInTheLinkInfo() throws {
    let loaded = try AttachKit.load("sections.bpf.o", only: ["tp_not_autoloaded", "raw_tp_manual", "tp_btf_sched_switch"])
    let tp = try AttachKit.program(loaded, "tp_not_autoloaded").attach(
      to: .tracepoint(category: "syscalls", name: "sys_exit_getpid", cookie: 42))
    let raw = try AttachKit.program(loaded, "raw_tp_manual").attach(to: .rawTracepoint("sys_exit", cookie: 43))
    let btf = try AttachKit.program(loaded, "tp_btf_sched_switch").attach(to: .tracing(cookie: 44))
    guard case .perfEvent(_, let name, let cookie) = try tp.info().details else {
      Issue.record("not a perf link")
      return
    }
    #expect(name == "sys_exit_getpid")
    #expect(cookie == 42)
    #expect(try raw.info().details == .rawTracepoint(name: "sys_exit", cookie: 43))
    let details = try btf.info().details
    #expect(details == .rawTracepoint(name: "sched_switch", cookie: 44), "\(details)")
  }

  @Test func tpBTFRunsOnSchedSwitch() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["tp_btf_sched_switch"])
    let program = try AttachKit.program(loaded, "tp_btf_sched_switch")
    let link = try #require(try program.autoAttach())
    let before = try AttachKit.runCount(program)
    for _ in 0..<5 { usleep(2000) }
    #expect(try AttachKit.eventually { try AttachKit.runCount(program) > before })
    let info = try link.info()
    #expect(info.type == .rawTracepoint || info.type == .tracing)
  }

  /// iter/task: the link runs once per task when read; the program prints
  /// nothing, so the output is empty.
  @Test func taskIteratorRunsWhenRead() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["iter_task"])
    let program = try AttachKit.program(loaded, "iter_task")
    let link = try #require(try program.autoAttach())
    #expect(try link.info().details == .iterator(targetName: "task", mapID: 0))
    let before = try AttachKit.runCount(program)
    #expect(try link.readIterator().isEmpty)
    let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { Int($0) != nil }.count
    // One run per task (threads included) plus the final NULL call.
    #expect(try AttachKit.runCount(program) >= before + UInt64(tasks))
  }
}

/// Hooks this kernel lacks or refuses: everything up to the kernel call, and
/// a clear error at it.
@Suite struct AttachRefusalTests {
  static let kprobeAvailable = FileManager.default.fileExists(atPath: "/sys/bus/event_source/devices/kprobe")

  @Test(.kernel, .enabled(if: !kprobeAvailable, "this kernel has kprobes"),
        arguments: ["kprobe_unlinkat", "kprobe_offset", "kretprobe_unlinkat", "ksyscall_unlinkat",
                    "kretsyscall_unlinkat", "kprobe_multi", "kretprobe_multi"])
  func kprobesAreUnavailable(program name: String) throws {
    let loaded = try AttachKit.load("sections.bpf.o", only: [name])
    let program = try AttachKit.program(loaded, name)
    do {
      _ = try program.autoAttach()
      Issue.record("attached \(name) without kprobes")
    } catch {
      guard case .unavailable(let p, _, let reason) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(p == name)
      #expect(reason.contains("kprobes are not available in this kernel (CONFIG_KPROBES off)"))
      #expect(error.description.contains(name))
    }
  }

  /// The attach plan of the kprobe sections, without the kernel.
  @Test func kprobeAttachPlans() throws {
    func point(_ section: String) throws -> AttachPoint? {
      let s = try ProgramSection.parse(section)
      return try AttachPoint.automatic(for: s, program: "p")
    }
    #expect(try point("kprobe/do_unlinkat+4") == .kprobe(function: "do_unlinkat", offset: 4))
    #expect(try point("kretprobe/do_unlinkat") == .kprobe(function: "do_unlinkat", isReturn: true))
    #expect(try point("ksyscall/unlinkat") == .ksyscall("unlinkat"))
    #expect(try point("kretprobe.multi/do_unlink?t") == .kprobeMulti(pattern: "do_unlink?t", isReturn: true))
  }

  /// Attach targets of BTF-attached sections resolve to the ids bpftool
  /// prints for the kernel's BTF.
  @Test(arguments: [("fentry/do_unlinkat", "FUNC 'do_unlinkat'"),
                    ("fmod_ret/bpf_modify_return_test", "FUNC 'bpf_modify_return_test'"),
                    ("tp_btf/sched_switch", "TYPEDEF 'btf_trace_sched_switch'"),
                    ("lsm/file_open", "FUNC 'bpf_lsm_file_open'"),
                    ("lsm_cgroup/socket_bind", "FUNC 'bpf_lsm_socket_bind'"),
                    ("iter/task", "FUNC 'bpf_iter_task'")])
  func tracingTargetsMatchBpftool(section: String, bpftoolName: String) throws {
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool missing") }
      try Test.cancel("skipped: bpftool missing")
    }
    guard FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux") else {
      if TestEnvironment.mustNotSkip { Issue.record("no /sys/kernel/btf/vmlinux") }
      try Test.cancel("skipped: no /sys/kernel/btf/vmlinux")
    }
    let vmlinux = try BTF.kernel()
    let s = try ProgramSection.parse(section)
    let target = try TracingTarget.resolve(attachType: s.expectedAttachType, programType: s.programType,
                                           name: try #require(s.targetText), in: vmlinux)
    let dump = try Self.bpftoolDump(bpftool)
    let line = try #require(dump.first { $0.contains("] \(bpftoolName) ") })
    let id = try #require(UInt32(line.dropFirst().prefix { $0 != "]" }))
    #expect(target.typeID.rawValue == id)
  }

  nonisolated(unsafe) static var cachedDump: [Substring]? = nil
  static let dumpLock = NSLock()
  static func bpftoolDump(_ bpftool: String) throws -> [Substring] {
    dumpLock.lock()
    defer { dumpLock.unlock() }
    if let cachedDump { return cachedDump }
    let run = try runTool(bpftool, ["btf", "dump", "file", "/sys/kernel/btf/vmlinux"])
    let lines = run.output.split(separator: "\n").filter { $0.hasPrefix("[") }
    cachedDump = lines
    return lines
  }

  @Test func unknownTracingTargetIsNamed() throws {
    guard FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux") else {
      if TestEnvironment.mustNotSkip { Issue.record("no /sys/kernel/btf/vmlinux") }
      try Test.cancel("skipped: no /sys/kernel/btf/vmlinux")
    }
    let vmlinux = try BTF.kernel()
    #expect(throws: AttachError.self) {
      try TracingTarget.resolve(attachType: .traceFentry, programType: .tracing, name: "no_such_function_x",
                                in: vmlinux)
    }
  }

  /// Where the kernel refuses a minimal fentry program (`TrampolineProbe`,
  /// straight through bpf(2)), loading these trampoline programs fails with
  /// an error naming the program, EPERM and the lockdown.
  @Test(.kernel, .enabled(if: TrampolineProbe.refusesFentry || !TrampolineProbe.loadsFentry && Kernel.isRequired,
                          "the kernel does not refuse fentry with EPERM (\(TrampolineProbe.outcome))"),
        arguments: ["fentry_unlinkat", "fexit_unlinkat", "fmod_ret_test", "lsm_file_open"])
  func trampolineRefusalIsClear(program name: String) throws {
    try #require(TrampolineProbe.refusesFentry, "probe: \(TrampolineProbe.outcome)")
    let error = #expect(throws: LoadError.self) {
      _ = try AttachKit.load("sections.bpf.o", only: [name])
    }
    let text = try #require(error).description
    #expect(text.contains(name))
    #expect(text.contains("EPERM"))
    #expect(text.contains("lockdown"), "\(text)")
  }

  /// Where the kernel loads a minimal fentry program, these load and attach.
  @Test(.kernel, .enabled(if: TrampolineProbe.loadsFentry, "the kernel does not load fentry (\(TrampolineProbe.outcome))"),
        arguments: ["fentry_unlinkat", "fexit_unlinkat", "fmod_ret_test", "lsm_file_open"])
  func trampolinesAttachWhereTheKernelAllowsThem(program name: String) throws {
    let loaded = try AttachKit.load("sections.bpf.o", only: [name])
    let link = try #require(try AttachKit.program(loaded, name).autoAttach())
    #expect(link.isOpen)
  }
}
