import Testing
@testable import Loader

/// The record walk on memory laid out by hand as the kernel documents it
/// (Documentation/bpf/ringbuf.rst: an 8-byte header per record, `len` with
/// the busy bit 31 and the discard bit 30, records 8-byte aligned), without
/// a kernel: no root needed.
@Suite("RingBuffer record walk")
struct RingBufferWalkTests {
  /// A fake ring: data area, producer and consumer position words.
  final class FakeRing {
    let capacity = 4096
    let data = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 8)
    let positions = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 8)
    var producer: UInt64 = 0

    init() {
      data.initializeMemory(as: UInt8.self, repeating: 0xee, count: capacity)
      positions.initializeMemory(as: UInt64.self, repeating: 0, count: 2)
    }
    deinit {
      data.deallocate()
      positions.deallocate()
    }

    /// Appends a record with `payload` and header flags; returns its position.
    @discardableResult
    func append(_ payload: [UInt8], busy: Bool = false, discard: Bool = false, length: UInt32? = nil) -> UInt64 {
      let at = producer
      var word = length ?? UInt32(payload.count)
      if busy { word |= 1 << 31 }
      if discard { word |= 1 << 30 }
      data.storeBytes(of: word, toByteOffset: Int(at), as: UInt32.self)
      data.storeBytes(of: 0, toByteOffset: Int(at) + 4, as: UInt32.self)
      for (i, byte) in payload.enumerated() {
        data.storeBytes(of: byte, toByteOffset: Int(at) + 8 + i, as: UInt8.self)
      }
      producer += UInt64((payload.count + 8 + 7) / 8 * 8)
      positions.storeBytes(of: producer, toByteOffset: 8, as: UInt64.self)
      return at
    }

    var consumer: UInt64 { positions.load(as: UInt64.self) }

    var state: RingBuffer.State {
      RingBuffer.State(mapping: nil, consumerPosition: positions,
                       producerPosition: UnsafeRawPointer(positions + 8),
                       data: UnsafeRawPointer(data), waiter: nil)
    }

    func walk(limit: Int = .max) throws(EventError) -> [[UInt8]] {
      var out: [[UInt8]] = []
      _ = try RingBuffer.drain(state, capacity: capacity, label: "fake", limit: limit, byteLimit: .max) {
        out.append($0.withUnsafeBytes { Array($0) })
      }
      return out
    }
  }

  @Test func readsRecordsInOrderAndAdvancesByAlignedSize() throws {
    let ring = FakeRing()
    ring.append([1, 2, 3, 4, 5])        // 5 bytes: 8 + 5 rounded up to 16
    ring.append([6])
    ring.append(Array(0..<16))         // 16 bytes: 24
    #expect(try ring.walk() == [[1, 2, 3, 4, 5], [6], Array(0..<16)])
    #expect(ring.consumer == 16 + 16 + 24)
    #expect(try ring.walk() == [])
  }

  @Test func skipsDiscardedRecords() throws {
    let ring = FakeRing()
    ring.append([1])
    ring.append([2, 2], discard: true)
    ring.append([3])
    #expect(try ring.walk() == [[1], [3]])
    #expect(ring.consumer == 48)
  }

  @Test func stopsAtABusyRecordAndResumesThere() throws {
    let ring = FakeRing()
    ring.append([1])
    let busy = ring.append([2], busy: true)
    ring.append([3])
    #expect(try ring.walk() == [[1]])
    #expect(ring.consumer == busy)
    // The producer commits: the busy bit clears.
    ring.data.storeBytes(of: UInt32(1), toByteOffset: Int(busy), as: UInt32.self)
    #expect(try ring.walk() == [[2], [3]])
  }

  @Test func honoursTheLimit() throws {
    let ring = FakeRing()
    for i in 0..<5 { ring.append([UInt8(i)]) }
    #expect(try ring.walk(limit: 2) == [[0], [1]])
    #expect(try ring.walk() == [[2], [3], [4]])
  }

  @Test func rejectsALengthPastTheProducer() throws {
    let ring = FakeRing()
    ring.append([1])
    let bad = ring.append([9], length: 200)  // claims 200 bytes; only 16 were published
    #expect(throws: EventError.corruptRecord(
      buffer: "fake", position: bad, reason: "record length 200 runs past the producer position 32")) {
      _ = try ring.walk()
    }
    #expect(ring.consumer == bad, "the good record before it was consumed")
  }
}
