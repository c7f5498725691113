import BTF
@testable import Loader
import Syscall
import Testing

/// Parsing of real verifier logs (see `VerifierSampleLogs` for where they
/// come from). Expected lines are the ones the fixture's header names
/// (Fixtures/src/err_verifier.bpf.c: line 39 `return *value;`, line 48).
@Suite struct VerifierReportTests {
  @Test func namesErrorAndSourceLineOfNullDereference() {
    let report = VerifierReport(log: VerifierSampleLogs.nullDerefWithLineInfo)
    #expect(report.errorLines.last == "R0 invalid mem access 'map_value_or_null'")
    // The last line starts with R0, so the instruction line before it is kept.
    #expect(report.errorLines.first == "7: (79) r0 = *(u64 *)(r0 +0)")
    #expect(report.source == SourceLine(file: "err_verifier.bpf.c", line: 39, text: "return *value;"))
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

/// Verifier logs written by the real kernel, kept as text so that parsing
/// can be tested without root.
///
/// Captured on the project machine (Linux 6.18, x86_64) on 2026-11-25 by
/// loading `Fixtures/obj/err_verifier.bpf.o`'s programs through
/// `ErrVerifierFixture.load` (log level 1) and a socket filter calling the
/// CO-RE poison helper `0xbad2310`; `VerifierKernelTests` checks the same
/// facts against fresh logs from the running kernel. Map addresses are
/// kernel pointers and differ on every load.
enum VerifierSampleLogs {
  /// `null_deref` with BTF, func_info and line_info.
  static let nullDerefWithLineInfo = """
    arg#0 reference type('UNKNOWN ') size cannot be determined: -22
    0: R1=ctx() R10=fp0
    ; int null_deref(void *ctx) @ err_verifier.bpf.c:33
    0: (b4) w1 = 0                        ; R1=0
    ; __u32 key = 0; @ err_verifier.bpf.c:35
    1: (63) *(u32 *)(r10 -4) = r1         ; R1=0 R10=fp0 fp-8=0000????
    2: (bf) r2 = r10                      ; R2=fp0 R10=fp0
    3: (07) r2 += -4                      ; R2=fp-4
    ; __u64 *value = bpf_map_lookup_elem(&values, &key); @ err_verifier.bpf.c:36
    4: (18) r1 = 0xffff8881043c7400       ; R1=map_ptr(ks=4,vs=8)
    6: (85) call bpf_map_lookup_elem#1    ; R0=map_value_or_null(id=1,ks=4,vs=8)
    ; return *value; @ err_verifier.bpf.c:39
    7: (79) r0 = *(u64 *)(r0 +0)
    R0 invalid mem access 'map_value_or_null'
    processed 7 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

    """

  /// `null_deref` without BTF: no source comments in the log.
  static let nullDerefWithoutLineInfo = """
    0: R1=ctx() R10=fp0
    0: (b4) w1 = 0                        ; R1=0
    1: (63) *(u32 *)(r10 -4) = r1         ; R1=0 R10=fp0 fp-8=0000????
    2: (bf) r2 = r10                      ; R2=fp0 R10=fp0
    3: (07) r2 += -4                      ; R2=fp-4
    4: (18) r1 = 0xffff888102b6f000       ; R1=map_ptr(ks=4,vs=8)
    6: (85) call bpf_map_lookup_elem#1    ; R0=map_value_or_null(id=1,ks=4,vs=8)
    7: (79) r0 = *(u64 *)(r0 +0)
    R0 invalid mem access 'map_value_or_null'
    processed 7 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

    """

  /// `packet_oob` with line_info.
  static let packetOutOfBounds = """
    0: R1=ctx() R10=fp0
    ; __u8 *data = (void *)(long)ctx->data; @ err_verifier.bpf.c:45
    0: (61) r1 = *(u32 *)(r1 +0)          ; R1=pkt(r=0)
    ; return *data == 0 ? XDP_DROP : XDP_PASS; @ err_verifier.bpf.c:48
    1: (71) r1 = *(u8 *)(r1 +0)
    invalid access to packet, off=0 size=1, R1(id=0,off=0,r=0)
    R1 offset is outside of the packet
    processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

    """

  /// `r1 = 0; call 0xbad2310; exit` as a socket filter.
  static let poisonedCall = """
    0: R1=ctx() R10=fp0
    0: (b7) r1 = 0                        ; R1=0
    1: (85) call unknown#195896080
    invalid func unknown#195896080
    processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

    """

  /// `r0 = 0; exit` loaded with log level 4 (statistics only).
  static let statisticsOnly = """
    verification time 16 usec
    stack depth 0
    processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

    """

  /// `packet_oob` into a 64-byte buffer: the kernel keeps the tail and
  /// fails with ENOSPC.
  static let packetOutOfBoundsCut = """
    max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

    """
}
