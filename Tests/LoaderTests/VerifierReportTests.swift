import BTF
import Syscall
import Testing
@testable import Loader

/// Parsing of real verifier logs (see `VerifierSampleLogs` for where they
/// come from). Expected lines are the ones the fixture's header names
/// (Fixtures/src/err_verifier.bpf.c: line 39 `return *value;`, line 48).
@Suite struct VerifierReportTests {
  @Test func namesErrorAndSourceLineOfNullDereference() {
    let report = VerifierReport(log: VerifierSampleLogs.nullDerefWithLineInfo)
    #expect(report.errorLines.last == "R0 invalid mem access 'map_value_or_null'")
    // The last line starts with R0, so the instruction line before it is kept.
    #expect(report.errorLines.first == "7: (79) r0 = *(u64 *)(r0 +0)")
    #expect(report.source == SourceLocation(file: "err_verifier.bpf.c", line: 39, text: "return *value;"))
    #expect(report.failingInstruction == 7)
    #expect(report.coreRelocationFailure == nil)
    // 15 lines, 2 shown.
    #expect(report.omittedLineCount == 13)
    let text = report.description
    #expect(text.contains("R0 invalid mem access 'map_value_or_null'"))
    #expect(text.contains("err_verifier.bpf.c:39: return *value;"))
    #expect(text.contains("13 lines omitted"))
    #expect(!text.contains("processed 7 insns"))
  }

  @Test func keepsThePacketLineBeforeARegisterDetail() {
    let report = VerifierReport(log: VerifierSampleLogs.packetOutOfBounds)
    #expect(report.errorLines == [
      "invalid access to packet, off=0 size=1, R1(id=0,off=0,r=0)",
      "R1 offset is outside of the packet",
    ])
    #expect(report.errorLine == report.errorLines.joined(separator: "\n"))
    #expect(report.source?.line == 48)
    #expect(report.source?.text == "return *data == 0 ? XDP_DROP : XDP_PASS;")
    #expect(report.failingInstruction == 1)
  }

  @Test func resolvesSourceFromLineTableWhenLogHasNone() {
    // line_info as clang wrote it into err_verifier.bpf.o for null_deref
    // (instruction → line; the source text keeps clang's leading tab).
    let table = SourceLineTable([
      .init(instruction: 0, location: .init(file: "err_verifier.bpf.c", line: 33, text: "int null_deref(void *ctx)")),
      .init(instruction: 1, location: .init(file: "err_verifier.bpf.c", line: 35, text: "__u32 key = 0;")),
      .init(instruction: 4, location: .init(file: "err_verifier.bpf.c", line: 36, text: "__u64 *value = bpf_map_lookup_elem(&values, &key);")),
      .init(instruction: 7, location: .init(file: "err_verifier.bpf.c", line: 39, text: "return *value;")),
    ])
    let without = VerifierReport(log: VerifierSampleLogs.nullDerefWithoutLineInfo)
    #expect(without.source == nil)
    #expect(without.failingInstruction == 7)
    let with = VerifierReport(log: VerifierSampleLogs.nullDerefWithoutLineInfo, lineTable: table)
    #expect(with.source?.line == 39)
    #expect(with.description.contains("return *value;"))
  }

  @Test func lineTableFindsTheLineAnInstructionBelongsTo() {
    let table = SourceLineTable([
      .init(instruction: 4, location: .init(file: "a.c", line: 36, text: "b")),
      .init(instruction: 0, location: .init(file: "a.c", line: 33, text: "a")),
    ])
    #expect(table.location(at: 0)?.line == 33)
    #expect(table.location(at: 3)?.line == 33)
    #expect(table.location(at: 4)?.line == 36)
    #expect(table.location(at: 100)?.line == 36)
    #expect(SourceLineTable([]).location(at: 0) == nil)
    #expect(SourceLineTable([.init(instruction: 2, location: .init(file: "a.c", line: 1, text: ""))]).location(at: 1) == nil)
  }

  @Test func poisonedCallBecomesCORERelocationFailure() {
    let spec = "[3] struct task_struct.pid (0:17 @ offset 2584)"
    let report = VerifierReport(log: VerifierSampleLogs.poisonedCall, coreRelocations: [1: spec])
    #expect(report.failingInstruction == 1)
    #expect(report.coreRelocationFailure == spec)
    #expect(report.description.hasPrefix("CO-RE relocation failed: \(spec)"))
    #expect(!report.description.contains("invalid func"))

    let closure = VerifierReport(log: VerifierSampleLogs.poisonedCall) { $0 == 1 ? "by closure" : nil }
    #expect(closure.description.hasPrefix("CO-RE relocation failed: by closure"))

    let unknown = VerifierReport(log: VerifierSampleLogs.poisonedCall)
    #expect(unknown.description.hasPrefix("CO-RE relocation failed: instruction 1"))
  }

  @Test func parsesStatistics() throws {
    let stats = try #require(VerifierReport(log: VerifierSampleLogs.nullDerefWithLineInfo).statistics)
    #expect(stats.processedInstructions == 7)
    #expect(stats.instructionLimit == 1_000_000)
    #expect(stats.maxStatesPerInstruction == 0)
    #expect(stats.totalStates == 0)
    #expect(stats.peakStates == 0)
    #expect(stats.markRead == 0)

    let only = try #require(VerifierStatistics(log: VerifierSampleLogs.statisticsOnly))
    #expect(only.processedInstructions == 2)
    #expect(only.verificationTimeMicroseconds == 16)
    #expect(only.stackDepths == [0])
    #expect(VerifierStatistics(log: "stack depth 8+0+16\nprocessed 1 insns")?.stackDepths == [8, 0, 16])
    #expect(VerifierStatistics(log: VerifierSampleLogs.packetOutOfBoundsCut) == nil)
  }

  @Test func statisticsOnlyLogHasNoErrorLine() {
    let report = VerifierReport(log: VerifierSampleLogs.statisticsOnly)
    #expect(report.errorLines.isEmpty)
    #expect(report.description.contains("the verifier log is empty"))
  }

  @Test func emptyAndOddLogsDoNotCrash() {
    for log in ["", "\n\n", "R0", "\t", "; x @ f.c:", "; @ f.c:abc", "99999999999999999999999: (85) call",
                "0: (", "R1 only a detail", String(repeating: "\n", count: 10)] {
      let report = VerifierReport(log: log)
      _ = report.description
      _ = report.statistics
    }
    #expect(VerifierReport(log: "").description == "the verifier log is empty")
    #expect(VerifierReport(log: "99999999999999999999999: (85) call x\nbad").failingInstruction == nil)
  }

  @Test func truncatedLogSaysSo() {
    let report = VerifierReport(log: VerifierSampleLogs.packetOutOfBoundsCut, truncated: true)
    #expect(report.isTruncated)
    #expect(report.description.contains("the log was cut"))
  }
}
