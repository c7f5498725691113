import ArgumentParser
import Dispatch
import LibBPFHarness
import SwiftBPF

#if canImport(Glibc)
import Glibc
#endif

/// `swiftbpf-bench ringbuf`: how fast records leave a ring buffer, ours
/// (`RingBuffer.poll`) against libbpf (`ring_buffer__poll`), on the same map.
///
/// Each timed step first fills the ring (untimed) with a BPF program run by
/// `BPF_PROG_TEST_RUN` (one record per run, word 0 = a sequence number),
/// then times one poll that drains it; both sides' callbacks sum word 0 of
/// every record, and the count and sum are checked against what was produced.
/// Needs root (CAP_BPF).
struct RingBufBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ringbuf",
    abstract: "Drain rate of a filled ring buffer: SwiftBPF RingBuffer vs libbpf ring_buffer.")

  @Option(help: "Ring size in bytes (a power of two, page multiple).")
  var ringSize = 16 << 20

  @Option(help: "Timed drains per side and event size.")
  var iterations = 50

  @Option(help: "Untimed drains per side first.")
  var warmup = 3

  @Option(help: "Event sizes in bytes (multiples of 8).")
  var sizes: [Int] = [16, 1024]

  @Option(help: "Profiling aid: drain only with this reader (poll, typed, batches), `iterations` times, for `perf record -g`; the first size only.")
  var profile: String? = nil

  mutating func validate() throws {
    guard ringSize > 0, ringSize & (ringSize - 1) == 0, ringSize % 4096 == 0 else {
      throw ValidationError("--ring-size must be a power of two multiple of 4096")
    }
    guard iterations > 0, warmup >= 0, sizes.allSatisfy({ $0 >= 8 && $0 % 8 == 0 }) else {
      throw ValidationError("positive iterations and event sizes that are multiples of 8")
    }
  }

  func run() throws {
    if let workload = profile {
      try runProfile(workload, eventSize: sizes[0])
      return
    }
    var report = Report(title: "Ring buffer drain: \(ringSize >> 20) MiB ring, records summed in the callback")
    report.notes.append(Report.machine() + ", libbpf " + String(cString: lbh_version()))
    for size in sizes { try benchmark(eventSize: size, into: &report) }
    print(report.render())
  }

  /// A fresh ring buffer map with its producer, filled with `events` records.
  ///
  /// Every timed drain gets its own map: the drain rate depends on where in
  /// the ring the records sit (a run that crosses the end reads through the
  /// second mapping of the data pages) and on which physical pages hold
  /// them, so reusing one map would hand the two sides different offsets.
  /// With a fresh map both start at offset 0 on freshly allocated pages.
  final class FilledRing {
    let map: OwnedFD
    let events: Int
    /// Sum of the sequence numbers written (0 ..< events).
    var expectedSum: UInt64 { UInt64(events) * UInt64(events - 1) / 2 }

    init(size: Int, eventSize: Int, events: Int) throws {
      map = try BPF.createMap(MapCreateAttributes(
        type: .ringbuf, keySize: 0, valueSize: 0, maxEntries: UInt32(size), name: "bench_rb"))
      let counters = try BPF.createMap(MapCreateAttributes(
        type: .array, keySize: 4, valueSize: 16, maxEntries: 1, name: "bench_cnt"))
      let program = try RingBufProducer.load(ring: map.borrowed, counters: counters.borrowed,
                                             eventSize: eventSize)
      _ = try BPF.testRun(BPF.TestRunAttributes(
        program: program.borrowed, data: [UInt8](repeating: 0, count: 64),
        repeatCount: UInt32(events)))
      var key: UInt32 = 0
      var values: (UInt64, UInt64) = (0, 0)
      _ = try BPF.lookup(map: counters.borrowed, key: &key, value: &values)
      self.events = events
      guard values.0 == UInt64(events), values.1 == 0 else {
        throw BenchError.mismatch("producer: next seq \(values.0) (expected \(events)), failed reserves \(values.1)")
      }
    }
  }

  private func benchmark(eventSize: Int, into report: inout Report) throws {
    let record = (eventSize + 8 + 7) & ~7
    let events = ringSize / record * 9 / 10

    var oursTimes: [UInt64] = [], libbpfTimes: [UInt64] = []
    for round in 0 ..< warmup + iterations {
      for step in 0 ..< 2 {
        let oursTurn = (round + step) % 2 == 0
        let ring = try FilledRing(size: ringSize, eventSize: eventSize, events: events)
        var count = 0
        var sum: UInt64 = 0
        let elapsed: UInt64
        if oursTurn {
          let ours = try RingBuffer(map: ring.map.borrowed)
          let start = monotonicNanoseconds()
          count = try ours.poll(timeout: .zero) { record in
            sum &+= record.unsafeLoadUnaligned(as: UInt64.self)
          }
          elapsed = monotonicNanoseconds() - start
          ours.close()
        } else {
          guard let theirs = lbh_ringbuf_new(ring.map.rawValue) else {
            throw BenchError.libbpf(operation: "ring_buffer__new", path: "ring buffer map", errno: errno)
          }
          defer { lbh_ringbuf_free(theirs) }
          let start = monotonicNanoseconds()
          let n = lbh_ringbuf_poll(theirs, 0)
          elapsed = monotonicNanoseconds() - start
          guard n >= 0 else {
            throw BenchError.libbpf(operation: "ring_buffer__poll", path: "ring buffer map", errno: Int32(-n))
          }
          count = Int(n)
          sum = lbh_ringbuf_sum(theirs)
        }
        guard count == events, sum == ring.expectedSum else {
          throw BenchError.mismatch("\(oursTurn ? "ours" : "libbpf") drained \(count) records (sum \(sum)), expected \(events) (sum \(ring.expectedSum))")
        }
        if round >= warmup {
          if oursTurn { oursTimes.append(elapsed) } else { libbpfTimes.append(elapsed) }
        }
      }
    }
    let oursTiming = Timing(samples: oursTimes), libbpfTiming = Timing(samples: libbpfTimes)
    report.addTime("drain \(events) × \(eventSize) B", ours: oursTiming, libbpf: libbpfTiming, target: 1.0)
    let rate = { (t: Timing) in Report.fixed(Double(events) / (t.median / 1e9) / 1e6, 1) + "M events/s" }
    report.notes.append("\(eventSize) B events: ours \(rate(oursTiming)), libbpf \(rate(libbpfTiming)) (medians)")

    // The async sequence on top (ours only): copies each record into an array.
    var asyncTimes: [UInt64] = []
    for round in 0 ..< warmup + iterations {
      let ring = try FilledRing(size: ringSize, eventSize: eventSize, events: events)
      let ours = try RingBuffer(map: ring.map.borrowed)
      let elapsed = try Self.drainAsync(ours, count: events)
      ours.close()
      if round >= warmup { asyncTimes.append(elapsed) }
    }
    report.addTime("  same, `for try await` over RingBuffer.events", ours: Timing(samples: asyncTimes), libbpf: nil)
    report.notes.append("\(eventSize) B events through the async sequence: \(rate(Timing(samples: asyncTimes)))")

    // Typed values (one load per record, no array) where a Swift type of the
    // event's size is at hand, and zero-copy batches (records read in place).
    var typedTimes: [UInt64] = [], batchTimes: [UInt64] = []
    for round in 0 ..< warmup + iterations {
      if eventSize == MemoryLayout<SixteenByteEvent>.size {
        let ring = try FilledRing(size: ringSize, eventSize: eventSize, events: events)
        let ours = try RingBuffer(map: ring.map.borrowed)
        let elapsed = try Self.timeAsync {
          var seen = 0
          for try await event in try ours.events(of: SixteenByteEvent.self) {
            blackHole(event.seq)
            seen += 1
            if seen == events { break }
          }
        }
        ours.close()
        if round >= warmup { typedTimes.append(elapsed) }
      }
      let ring = try FilledRing(size: ringSize, eventSize: eventSize, events: events)
      let ours = try RingBuffer(map: ring.map.borrowed)
      let elapsed = try Self.timeAsync {
        var seen = 0
        for try await batch in ours.batches {
          var sum: UInt64 = 0
          try batch.forEach { record in sum &+= record.unsafeLoadUnaligned(fromByteOffset: 0, as: UInt64.self) }
          blackHole(sum)
          seen += batch.count
          if seen >= events { break }
        }
      }
      ours.close()
      if round >= warmup { batchTimes.append(elapsed) }
    }
    if !typedTimes.isEmpty {
      report.addTime("  same, `for try await` over RingBuffer.events(of:)", ours: Timing(samples: typedTimes), libbpf: nil)
      report.notes.append("\(eventSize) B events as typed values: \(rate(Timing(samples: typedTimes)))")
    }
    report.addTime("  same, `for try await` over RingBuffer.batches", ours: Timing(samples: batchTimes), libbpf: nil)
    report.notes.append("\(eventSize) B events in zero-copy batches: \(rate(Timing(samples: batchTimes)))")
    // The typed-maps issue's event targets, for 16-byte records: the batch
    // form at least half libbpf's rate (its drain time at most twice
    // libbpf's), and the per-element sequence at least 20M events/s.
    if eventSize == 16 {
      report.addTime("  batches vs ring_buffer__poll (≥ half the rate)", ours: Timing(samples: batchTimes),
                     libbpf: libbpfTiming, target: 2.0)
      if !typedTimes.isEmpty {
        report.addRate("  events(of:) rate", events: events, ours: Timing(samples: typedTimes), atLeast: 20)
      }
    }
  }

  /// One reader alone on freshly filled rings (`--profile`); the fills are
  /// in the profile too, under `bpf_prog_test_run`.
  private func runProfile(_ workload: String, eventSize: Int) throws {
    let events = ringSize / ((eventSize + 8 + 7) & ~7) * 9 / 10
    var total: UInt64 = 0
    for _ in 0 ..< iterations {
      let ring = try FilledRing(size: ringSize, eventSize: eventSize, events: events)
      let ours = try RingBuffer(map: ring.map.borrowed)
      defer { ours.close() }
      switch workload {
      case "poll":
        try ours.poll(timeout: .zero) { record in total &+= record.unsafeLoadUnaligned(as: UInt64.self) }
      case "typed":
        guard eventSize == MemoryLayout<SixteenByteEvent>.size else { throw BenchError.mismatch("typed needs 16-byte events") }
        total &+= try Self.timeAsync {
          var seen = 0
          for try await event in try ours.events(of: SixteenByteEvent.self) {
            blackHole(event.seq)
            seen += 1
            if seen == events { break }
          }
        }
      case "batches":
        total &+= try Self.timeAsync {
          var seen = 0
          for try await batch in ours.batches {
            var sum: UInt64 = 0
            try batch.forEach { record in sum &+= record.unsafeLoadUnaligned(fromByteOffset: 0, as: UInt64.self) }
            blackHole(sum)
            seen += batch.count
            if seen >= events { break }
          }
        }
      default: throw BenchError.mismatch("unknown --profile workload \(workload)")
      }
    }
    print("\(workload): \(total)")
  }

  /// The 16-byte event the producer writes: the sequence number, then padding.
  struct SixteenByteEvent: BitwiseCopyable {
    var seq: UInt64
    var rest: UInt64
  }

  /// Times `body` on a task (blocking this thread until it is done).
  static func timeAsync(_ body: @escaping @Sendable () async throws -> Void) throws -> UInt64 {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<UInt64, any Error> = .success(0)
    Task {
      do {
        let start = monotonicNanoseconds()
        try await body()
        result = .success(monotonicNanoseconds() - start)
      } catch {
        result = .failure(error)
      }
      done.signal()
    }
    done.wait()
    return try result.get()
  }

  /// Times iterating `ring.events` for `count` records (blocking this thread).
  static func drainAsync(_ ring: RingBuffer, count: Int) throws -> UInt64 {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<UInt64, any Error> = .success(0)
    Task {
      do {
        let start = monotonicNanoseconds()
        var seen = 0
        for try await record in ring.events {
          blackHole(record)
          seen += 1
          if seen == count { break }
        }
        result = .success(monotonicNanoseconds() - start)
      } catch {
        result = .failure(error)
      }
      done.signal()
    }
    done.wait()
    return try result.get()
  }
}

/// The producer: a socket filter that reserves one `eventSize` record per
/// run, writes the next sequence number (counters[0]) into word 0 and
/// submits; a failed reserve adds one to counters[1].
enum RingBufProducer {
  static func load(ring: BorrowedFD, counters: BorrowedFD, eventSize: Int) throws -> OwnedFD {
    func op(_ code: UInt8, _ d: Register = .r0, _ s: Register = .r0, _ off: Int16 = 0, _ imm: Int64 = 0) -> Instruction {
      Instruction(opcode: Opcode(rawValue: code), destination: d, source: s, offset: off, immediate: imm)
    }
    let program: [Instruction] = [
      op(0x62, .r10, .r0, -4, 0),                                  //  0: *(u32 *)(r10 - 4) = 0
      .loadImmediate64(.r1, Int64(counters.rawValue), pseudo: .mapFD), //  1: r1 = counters
      op(0xbf, .r2, .r10),                                         //  3: r2 = r10
      op(0x07, .r2, .r0, 0, -4),                                   //  4: r2 += -4
      .call(helper: 1),                                            //  5: map_lookup_elem
      op(0x15, .r0, .r0, 17, 0),                                   //  6: if r0 == 0 goto 24
      op(0xbf, .r7, .r0),                                          //  7: r7 = r0
      .loadImmediate64(.r1, Int64(ring.rawValue), pseudo: .mapFD),  //  8: r1 = ring
      op(0xb7, .r2, .r0, 0, Int64(eventSize)),                     // 10: r2 = size
      op(0xb7, .r3),                                               // 11: r3 = 0
      .call(helper: 131),                                          // 12: ringbuf_reserve
      op(0x55, .r0, .r0, 3, 0),                                    // 13: if r0 != 0 goto 17
      op(0xb7, .r1, .r0, 0, 1),                                    // 14: r1 = 1
      op(0xdb, .r7, .r1, 8, 0),                                    // 15: lock *(u64 *)(r7 + 8) += r1
      op(0x05, .r0, .r0, 7, 0),                                    // 16: goto 24
      op(0x79, .r1, .r7, 0),                                       // 17: r1 = *(u64 *)(r7 + 0)
      op(0x7b, .r0, .r1, 0),                                       // 18: *(u64 *)(r0 + 0) = r1
      op(0x07, .r1, .r0, 0, 1),                                    // 19: r1 += 1
      op(0x7b, .r7, .r1, 0),                                       // 20: *(u64 *)(r7 + 0) = r1
      op(0xbf, .r1, .r0),                                          // 21: r1 = r0
      op(0xb7, .r2),                                               // 22: r2 = 0
      .call(helper: 132),                                          // 23: ringbuf_submit
      op(0xb7, .r0),                                               // 24: r0 = 0
      .exit,                                                       // 25: exit
    ]
    return try BPF.loadProgram(ProgramLoadAttributes(
      type: .socketFilter, instructions: Instruction.encode(program, order: .little),
      license: "GPL", name: "bench_produce"))
  }
}
