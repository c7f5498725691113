import BTF
import ELFReader
import Foundation
import Instructions
@testable import Loader
import Syscall
import TestSupport
import Testing
import UAPI

/// Real verifier rejections of `Fixtures/obj/err_verifier.bpf.o`, read by
/// `VerifierReport`. Expected lines come from the fixture's header (and its
/// source): null_deref fails at line 39 `return *value;` with
/// "R0 invalid mem access 'map_value_or_null'", packet_oob at line 48.
@Suite(.kernel) struct VerifierKernelTests {
  @Test func nullDerefNamesLine39FromTheLog() throws {
    let rejection = try ErrVerifierFixture.load("null_deref")
    #expect(rejection.errno == .EACCES)
    let report = VerifierReport(log: rejection.log)
    #expect(report.errorLines.last == "R0 invalid mem access 'map_value_or_null'")
    #expect(report.source?.line == 39)
    #expect(report.source?.text == "return *value;")
    #expect(report.source?.file.hasSuffix("err_verifier.bpf.c") == true)
    #expect(report.description.contains("err_verifier.bpf.c:39: return *value;"))
    #expect(report.statistics?.processedInstructions ?? 0 > 0)
  }

  @Test func nullDerefNamesLine39FromLineInfoWhenTheLogHasNone() throws {
    let rejection = try ErrVerifierFixture.load("null_deref", withLineInfo: false)
    #expect(!rejection.log.contains(" @ "), "no BTF was given, so no source comments")
    let report = VerifierReport(log: rejection.log, lineTable: SourceLineTable(lineInfo: rejection.lineInfo))
    #expect(report.source?.line == 39)
    #expect(report.source?.text == "return *value;")
  }

  @Test func packetOutOfBoundsNamesLine48() throws {
    for withLineInfo in [true, false] {
      let rejection = try ErrVerifierFixture.load("packet_oob", withLineInfo: withLineInfo)
      #expect(rejection.errno == .EACCES)
      let report = VerifierReport(log: rejection.log, lineTable: SourceLineTable(lineInfo: rejection.lineInfo))
      #expect(report.errorLines.last == "R1 offset is outside of the packet")
      #expect(report.errorLines.first?.hasPrefix("invalid access to packet") == true)
      #expect(report.source?.line == 48)
      #expect(report.source?.text == "return *data == 0 ? XDP_DROP : XDP_PASS;")
    }
  }

  /// A log buffer too small: the kernel fails with ENOSPC and reports the
  /// size it needed; one retry at the policy's size gets the whole log.
  @Test func retryPolicyGetsTheWholeLog() throws {
    let object = try ErrVerifierFixture.object()
    let code = Array(object.bytes(of: try #require(object.program(named: "packet_oob"))))
    let attributes = ProgramLoadAttributes(type: .xdp, instructions: code, license: "GPL")
    let policy = VerifierLogPolicy(initialCapacity: 64)
    var capacity = 0
    var attempts = 0
    var last = VerifierLog(level: 1, capacity: 0)
    while attempts < 10 {
      attempts += 1
      var log = VerifierLog(level: 1, capacity: capacity)
      do {
        if capacity == 0 { _ = try BPF.loadProgram(attributes) } else { _ = try BPF.loadProgram(attributes, log: &log) }
        Issue.record("packet_oob loaded")
        return
      } catch {
        last = log
        guard let errno = error.errno,
          let next = policy.nextCapacity(afterFailure: errno, capacity: capacity, trueSize: log.trueSize)
        else { break }
        if capacity > 0 { #expect(errno == .ENOSPC) }
        capacity = next
      }
    }
    // No log, then 64 bytes (ENOSPC), then the true size: three attempts.
    #expect(attempts == 3)
    #expect(!VerifierLogPolicy.isTruncated(last))
    #expect(VerifierReport(log: last.text).errorLines.last == "R1 offset is outside of the packet")
  }

  /// A call of the poison helper as the loader leaves a failed CO-RE
  /// relocation: the kernel refuses it, the report names the relocation.
  @Test func poisonedCallIsReportedAsCORERelocation() throws {
    let code = Instruction.encode([
      Instruction(opcode: Opcode(rawValue: 0xb7), destination: .r1, immediate: 0),
      Instruction.call(helper: VerifierReport.poisonedCallHelper), .exit,
    ], order: .host)
    var log = VerifierLog(level: 1, capacity: 1 << 16)
    #expect(throws: SyscallError.self) {
      _ = try BPF.loadProgram(ProgramLoadAttributes(type: .socketFilter, instructions: code, license: "GPL"), log: &log)
    }
    let report = VerifierReport(log: log.text, coreRelocations: [1: "struct s.missing (0:1)"])
    #expect(report.description.hasPrefix("CO-RE relocation failed: struct s.missing (0:1)"))
  }
}

/// Loads the programs of `Fixtures/obj/err_verifier.bpf.o` straight through
/// the Syscall layer (map fd patched in, object BTF with func_info and
/// line_info), to get the kernel's real verifier logs for them.
enum ErrVerifierFixture {
  struct Rejection {
    var errno: Errno?
    var log: String
    /// The program's line_info as .BTF.ext has it (offsets relative to the program).
    var lineInfo: [BTF.LineInfo]
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func object() throws -> ObjectFile {
    try ObjectFile(path: Fixture.object("err_verifier.bpf.o").path)
  }

  static func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value) { Array($0) }
  }

  /// Loads `name` with a level-1 log; the program must be rejected.
  static func load(_ name: String, withLineInfo: Bool = true, logCapacity: Int = 1 << 20) throws -> Rejection {
    let object = try object()
    guard let program = object.program(named: name),
      let btfBytes = object.btf, let extBytes = object.btfExt,
      let mapsSection = object.section(named: ".maps")
    else { throw Failure(description: "err_verifier.bpf.o lacks \(name), BTF or .maps") }
    let btf = try BTF(bytes: btfBytes)
    var layouts: [String: BTF.SectionLayout] = [".maps": .init(size: UInt32(mapsSection.size), offsets: ["values": 0])]
    if let license = object.section(named: "license") {
      layouts["license"] = .init(size: UInt32(license.size), offsets: ["LICENSE": 0])
    }
    let fixed = try btf.fixingDataSections(layouts)
    var btfLog = VerifierLog(level: 1, capacity: 1 << 16)
    let btfFD: OwnedFD
    do {
      btfFD = try BPF.loadBTF(try fixed.sanitized(for: .all), log: &btfLog)
    } catch {
      throw Failure(description: "BTF load: \(error)\n\(btfLog.text)")
    }
    let map = try BPF.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 8, maxEntries: 1))

    var code = Array(object.bytes(of: program))
    for relocation in object.relocations(of: program) where relocation.symbolName == "values" {
      guard let slot = relocation.functionSlot, slot * 8 + 8 <= code.count else { continue }
      code[slot * 8 + 1] = (code[slot * 8 + 1] & 0x0F) | 0x10  // src_reg = BPF_PSEUDO_MAP_FD
      code.replaceSubrange(slot * 8 + 4 ..< slot * 8 + 8, with: bytes(UInt32(bitPattern: map.rawValue)))
    }
    var attributes = ProgramLoadAttributes(
      type: program.sectionName == "xdp" ? .xdp : .syscall, instructions: code, license: "GPL", name: name)
    // Kernel: BPF_PROG_TYPE_SYSCALL programs must be loaded sleepable.
    if attributes.type == .syscall { attributes.flags = .sleepable }
    let ext = try BTF.Extension(bytes: extBytes, btf: fixed)
    let start = UInt32(program.offset), end = UInt32(program.offset + program.size)
    let lines = ext.lineInfo.filter { $0.name == program.sectionName }.flatMap(\.records)
      .filter { $0.instructionOffset >= start && $0.instructionOffset < end }
      .map { record -> BTF.LineInfo in
        var r = record
        r.instructionOffset -= start
        return r
      }
    if withLineInfo {
      attributes.btfFD = btfFD.borrowed
      let functions = ext.functionInfo.filter { $0.name == program.sectionName }.flatMap(\.records)
        .filter { $0.instructionOffset >= start && $0.instructionOffset < end }
      attributes.funcInfo = functions.flatMap {
        bytes(($0.instructionOffset - start) / 8) + bytes($0.type.rawValue)
      }
      attributes.funcInfoRecordSize = 8
      attributes.lineInfo = lines.flatMap {
        bytes($0.instructionOffset / 8) + bytes($0.fileNameOffset.offset) + bytes($0.sourceOffset.offset)
          + bytes($0.line << 10 | $0.column)
      }
      attributes.lineInfoRecordSize = 16
    }
    var log = VerifierLog(level: 1, capacity: logCapacity)
    do {
      _ = try BPF.loadProgram(attributes, log: &log)
    } catch {
      _ = map.rawValue
      _ = btfFD.rawValue
      return Rejection(errno: error.errno, log: log.text, lineInfo: lines)
    }
    throw Failure(description: "\(name) loaded, but err_verifier programs must be rejected")
  }
}
