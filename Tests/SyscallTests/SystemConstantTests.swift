import Testing
import TestSupport
@testable import Syscall
import UAPI

/// Constants we compute or write down, against the system C headers
/// (`<errno.h>`, `<linux/perf_event.h>`, `<linux/bpf.h>`, `<sys/epoll.h>`).
@Suite struct SystemConstantTests {
  @Test func errnoNamesMatchErrnoH() throws {
    let facts = try CompilerFacts.require(CompilerFacts.system)
    var checked = 0
    for (value, name) in Errno.names {
      guard let c = facts["define|\(name)"] else { continue }
      #expect(Int64(value) == c, "\(name): ours \(value), <errno.h> \(c)")
      checked += 1
    }
    #expect(checked >= 130, "only \(checked) errno names found in <errno.h>")
    // Every errno value up to EHWPOISON has a name.
    if let last = facts["define|EHWPOISON"] {
      let named = Set(Errno.names.keys)
      let cValues = Set(facts.filter { $0.key.hasPrefix("define|E") && $0.value <= last }.map(\.value))
      for value in cValues { #expect(named.contains(CInt(value)), "errno \(value) has no name") }
    }
  }

  @Test func perfIoctlNumbersMatchHeader() throws {
    let facts = try CompilerFacts.require(CompilerFacts.system)
    for (name, value) in PerfIoctl.all {
      let c = try #require(facts["define|\(name)"], "\(name) missing from <linux/perf_event.h>")
      #expect(UInt(truncatingIfNeeded: c) == value, "\(name)")
    }
    #expect(facts["define|PERF_FLAG_FD_CLOEXEC"].map(UInt.init) == PerfEvent.flagCloseOnExec)
  }

  @Test func epollBitsMatchHeader() throws {
    let facts = try CompilerFacts.require(CompilerFacts.system)
    #expect(facts["define|EPOLLIN"].map(UInt32.init) == Epoll.Events.readable.rawValue)
    #expect(facts["define|EPOLLOUT"].map(UInt32.init) == Epoll.Events.writable.rawValue)
    #expect(facts["define|EPOLLERR"].map(UInt32.init) == Epoll.Events.error.rawValue)
    #expect(facts["define|EPOLLHUP"].map(UInt32.init) == Epoll.Events.hangUp.rawValue)
    #expect(facts["define|EPOLLET"].map(UInt32.init) == Epoll.Events.edgeTriggered.rawValue)
    #expect(facts["define|EPOLLONESHOT"].map(UInt32.init) == Epoll.Events.oneShot.rawValue)
  }

  /// What link info's perf event part is, by kind: the names it switches
  /// on, against `enum bpf_perf_event_type` in the running kernel's BTF
  /// (the system's <linux/bpf.h> 6.1 predates it).
  @Test func perfEventLinkTypesMatchKernel() throws {
    let facts = try CompilerFacts.require(CompilerFacts.kernel)
    let ours: [(String, PerfEventLinkType)] = [
      ("UNSPEC", .unspec), ("UPROBE", .uprobe), ("URETPROBE", .uretprobe), ("KPROBE", .kprobe),
      ("KRETPROBE", .kretprobe), ("TRACEPOINT", .tracepoint), ("EVENT", .event),
    ]
    for (name, type) in ours {
      let c = try #require(facts["enum|BPF_PERF_EVENT_\(name)"], "BPF_PERF_EVENT_\(name) missing")
      #expect(UInt32(c) == type.rawValue, "BPF_PERF_EVENT_\(name)")
    }
  }

  /// Attach and program-load flags are macros, not in BTF; the system's
  /// <linux/bpf.h> (6.1 here) has the older ones, which are checked.
  @Test func bpfMacroFlagsMatchHeaderWhereDefined() throws {
    let facts = try CompilerFacts.require(CompilerFacts.system)
    let attach: [(String, BPF.AttachFlags)] = [
      ("BPF_F_ALLOW_OVERRIDE", .allowOverride), ("BPF_F_ALLOW_MULTI", .allowMulti),
      ("BPF_F_REPLACE", .replace), ("BPF_F_BEFORE", .before), ("BPF_F_AFTER", .after),
      ("BPF_F_ID", .id),
    ]
    let program: [(String, ProgramFlags)] = [
      ("BPF_F_STRICT_ALIGNMENT", .strictAlignment), ("BPF_F_ANY_ALIGNMENT", .anyAlignment),
      ("BPF_F_TEST_RND_HI32", .testRandomHigh32), ("BPF_F_TEST_STATE_FREQ", .testStateFrequency),
      ("BPF_F_SLEEPABLE", .sleepable), ("BPF_F_XDP_HAS_FRAGS", .xdpHasFrags),
      ("BPF_F_XDP_DEV_BOUND_ONLY", .xdpDeviceBoundOnly),
      ("BPF_F_TEST_REG_INVARIANTS", .testRegisterInvariants),
    ]
    var checked = 0
    for (name, flag) in attach {
      if let c = facts["define|\(name)"] { #expect(UInt32(c) == flag.rawValue, "\(name)"); checked += 1 }
    }
    for (name, flag) in program {
      if let c = facts["define|\(name)"] { #expect(UInt32(c) == flag.rawValue, "\(name)"); checked += 1 }
    }
    #expect(checked >= 8, "only \(checked) flags defined in <linux/bpf.h>")
  }

  @Test func atFDCWDMatchesHeader() throws {
    let facts = try CompilerFacts.require(CompilerFacts.system)
    #expect(facts["define|AT_FDCWD"].map(CInt.init) == BorrowedFD.currentDirectory.rawValue)
  }
}
