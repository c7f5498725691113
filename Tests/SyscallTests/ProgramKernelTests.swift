import Foundation
import Glibc
import Testing
import UAPI
@testable import Syscall

/// Program load, test run, info, IDs and BTF load against the running kernel.
@Suite(.kernel) struct ProgramKernelTests {
  typealias H = KernelHelpers

  func xdp(returning value: Int32, name: String = "swbpf_xdp") throws -> OwnedFD {
    try BPF.loadProgram(ProgramLoadAttributes(type: .xdp, instructions: returnProgram(value),
                                              license: "GPL", name: name))
  }

  @Test func loadsAndTestRunsXDP() throws {
    let program = try xdp(returning: 2)  // XDP_PASS
    #expect(program.rawValue > 2)
    let packet = [UInt8](repeating: 0xab, count: 64)
    let result = try BPF.testRun(.init(program: program.borrowed, data: packet, dataOutCapacity: 256,
                                       repeatCount: 3))
    #expect(result.returnValue == 2)
    #expect(result.dataOut == packet)
  }

  @Test func programInfoMatchesBpftool() throws {
    let program = try xdp(returning: 1, name: "swbpf_info")
    let info = try BPF.programInfo(program.borrowed)
    #expect(info.type == .xdp)
    #expect(info.name == "swbpf_info")
    #expect(info.translatedLength == 16, "two instructions of 8 bytes")
    #expect(info.gplCompatible)
    #expect(info.tag.count == 8)
    let translated = try BPF.programTranslatedInstructions(program.borrowed)
    #expect(translated == returnProgram(1))
    guard let json = try H.bpftoolJSON(["prog", "show", "id", "\(info.id)"]) else { return }
    #expect(json["name"] as? String == "swbpf_info")
    #expect(json["type"] as? String == "xdp")
    #expect(json["bytes_xlated"] as? Int == 16)
    #expect(json["gpl_compatible"] as? Bool == true)
    let tag = info.tag.map { String(format: "%02x", $0) }.joined()
    #expect(json["tag"] as? String == tag)
  }

  @Test func nextIDFindsProgramAndOpenByID() throws {
    let program = try xdp(returning: 2, name: "swbpf_id")
    let id = try BPF.programInfo(program.borrowed).id
    var ids: [UInt32] = []
    var cursor: UInt32 = 0
    while let next = try BPF.nextID(.program, after: cursor) {
      ids.append(next)
      cursor = next
    }
    #expect(ids.contains(id))
    #expect(ids == ids.sorted(), "IDs come in increasing order")
    let opened = try BPF.open(.program, id: id)
    #expect(try BPF.programInfo(opened.borrowed).name == "swbpf_id")
  }

  @Test func verifierRejectionFillsLog() throws {
    // `exit` alone: R0 is never written.
    let attributes = ProgramLoadAttributes(type: .socketFilter, instructions: instruction(0x95),
                                           license: "GPL", name: "swbpf_bad")
    var log = VerifierLog(level: 1, capacity: 4096)
    do {
      _ = try BPF.loadProgram(attributes, log: &log)
      Issue.record("the verifier accepted a program that never sets R0")
    } catch {
      #expect(error.errno == .EACCES)
      #expect(error.hint?.contains("verifier") == true)
    }
    #expect(log.text.contains("R0 !read_ok"), "log: \(log.text)")
    #expect(log.trueSize > 0)
    #expect(Int(log.trueSize) == log.bytes.count + 1, "true size counts the NUL")
  }

  @Test func successfulLoadCanReturnLog() throws {
    var log = VerifierLog(level: 2, capacity: 1 << 16)
    let program = try BPF.loadProgram(
      ProgramLoadAttributes(type: .socketFilter, instructions: returnProgram(0), license: "GPL"),
      log: &log)
    #expect(program.rawValue > 2)
    #expect(log.text.contains("processed 2 insns"), "log: \(log.text)")
  }

  @Test func socketFilterTestRun() throws {
    let program = try BPF.loadProgram(ProgramLoadAttributes(
      type: .socketFilter, instructions: returnProgram(7), license: "GPL"))
    let result = try BPF.testRun(.init(program: program.borrowed, data: [UInt8](repeating: 0, count: 64)))
    #expect(result.returnValue == 7)
  }

  /// Minimal BTF: one `int` (BTF_KIND_INT, 4 bytes, signed, 32 bits), per the
  /// kernel's BTF format document.
  static func tinyBTF() -> [UInt8] {
    var types: [UInt8] = []
    types += H.bytes(UInt32(1))            // name_off -> "int"
    types += H.bytes(UInt32(1 << 24))      // info: kind INT, vlen 0
    types += H.bytes(UInt32(4))            // size
    types += H.bytes(UInt32(0x0100_0020))  // encoding SIGNED, offset 0, bits 32
    let strings: [UInt8] = [0] + Array("int".utf8) + [0]
    var header: [UInt8] = []
    header += H.bytes(UInt16(0xeb9f))      // magic
    header += [1, 0]                       // version, flags
    header += H.bytes(UInt32(24))          // hdr_len
    header += H.bytes(UInt32(0))           // type_off
    header += H.bytes(UInt32(types.count)) // type_len
    header += H.bytes(UInt32(types.count)) // str_off
    header += H.bytes(UInt32(strings.count))
    return header + types + strings
  }

  @Test func loadsHandBuiltBTFAndReadsItBack() throws {
    let blob = Self.tinyBTF()
    var log = VerifierLog(level: 1, capacity: 4096)
    let btf = try BPF.loadBTF(blob, log: &log)
    let info = try BPF.btfInfo(btf.borrowed)
    #expect(Int(info.size) == blob.count)
    #expect(!info.isKernel)
    #expect(try BPF.btfData(btf.borrowed) == blob)
    var found = false
    var cursor: UInt32 = 0
    while let next = try BPF.nextID(.btf, after: cursor) {
      if next == info.id { found = true }
      cursor = next
    }
    #expect(found)
    let opened = try BPF.open(.btf, id: info.id)
    #expect(try BPF.btfInfo(opened.borrowed).id == info.id)
  }

  @Test func kernelBTFIsReportedAsKernel() throws {
    guard let first = try BPF.nextID(.btf, after: 0) else {
      Issue.record("no BTF objects at all")
      return
    }
    let btf = try BPF.open(.btf, id: first)
    let info = try BPF.btfInfo(btf.borrowed)
    // The first BTF object is vmlinux on every kernel with BTF.
    #expect(info.name == "vmlinux")
    #expect(info.isKernel)
  }

  @Test func badBTFMagicIsRejectedWithLog() throws {
    var blob = Self.tinyBTF()
    blob[0] = 0
    var log = VerifierLog(level: 1, capacity: 4096)
    do {
      _ = try BPF.loadBTF(blob, log: &log)
      Issue.record("loaded BTF with a bad magic")
    } catch {
      #expect(error.errno == .EINVAL)
      #expect(error.operation == .bpf(.btfLoad))
    }
    #expect(log.text.lowercased().contains("magic"), "log: \(log.text)")
  }

  @Test func rawTracepointOpenAndLinkInfo() throws {
    let program = try BPF.loadProgram(ProgramLoadAttributes(
      type: .rawTracepoint, instructions: returnProgram(0), license: "GPL", name: "swbpf_rawtp"))
    let link = try BPF.openRawTracepoint(name: "sys_enter", program: program.borrowed)
    let info = try BPF.linkInfo(link.borrowed)
    #expect(info.type == .rawTracepoint)
    #expect(info.programID == (try BPF.programInfo(program.borrowed).id))
    #expect(info.details == .rawTracepoint(name: "sys_enter", cookie: 0))
    var found = false
    var cursor: UInt32 = 0
    while let next = try BPF.nextID(.link, after: cursor) {
      if next == info.id { found = true }
      cursor = next
    }
    #expect(found)
    let opened = try BPF.open(.link, id: info.id)
    #expect(try BPF.linkInfo(opened.borrowed).id == info.id)
  }

  @Test func runStatisticsCountTestRuns() throws {
    let stats = try BPF.enableStats()
    let program = try xdp(returning: 2)
    _ = try BPF.testRun(.init(program: program.borrowed, data: [UInt8](repeating: 0, count: 64),
                              repeatCount: 5))
    let info = try BPF.programInfo(program.borrowed)
    #expect(info.runCount >= 5, "run_cnt \(info.runCount)")
    try stats.close()
  }

  @Test func bindMapKeepsMapWithProgram() throws {
    let program = try xdp(returning: 2)
    let map = try BPF.createMap(MapCreateAttributes(type: .array, keySize: 4, valueSize: 4, maxEntries: 1))
    try BPF.bindMap(map.borrowed, to: program.borrowed)
    let mapID = try BPF.mapInfo(map.borrowed).id
    #expect(try BPF.programMapIDs(program.borrowed) == [mapID])
  }
}
