import Glibc
import Syscall
import Testing
import TestSupport
@testable import Loader

/// Ring buffer consumption without root: the reader maps a ring the fake
/// kernel keeps in ordinary memory, written in the kernel's record format
/// (`FakeRingBuffer`), through the same `KernelInterface` calls it makes on
/// the real kernel.
@Suite struct RingBufferFakeKernelTests {
  /// Payload `n`: its length and bytes follow from `n`, so every record can
  /// be checked on its own (lengths 1 through 97, wrapping the ring often).
  static func payload(_ n: Int) -> [UInt8] {
    (0..<(n % 97 + 1)).map { UInt8(truncatingIfNeeded: n &* 31 &+ $0) }
  }

  @Test func consumeReadsEveryRecordInOrderAcrossTheWrap() throws {
    let kernel = FakeKernel()
    let (map, producer) = try kernel.makeRingBuffer(size: 4096)
    let ring = try RingBuffer(map: map)
    defer { ring.close() }
    #expect(ring.capacity == 4096)
    var next = 0
    var received = 0
    // Many rounds of a few records: the write position passes the end of the
    // 4 KiB data area about twenty times, so records straddle it.
    for _ in 0..<200 {
      for _ in 0..<7 {
        #expect(producer.produce(Self.payload(next)))
        next += 1
      }
      let count = try ring.consume { record in
        let bytes = record.withUnsafeBytes { Array($0) }
        #expect(bytes == Self.payload(received), "record \(received)")
        received += 1
      }
      #expect(count == 7)
      // The reader published how far it read: the producer may reuse the space.
      #expect(producer.consumerPosition == producer.producerPosition)
    }
    #expect(received == 1400)
    #expect(producer.producerPosition > 16 * 4096, "the ring wrapped many times")
  }

  @Test func discardedRecordsAreSkippedAndBusyOnesWaitForTheirCommit() throws {
    let kernel = FakeKernel()
    let (map, producer) = try kernel.makeRingBuffer(size: 4096)
    let ring = try RingBuffer(map: map)
    defer { ring.close() }
    producer.produce([1, 2, 3])
    producer.produce([9, 9], discard: true)
    let busyAt = producer.producerPosition
    producer.produce([4, 5, 6, 7], busy: true)
    producer.produce([8])
    var seen: [[UInt8]] = []
    _ = try ring.consume { seen.append($0.withUnsafeBytes { Array($0) }) }
    // Kernel: a busy record stops the consumer; records behind it wait.
    #expect(seen == [[1, 2, 3]])
    #expect(producer.consumerPosition == busyAt)
    producer.commit(at: busyAt)
    _ = try ring.consume { seen.append($0.withUnsafeBytes { Array($0) }) }
    #expect(seen == [[1, 2, 3], [4, 5, 6, 7], [8]])
  }

  @Test(.timeLimit(.minutes(1)))
  func eventsSequenceDeliversRecordsThenEndsWhenClosed() async throws {
    let kernel = FakeKernel()
    let (map, producer) = try kernel.makeRingBuffer(size: 8192, name: "events")
    let ring = try RingBuffer(map: map)
    for n in 0..<100 { producer.produce(Self.payload(n)) }
    var received: [[UInt8]] = []
    for try await record in ring.events {
      received.append(record)
      if received.count == 100 { ring.close() }
    }
    #expect(received == (0..<100).map(Self.payload))
    #expect(ring.isClosed)
  }

  @Test func aMapOfAnotherTypeIsRefusedWithItsName() throws {
    let kernel = FakeKernel()
    let fd = try kernel.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 4, maxEntries: 1, name: "counts"))
    let map = LoadedObject.Map.adopting(fd, name: "counts", type: .hash, kernel: kernel)
    #expect(throws: EventError.wrongMapType(buffer: "map counts", expected: "BPF_MAP_TYPE_RINGBUF",
                                            actual: "BPF_MAP_TYPE_HASH")) {
      try RingBuffer(map: map)
    }
  }
}
