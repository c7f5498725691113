import Foundation
import Loader
import Synchronization
import Testing
import TestSupport

/// The issue's million-event check on the shipped fixture itself:
/// `ringbuf.bpf.o`'s `produce` (a syscall program) emits `requested`
/// `seq_event`s per run through `bpf_loop`, counting failed reserves. The
/// expected contents come from its C source: `seq` from 0 upward, `magic` =
/// SEQ_MAGIC (0x53425046), and `failed_reserves` stays 0.
@Suite("RingBuffer: the ringbuf.bpf.o producer", .kernel, .serialized)
struct RingBufferFixtureTests {
  static let magic: UInt32 = 0x5342_5046

  @Test func millionFixtureEventsArriveInOrderWithNoFailedReserve() async throws {
    let total = 1_000_000
    // The ring holds 256 KiB: 24 bytes per record with its header, so about
    // 10,900 records; the producer stays at most two batches ahead.
    let batch = 4_096
    var object = try Object.open(path: Fixture.object("ringbuf.bpf.o").path)
    try object.setVariable("requested", to: UInt32(batch))
    let loaded = try object.load()
    defer { loaded.close() }
    let produce = try #require(loaded.program(named: "produce"))
    let fd = try #require(loaded.map(named: "events")?.borrowedFD)
    let ring = try RingBuffer(map: fd)
    defer { ring.close() }
    let received = Atomic<Int>(0)

    let producer = Task.detached { () throws -> Void in
      var produced = 0
      while produced < total {
        while received.load(ordering: .acquiring) < produced - batch {
          try await Task.sleep(for: .milliseconds(1))
        }
        let result = try produce.testRun(TestRunOptions())
        #expect(result.returnValue == 0, "produce's CHECK failed at line \(result.returnValue)")
        produced += batch
      }
    }

    var expected: UInt64 = 0
    var wrong = 0
    var firstWrong: String?
    let target = UInt64(total / batch * batch + (total % batch == 0 ? 0 : batch))
    for try await record in ring.events {
      let (seq, magic): (UInt64, UInt32) = record.withUnsafeBytes { raw in
        (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
         raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
      }
      if record.count != 16 || seq != expected || magic != Self.magic {
        wrong += 1
        if firstWrong == nil { firstWrong = "record \(expected): seq \(seq), magic \(magic), \(record.count) bytes" }
      }
      expected += 1
      received.store(Int(expected), ordering: .releasing)
      if expected == target { break }
    }
    try await producer.value
    #expect(expected >= UInt64(total))
    #expect(wrong == 0, "\(firstWrong ?? "")")
    #expect(try loaded.variable("failed_reserves", as: UInt64.self) == 0)
    #expect(try loaded.variable("produced", as: UInt64.self) == expected)
    #expect(try loaded.variable("next_seq", as: UInt64.self) == expected)
  }
}
