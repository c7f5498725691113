import BTF
import ELFReader
import Syscall
import Testing
import TestSupport
@testable import Loader

/// Typed and zero-copy batch reading without root, over the fake kernel's
/// ring buffers and perf rings (records in the kernel's formats).
@Suite struct TypedEventsFakeKernelTests {
  /// 16 bytes, size == stride: like a C struct of u64, u32, u32.
  struct Sample: BitwiseCopyable, Equatable {
    var seq: UInt64
    var pid: UInt32
    var kind: UInt32
  }

  /// size 9, stride 16: C's `struct { u64 a; u8 b; }` is 16 bytes (tail padding).
  struct Padded: BitwiseCopyable {
    var a: UInt64
    var b: UInt8
  }

  static func bytes<T: BitwiseCopyable>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value) { Array($0) }
  }

  static func sample(_ n: Int) -> Sample {
    Sample(seq: UInt64(n), pid: UInt32(1000 + n), kind: 7)
  }

  @Test(.timeLimit(.minutes(1)))
  func typedEventsLoadEveryRecordInOrder() async throws {
    let kernel = FakeKernel()
    let (map, producer) = try kernel.makeRingBuffer(size: 4096)
    let ring = try RingBuffer(map: map)
    // 400 records of 24 ring bytes each: the 4 KiB ring wraps, so the
    // producer refills as the reader drains (the first 150 now).
    for n in 0..<150 { #expect(producer.produce(Self.bytes(Self.sample(n)))) }
    var received: [Sample] = []
    var next = 150
    for try await event in try ring.events(of: Sample.self, batchSize: 16) {
      received.append(event)
      if next < 400, producer.produce(Self.bytes(Self.sample(next))) { next += 1 }
      if received.count == 400 { ring.close() }
    }
    #expect(received == (0..<400).map(Self.sample))
  }

  @Test(.timeLimit(.minutes(1)))
  func aShortRecordThrowsAfterTheRecordsBeforeItAndTheStreamGoesOn() async throws {
    let kernel = FakeKernel()
    let (map, producer) = try kernel.makeRingBuffer(size: 4096, name: "typed")
    let ring = try RingBuffer(map: map)
    defer { ring.close() }
    producer.produce(Self.bytes(Self.sample(1)))
    producer.produce([1, 2, 3])
    producer.produce(Self.bytes(Self.sample(2)))
    var iterator = try ring.events(of: Sample.self).makeAsyncIterator()
    #expect(try await iterator.next() == Self.sample(1))
    await #expect(throws: EventError.recordSizeMismatch(buffer: "map typed", swiftType: "Sample",
                                                        swiftSize: 16, recordSize: 3)) {
      _ = try await iterator.next()
    }
    // The misfit was consumed; the next record follows.
    #expect(try await iterator.next() == Self.sample(2))
    #expect(producer.consumerPosition == producer.producerPosition)
  }

  @Test(.timeLimit(.minutes(1)))
  func misfitsFirstAndInARowEachThrowInTheirPlace() async throws {
    let kernel = FakeKernel()
    let (map, producer) = try kernel.makeRingBuffer(size: 4096, name: "typed")
    let ring = try RingBuffer(map: map)
    defer { ring.close() }
    producer.produce([1])
    producer.produce([1, 2])
    producer.produce(Self.bytes(Self.sample(1)))
    producer.produce([UInt8](repeating: 0, count: 17))
    var iterator = try ring.events(of: Sample.self).makeAsyncIterator()
    var outcomes: [String] = []
    for _ in 0..<4 {
      do {
        if let value = try await iterator.next() { outcomes.append("seq \(value.seq)") }
      } catch let error as EventError {
        guard case .recordSizeMismatch(_, _, _, let size) = error else { throw error }
        outcomes.append("misfit \(size)")
      }
    }
    #expect(outcomes == ["misfit 1", "misfit 2", "seq 1", "misfit 17"])
  }

  @Test func sizeOrStrideFitLongerRecordsNeedAllowLonger() async throws {
    let kernel = FakeKernel()
    let (map, producer) = try kernel.makeRingBuffer(size: 4096)
    let ring = try RingBuffer(map: map)
    defer { ring.close() }
    #expect(MemoryLayout<Padded>.size == 9 && MemoryLayout<Padded>.stride == 16)
    let value = Padded(a: 0x1122_3344_5566_7788, b: 9)
    let full = Self.bytes(value)  // 9 bytes
    producer.produce(full)                                      // size: fits
    producer.produce(full + [UInt8](repeating: 0, count: 7))    // stride: fits
    producer.produce(full + [0, 0, 0])                          // 12: neither
    var strict = try ring.events(of: Padded.self).makeAsyncIterator()
    #expect(try await strict.next()?.a == value.a)
    #expect(try await strict.next()?.b == 9)
    await #expect(throws: EventError.recordSizeMismatch(buffer: "map fake_ring", swiftType: "Padded",
                                                        swiftSize: 9, recordSize: 12)) {
      _ = try await strict.next()
    }
    producer.produce(full + [0, 0, 0])
    producer.produce(full + [UInt8](repeating: 0xEE, count: 40))
    var lenient = try ring.events(of: Padded.self, allowLonger: true).makeAsyncIterator()
    #expect(try await lenient.next()?.a == value.a)
    #expect(try await lenient.next()?.b == 9)
  }

  @Test func theDeclaredRecordTypeIsCheckedAgainstTheSwiftType() throws {
    let kernel = FakeKernel()
    let declared = MapDefinition.RecordType(typeID: BTF.TypeID(rawValue: 8), name: "struct event", size: 16)
    let (map, _) = try kernel.makeRingBuffer(size: 4096, name: "events", recordType: declared)
    #expect(map.recordType == declared)
    #expect(map.valueSize == 0 && map.keySize == 0)
    let ring = try RingBuffer(map: map)
    defer { ring.close() }
    #expect(ring.recordType == declared)
    _ = try ring.events(of: Sample.self)       // 16 == 16
    _ = try ring.events(of: Padded.self)       // stride 16 == 16: C's padded struct
    #expect(throws: EventError.recordTypeMismatch(buffer: "map events", swiftType: "UInt64", swiftSize: 8,
                                                  declaredType: "struct event", declaredSize: 16)) {
      try ring.events(of: UInt64.self)
    }
    // Without a declaration, any type is taken (records are still checked).
    let (plain, _) = try kernel.makeRingBuffer(size: 4096, name: "plain")
    _ = try RingBuffer(map: plain).events(of: UInt64.self)
  }

  @Test(.timeLimit(.minutes(1)))
  func aBatchHoldsEveryRecordOfAWakeupInPlaceUntilTheNextIsAskedFor() async throws {
    let kernel = FakeKernel()
    let (map, producer) = try kernel.makeRingBuffer(size: 4096)
    let ring = try RingBuffer(map: map)
    defer { ring.close() }
    let start = producer.consumerPosition
    for n in 0..<5 { producer.produce(Self.bytes(Self.sample(n))) }
    producer.produce([9, 9], discard: true)
    let busyAt = producer.producerPosition
    producer.produce(Self.bytes(Self.sample(5)), busy: true)
    var batches = ring.batches.makeAsyncIterator()
    let first = try #require(try await batches.next())
    // Five records, the discarded one skipped, the busy one left for later.
    #expect(first.count == 5)
    #expect(first.byteCount == Int(busyAt - start))
    var seen: [Sample] = []
    try first.forEach { (record: RawSpan) in
      #expect(record.byteCount == 16)
      seen.append(record.unsafeLoadUnaligned(fromByteOffset: 0, as: Sample.self))
    }
    #expect(seen == (0..<5).map(Self.sample))
    // Read in place, so not yet consumed: the producer cannot reuse the space.
    #expect(producer.consumerPosition == start)
    var typed: [Sample] = []
    try first.forEach(as: Sample.self) { typed.append($0) }
    #expect(typed == seen)

    producer.commit(at: busyAt)
    producer.produce(Self.bytes(Self.sample(6)))
    let second = try #require(try await batches.next())
    // Asking for the next batch gave the first one's space back.
    #expect(producer.consumerPosition == busyAt)
    #expect(second.count == 2)
    var later: [Sample] = []
    try second.forEach(as: Sample.self) { later.append($0) }
    #expect(later == [Self.sample(5), Self.sample(6)])
    #expect(throws: EventError.batchExpired(buffer: "map fake_ring")) {
      try first.forEach { _ in }
    }
    // Ending the iteration commits the batch that was out.
    _ = consume batches
    #expect(producer.consumerPosition == producer.producerPosition)
  }

  @Test(.timeLimit(.minutes(1)))
  func batchesEndWhenTheRingIsClosed() async throws {
    let kernel = FakeKernel()
    let (map, producer) = try kernel.makeRingBuffer(size: 8192)
    let ring = try RingBuffer(map: map)
    for n in 0..<50 { producer.produce(Self.bytes(Self.sample(n))) }
    var total = 0
    var batchCount = 0
    for try await batch in ring.batches {
      batchCount += 1
      try batch.forEach(as: Sample.self) { #expect($0 == Self.sample(total)); total += 1 }
      if total == 50 { ring.close() }
    }
    #expect(total == 50)
    #expect(batchCount == 1, "one wake-up, one batch")
  }

  static func perfMap(_ kernel: FakeKernel) throws -> LoadedObject.Map {
    let fd = try kernel.createMap(MapCreateAttributes(type: .perfEventArray, keySize: 4, valueSize: 4,
                                                      maxEntries: 1, name: "perf"))
    return LoadedObject.Map.adopting(fd, name: "perf", type: .perfEventArray, maxEntries: 1, kernel: kernel)
  }

  @Test(.timeLimit(.minutes(1)))
  func perfSamplesArriveTypedWithLostReportsInTheirPlace() async throws {
    let kernel = FakeKernel()
    let buffer = try PerfBuffer(map: try Self.perfMap(kernel), pageCount: 1, cpus: [0])
    defer { buffer.close() }
    let ring = try #require(kernel.perfRing(cpu: 0))
    // Kernel padding: u32 size + 16 bytes = 20, rounded to 24: 20 bytes of
    // raw data arrive for a 16-byte struct.
    #expect(ring.sample(Self.bytes(Self.sample(1)) + [0, 0, 0, 0]))
    #expect(ring.lost(3))
    #expect(ring.sample(Self.bytes(Self.sample(2))))
    #expect(ring.sample([1, 2, 3, 4, 5]))
    #expect(ring.sample(Self.bytes(Self.sample(3))))
    var iterator = buffer.events(of: Sample.self).makeAsyncIterator()
    #expect(try await iterator.next() == .sample(cpu: 0, Self.sample(1)))
    #expect(try await iterator.next() == .lost(cpu: 0, count: 3))
    #expect(try await iterator.next() == .sample(cpu: 0, Self.sample(2)))
    await #expect(throws: EventError.recordSizeMismatch(buffer: "map perf cpu 0", swiftType: "Sample",
                                                        swiftSize: 16, recordSize: 5)) {
      _ = try await iterator.next()
    }
    #expect(try await iterator.next() == .sample(cpu: 0, Self.sample(3)))
    #expect(buffer.lostSamples == 3)
  }

  @Test func perfPaddingRuleMatchesTheKernels() {
    // Kernel: raw size = round_up(4 + n, 8) - 4.
    #expect(RecordSizeRule.perfPadded(16) == 20)
    #expect(RecordSizeRule.perfPadded(20) == 20)
    #expect(RecordSizeRule.perfPadded(32) == 36)
    #expect(RecordSizeRule.perfPadded(1) == 4)
  }
}
