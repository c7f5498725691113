import BTF
import Foundation
import Testing
import TestSupport
@testable import Loader
import Syscall

/// The kernel layouts the event readers rely on, checked against the C
/// headers (a host C program built with the toolchain's clang prints
/// offsetof/enum values) and against the running kernel's BTF.
@Suite("Event buffer layouts")
struct EventsLayoutTests {
  /// Builds and runs a C program that prints `name=value` lines.
  static func hostFacts() throws -> [String: Int]? {
    guard let clang = Toolchain.tool("clang") else {
      if TestEnvironment.mustNotSkip { Issue.record("clang missing at \(Toolchain.binDirectory)") }
      return nil
    }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftbpf-events-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = directory.appendingPathComponent("facts.c")
    let binary = directory.appendingPathComponent("facts")
    try """
      #include <stddef.h>
      #include <stdio.h>
      #include <linux/bpf.h>
      #include <linux/perf_event.h>
      #define P(name, value) printf("%s=%lld\\n", name, (long long)(value))
      int main(void) {
        P("data_head", offsetof(struct perf_event_mmap_page, data_head));
        P("data_tail", offsetof(struct perf_event_mmap_page, data_tail));
        P("data_offset", offsetof(struct perf_event_mmap_page, data_offset));
        P("data_size", offsetof(struct perf_event_mmap_page, data_size));
        P("header_size_field", offsetof(struct perf_event_header, size));
        P("PERF_RECORD_LOST", PERF_RECORD_LOST);
        P("PERF_RECORD_SAMPLE", PERF_RECORD_SAMPLE);
        P("PERF_SAMPLE_RAW", PERF_SAMPLE_RAW);
        P("PERF_COUNT_SW_BPF_OUTPUT", PERF_COUNT_SW_BPF_OUTPUT);
        P("BPF_RINGBUF_BUSY_BIT", BPF_RINGBUF_BUSY_BIT);
        P("BPF_RINGBUF_DISCARD_BIT", BPF_RINGBUF_DISCARD_BIT);
        P("BPF_RINGBUF_HDR_SZ", BPF_RINGBUF_HDR_SZ);
        return 0;
      }
      """.write(to: source, atomically: true, encoding: .utf8)
    let build = try runProcess(clang, [source.path, "-o", binary.path])
    try #require(build.status == 0, "clang failed: \(build.stderr)")
    let run = try runProcess(binary.path, [])
    var facts: [String: Int] = [:]
    for line in run.stdout.split(separator: "\n") {
      let parts = line.split(separator: "=")
      if parts.count == 2, let v = Int(parts[1]) { facts[String(parts[0])] = v }
    }
    return facts
  }

  @Test func perfAndRingConstantsMatchTheHeaders() throws {
    guard let facts = try Self.hostFacts() else { return }
    #expect(facts["data_head"] == PerfBuffer.dataHeadOffset)
    #expect(facts["data_tail"] == PerfBuffer.dataTailOffset)
    #expect(facts["data_offset"] == PerfBuffer.dataOffsetOffset)
    #expect(facts["data_size"] == PerfBuffer.dataSizeOffset)
    #expect(facts["header_size_field"] == 6)
    #expect(facts["PERF_RECORD_LOST"] == Int(PerfBuffer.recordLost))
    #expect(facts["PERF_RECORD_SAMPLE"] == Int(PerfBuffer.recordSample))
    #expect(facts["BPF_RINGBUF_BUSY_BIT"] == Int(RingBuffer.busyBit))
    #expect(facts["BPF_RINGBUF_DISCARD_BIT"] == Int(RingBuffer.discardBit))
    #expect(facts["BPF_RINGBUF_HDR_SZ"] == RingBuffer.headerSize)
  }

  /// The kernel's `struct bpf_ringbuf`: consumer position, producer position
  /// and data each start a page, in that order — what the two mappings assume.
  @Test func ringPagesFollowTheKernelStruct() throws {
    let btf: BTF
    do { btf = try BTF.kernel() } catch {
      if TestEnvironment.mustNotSkip { Issue.record("no kernel BTF: \(error)") }
      return
    }
    let ring = try #require(btf.firstType(named: "bpf_ringbuf", kind: .struct))
    var offsets: [String: Int] = [:]
    for member in try btf.members(of: ring) {
      offsets[try btf.string(of: member.name)] = member.byteOffset
    }
    let consumer = try #require(offsets["consumer_pos"])
    let page = SharedMemory.pageSize
    #expect(consumer % page == 0)
    #expect(offsets["producer_pos"] == consumer + page)
    #expect(offsets["data"] == consumer + 2 * page)
  }

  @Test func parsesKernelCPULists() {
    #expect(PerfBuffer.parseCPUList("0-3,5,7-8\n") == [0, 1, 2, 3, 5, 7, 8])
    #expect(PerfBuffer.parseCPUList("0\n") == [0])
    #expect(PerfBuffer.parseCPUList("x,3-1,4") == [4])
  }
}
