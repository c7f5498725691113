import Glibc
import Syscall
import Testing
import TestSupport
@testable import Loader

/// `PerfBuffer.batches` over the fake kernel's perf rings: the records of
/// one wake-up read in place, their ring space given back only when the
/// next batch is asked for, lost reports counted once.
@Suite struct PerfBufferBatchTests {
  @Test func aBatchHoldsItsRecordsUntilTheNextIsTaken() async throws {
    let kernel = FakeKernel()
    let map = try PerfBufferFakeKernelTests.perfMap(kernel, slots: 1)
    let buffer = try PerfBuffer(map: map, pageCount: 1, cpus: [0])
    defer { buffer.close() }
    let ring = try #require(kernel.perfRing(cpu: 0))
    let sent: [[UInt8]] = (0..<20).map { n in (0..<(n % 9 + 1)).map { UInt8(truncatingIfNeeded: n * 10 + $0) } }
    for raw in sent { #expect(ring.sample(raw)) }
    #expect(ring.lost(3))

    var iterator = buffer.batches.makeAsyncIterator()
    let batch = try #require(try await iterator.next())
    #expect(batch.count == 20)
    #expect(batch.lostCount == 3)
    #expect(buffer.lostSamples == 3)
    var got: [[UInt8]] = []
    try batch.forEach { cpu, data in
      #expect(cpu == 0)
      got.append(data.withUnsafeBytes { Array($0) })
    }
    // The kernel pads `u32 size` + data to 8 bytes: each sample's head is what was sent.
    #expect(got.count == sent.count)
    #expect(zip(got, sent).allSatisfy { Array($0.prefix($1.count)) == $1 })
    // Read in place: the space is still the reader's until the next batch.
    #expect(ring.tail < ring.head)
    // A second pass sees the same records, and does not count the losses again.
    var again = 0
    try batch.forEach { _, _ in again += 1 }
    #expect(again == 20)
    #expect(buffer.lostSamples == 3)

    #expect(ring.sample([0xAA, 0xBB, 0xCC, 0xDD]))
    let second = try #require(try await iterator.next())
    #expect(second.count == 1)
    #expect(throws: EventError.batchExpired(buffer: buffer.label)) { try batch.forEach { _, _ in } }
    try second.forEach(as: UInt32.self) { _, value in #expect(value == 0xDDCC_BBAA) }
  }

  @Test func typedForEachRefusesAMisfit() async throws {
    let kernel = FakeKernel()
    let map = try PerfBufferFakeKernelTests.perfMap(kernel, slots: 1)
    let buffer = try PerfBuffer(map: map, pageCount: 1, cpus: [0])
    defer { buffer.close() }
    let ring = try #require(kernel.perfRing(cpu: 0))
    #expect(ring.sample(Array(repeating: 1, count: 8)))
    #expect(ring.sample(Array(repeating: 2, count: 16)))
    var iterator = buffer.batches.makeAsyncIterator()
    let batch = try #require(try await iterator.next())
    var values: [UInt64] = []
    #expect(throws: EventError.self) { try batch.forEach(as: UInt64.self) { _, v in values.append(v) } }
    #expect(values == [0x0101_0101_0101_0101], "the sample before the misfit was handed out")
  }

  @Test func closingEndsTheIteration() async throws {
    let kernel = FakeKernel()
    let map = try PerfBufferFakeKernelTests.perfMap(kernel, slots: 1)
    let buffer = try PerfBuffer(map: map, pageCount: 1, cpus: [0])
    let ring = try #require(kernel.perfRing(cpu: 0))
    #expect(ring.sample([1, 2, 3, 4]))
    var iterator = buffer.batches.makeAsyncIterator()
    let batch = try #require(try await iterator.next())
    buffer.close()
    #expect(throws: EventError.closed(buffer: buffer.label)) { try batch.forEach { _, _ in } }
    #expect(try await iterator.next() == nil)
  }
}
