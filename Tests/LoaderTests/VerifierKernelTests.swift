import BTF
import Instructions
import Syscall
import Testing
import TestSupport
import UAPI
@testable import Loader

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
    let code = try #require(try ErrVerifierFixture.object().program(named: "packet_oob")?.code)
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
