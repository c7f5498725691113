import Foundation
import Glibc
import Loader
import Synchronization
import Syscall
import Testing
import TestSupport
import UAPI

/// The ring buffer consumer against records the kernel writes (programs
/// from `EventPrograms`, run with `BPF_PROG_TEST_RUN`). Expected contents
/// follow from the producer's definition (seq numbers and word patterns);
/// positions and wrapping follow from the kernel's documented layout
/// (8-byte header, 8-byte aligned records, Documentation/bpf/ringbuf.rst).
@Suite("RingBuffer", .kernel, .serialized)
struct RingBufferTests {
  /// Checks a record of the producer: word 0 = seq, word i = seq << 16 | i.
  static func check(_ words: [UInt64], seq expected: UInt64) -> Bool {
    guard words.first == expected else { return false }
    for i in 1..<words.count where words[i] != (expected << 16 | UInt64(i)) { return false }
    return true
  }

  static func words(_ span: RawSpan) -> [UInt64] {
    (0..<(span.byteCount / 8)).map { span.unsafeLoadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) }
  }

  @Test func millionEventsReachTheAsyncSequenceInOrder() async throws {
    let total = 1_000_000
    let batch = 50_000
    let ringFD = try EventPrograms.ringBuffer(size: 4 << 20)
    let counters = try EventPrograms.counters()
    let program = try EventPrograms.ringProducer(ring: ringFD, counters: counters, eventSize: 16)
    let ring = try RingBuffer(map: ringFD.borrowed)
    let received = Atomic<Int>(0)
    let programFD = program.rawValue

    // Producer: batches of runs; before each batch, wait until the consumer
    // is within one batch, so at most two batches (2.4 MB) are in the 4 MiB ring.
    let producer = Task.detached { () throws -> Void in
      var produced = 0
      while produced < total {
        while received.load(ordering: .acquiring) < produced - batch {
          try await Task.sleep(for: .milliseconds(1))
        }
        let attributes = BPF.TestRunAttributes(
          program: BorrowedFD(programFD), data: [UInt8](repeating: 0, count: 64),
          repeatCount: UInt32(batch))
        _ = try BPF.testRun(attributes)
        produced += batch
      }
    }

    var expected: UInt64 = 0
    var wrong = 0
    var firstWrong: String? = nil
    for try await record in ring.events {
      let words: [UInt64] = record.withUnsafeBytes { raw in
        (0..<(raw.count / 8)).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) }
      }
      if record.count != 16 || !Self.check(words, seq: expected) {
        wrong += 1
        if firstWrong == nil { firstWrong = "record \(expected): \(record)" }
      }
      expected += 1
      received.store(Int(expected), ordering: .releasing)
      if expected == UInt64(total) { break }
    }
    try await producer.value
    #expect(expected == UInt64(total))
    #expect(wrong == 0, "\(firstWrong ?? "")")
    let values = try EventPrograms.read(counters: counters)
    #expect(values[0] == UInt64(total), "sequence numbers handed out by the program")
    #expect(values[1] == 0, "failed reserves")
    #expect(ring.pendingBytes == 0)
    ring.close()
  }

  @Test func discardedRecordsAreSkipped() throws {
    let ringFD = try EventPrograms.ringBuffer(size: 1 << 16)
    let counters = try EventPrograms.counters()
    let program = try EventPrograms.ringProducer(
      ring: ringFD, counters: counters, eventSize: 24, discardOdd: true)
    let ring = try RingBuffer(map: ringFD.borrowed)
    try EventPrograms.run(program, count: 100)
    var seqs: [UInt64] = []
    var allValid = true
    let n = try ring.consume { record in
      let w = Self.words(record)
      allValid = allValid && record.byteCount == 24 && Self.check(w, seq: w[0])
      seqs.append(w[0])
    }
    #expect(n == 50)
    #expect(allValid)
    #expect(seqs == Array(stride(from: UInt64(0), to: 100, by: 2)))
    // The discarded records were still consumed: nothing is left.
    #expect(ring.pendingBytes == 0)
    #expect(try ring.consume { _ in } == 0)
  }

  @Test func recordsThatWrapTheEndAreContiguous() throws {
    // One page of data; 1000-byte records take 1008 bytes with the header,
    // so record k starts at 1008 * k mod 4096: record 4 starts at 4032 and
    // runs past the end, record 8 starts at 3968 (8064 - 4096) and wraps too.
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    #expect(page == 4096)
    let ringFD = try EventPrograms.ringBuffer(size: UInt32(page))
    let counters = try EventPrograms.counters()
    let program = try EventPrograms.ringProducer(ring: ringFD, counters: counters, eventSize: 1000)
    let ring = try RingBuffer(map: ringFD.borrowed)
    var seen: [UInt64] = []
    var valid = true
    for _ in 0..<20 {
      try EventPrograms.run(program, count: 3)
      try ring.consume { record in
        let w = Self.words(record)
        valid = valid && record.byteCount == 1000 && Self.check(w, seq: w[0])
        seen.append(w[0])
      }
    }
    #expect(valid)
    #expect(seen == Array(0..<60))
    #expect(try EventPrograms.read(counters: counters)[1] == 0, "no failed reserves")
    // Independent of our reader: which records wrapped, from the layout.
    let wrapped = (0..<60).filter { k in (k * 1008) % page + 1008 > page }
    #expect(wrapped.count >= 10)
  }

  @Test func pollTimesOutWhenEmptyAndWakesForNewRecords() async throws {
    let ringFD = try EventPrograms.ringBuffer(size: 1 << 16)
    let counters = try EventPrograms.counters()
    let program = try EventPrograms.ringProducer(ring: ringFD, counters: counters, eventSize: 16)
    let ring = try RingBuffer(map: ringFD.borrowed)
    #expect(try ring.poll(timeout: .milliseconds(50)) { _ in } == 0)
    // A bound on the wait for the records below (a loop guard, not an assertion).
    let clock = ContinuousClock()
    let start = clock.now
    let programFD = program.rawValue
    // The producer runs on a thread of its own: `poll` blocks the calling
    // thread, and on a busy 2-core machine a task would wait for a free
    // thread of the cooperative pool while this one sits in poll.
    let produced = DispatchSemaphore(value: 0)
    let runError = Mutex<(any Error)?>(nil)
    let producer = Thread {
      usleep(50_000)
      do {
        _ = try BPF.testRun(BPF.TestRunAttributes(
          program: BorrowedFD(programFD), data: [UInt8](repeating: 0, count: 64), repeatCount: 5))
      } catch {
        runError.withLock { $0 = error }
      }
      produced.signal()
    }
    producer.start()
    var got = 0
    while got < 5 {
      got += try ring.poll(timeout: .seconds(5)) { _ in }
      if clock.now - start > .seconds(10) { break }
    }
    produced.wait()
    #expect(runError.withLock { $0 } == nil)
    #expect(got == 5)
  }

  @Test func rejectsMapsOfOtherTypes() throws {
    let counters = try EventPrograms.counters()
    #expect(throws: EventError.self) { try RingBuffer(map: counters.borrowed) }
    do {
      _ = try RingBuffer(map: counters.borrowed)
    } catch {
      guard case .wrongMapType(_, let expected, let actual) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(expected == "BPF_MAP_TYPE_RINGBUF")
      #expect(actual == "BPF_MAP_TYPE_ARRAY")
    }
  }

  @Test func closeEndsAnIterationThatWaits() async throws {
    let ringFD = try EventPrograms.ringBuffer(size: 1 << 16)
    let ring = try RingBuffer(map: ringFD.borrowed)
    let iteration = Task {
      var count = 0
      for try await _ in ring.events { count += 1 }
      return count
    }
    try await Task.sleep(for: .milliseconds(50))
    ring.close()
    #expect(try await iteration.value == 0)
    #expect(ring.isClosed)
    #expect(throws: EventError.closed(buffer: ring.label)) { try ring.consume { _ in } }
  }

  @Test func cancellingEndsAnIterationThatWaits() async throws {
    let ringFD = try EventPrograms.ringBuffer(size: 1 << 16)
    let ring = try RingBuffer(map: ringFD.borrowed)
    let iteration = Task {
      var count = 0
      for try await _ in ring.events { count += 1 }
      return count
    }
    try await Task.sleep(for: .milliseconds(50))
    iteration.cancel()
    #expect(try await iteration.value == 0)
    ring.close()
  }
}
