import Foundation
import Glibc
import Testing
import TestSupport
import UAPI
@testable import Syscall

/// uprobe.multi and kprobe.multi links: the per-target union parts that
/// carry user pointers (path, offsets, cookies, symbol names).
@Suite(.kernel) struct UprobeMultiKernelTests {
  /// File offset of an ELF64 little-endian executable's entry point, from its
  /// header and program headers (the ELF specification's layout).
  static func entryFileOffset(of path: String) throws -> UInt64 {
    let bytes = try #require(FileManager.default.contents(atPath: path).map(Array.init))
    func u16(_ at: Int) throws -> UInt64 {
      try #require(at + 2 <= bytes.count)
      return UInt64(bytes[at]) | UInt64(bytes[at + 1]) << 8
    }
    func u32(_ at: Int) throws -> UInt64 { try u16(at) | (try u16(at + 2)) << 16 }
    func u64(_ at: Int) throws -> UInt64 { try u32(at) | (try u32(at + 4)) << 32 }
    try #require(bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46, 2, 1]), "not ELF64 LE")
    let entry = try u64(24)
    let phoff = Int(try u64(32))
    let phentsize = Int(try u16(54))
    let phnum = Int(try u16(56))
    for i in 0..<phnum {
      let ph = phoff + i * phentsize
      guard try u32(ph) == 1 else { continue }  // PT_LOAD
      let offset = try u64(ph + 8), vaddr = try u64(ph + 16), filesz = try u64(ph + 32)
      if entry >= vaddr, entry < vaddr + filesz { return entry - vaddr + offset }
    }
    Issue.record("entry point of \(path) is in no PT_LOAD segment")
    throw CancellationError()
  }

  func resolvedTrue() throws -> String {
    let path = try #require(["/usr/bin/true", "/bin/true"].first { FileManager.default.isExecutableFile(atPath: $0) })
    return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
  }

  @Test func uprobeMultiLinkFiresOnEntry() throws {
    let path = try resolvedTrue()
    let offset = try Self.entryFileOffset(of: path)
    var attributes = ProgramLoadAttributes(type: .kprobe, instructions: returnProgram(0),
                                           license: "GPL", name: "swbpf_umulti")
    attributes.expectedAttachType = .traceUprobeMulti
    let program = try BPF.loadProgram(attributes)
    let stats = try BPF.enableStats()
    let link = try BPF.createLink(LinkCreateAttributes(
      program: program.borrowed, target: .none, attachType: .traceUprobeMulti,
      details: .uprobeMulti(path: path, offsets: [offset], referenceCounterOffsets: [],
                            cookies: [0x77], flags: 0, pid: 0)))
    let info = try BPF.linkInfo(link.borrowed)
    #expect(info.type == .uprobeMulti)
    #expect(info.details == .uprobeMulti(count: 1, flags: 0, pid: 0))

    let run = try runProcess(path, [])
    #expect(run.status == 0)
    #expect(try BPF.programInfo(program.borrowed).runCount >= 1, "the uprobe did not fire")
    try stats.close()
  }

  @Test func mismatchedCookieCountIsRefusedBeforeTheCall() throws {
    do {
      _ = try BPF.createLink(LinkCreateAttributes(
        program: BorrowedFD(-1), target: .none, attachType: .traceUprobeMulti,
        details: .uprobeMulti(path: "/bin/true", offsets: [1, 2], referenceCounterOffsets: [],
                              cookies: [1], flags: 0, pid: 0)))
      Issue.record("accepted 2 offsets with 1 cookie")
    } catch {
      #expect(error.errno == nil)
      #expect(error.description.contains("cookies"))
    }
  }

  /// Whether the kernel has kprobes, from the kprobe PMU in sysfs (KERNEL.md:
  /// absent here, CONFIG_KPROBES off), decided before any bpf(2) call.
  static let kprobesAvailable = FileManager.default.fileExists(atPath: "/sys/bus/event_source/devices/kprobe")

  func kprobeMultiProgram() throws -> OwnedFD {
    var attributes = ProgramLoadAttributes(type: .kprobe, instructions: returnProgram(0),
                                           license: "GPL", name: "swbpf_kmulti")
    attributes.expectedAttachType = .traceKprobeMulti
    return try BPF.loadProgram(attributes)
  }

  func kprobeMultiLink(_ program: borrowing OwnedFD) throws(SyscallError) -> OwnedFD {
    try BPF.createLink(LinkCreateAttributes(
      program: program.borrowed, target: .none, attachType: .traceKprobeMulti,
      details: .kprobeMulti(flags: 0, symbols: ["vfs_read"], addresses: [], cookies: [])))
  }

  /// Without kprobes the kprobe.multi link is refused with a typed error
  /// naming BPF_LINK_CREATE and its errno. (The program itself loads: the
  /// program type exists without CONFIG_KPROBES.)
  @Test(.enabled(if: !kprobesAvailable, "this kernel has kprobes"))
  func kprobeMultiIsTypedErrorWithoutKprobes() throws {
    let program = try kprobeMultiProgram()
    do {
      _ = try kprobeMultiLink(program)
      Issue.record("kprobe.multi attached without a kprobe PMU")
    } catch {
      #expect(error.operation == .bpf(.linkCreate))
      #expect(error.errno != nil)
      #expect(error.description.hasPrefix("BPF_LINK_CREATE failed: "))
    }
  }

  /// With kprobes the kprobe.multi link attaches and reports its type.
  @Test(.enabled(if: kprobesAvailable, "this kernel has no kprobes"))
  func kprobeMultiAttachesWithKprobes() throws {
    let program = try kprobeMultiProgram()
    let link = try kprobeMultiLink(program)
    #expect(try BPF.linkInfo(link.borrowed).type == .kprobeMulti)
  }
}
