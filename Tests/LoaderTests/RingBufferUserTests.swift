import Foundation
import Loader
import Syscall
import Synchronization
import Testing
import TestSupport

/// User ring buffer: samples written from Swift, drained by a BPF program
/// (`bpf_user_ringbuf_drain`), which counts and sums them in a map. The
/// kernel's counts are the independent check.
@Suite("UserRingBuffer", .kernel, .serialized)
struct RingBufferUserTests {
  static func sample(value: UInt64, tag: UInt64) -> [UInt8] {
    withUnsafeBytes(of: (value.littleEndian, tag.littleEndian)) { Array($0) }
  }

  @Test func programDrainsWhatSwiftSubmits() throws {
    let ringFD = try EventPrograms.ringBuffer(size: 1 << 14, user: true)
    let counters = try EventPrograms.counters()
    let drainer = try EventPrograms.userRingDrainer(userRing: ringFD, counters: counters)
    let ring = try UserRingBuffer(map: ringFD.borrowed)
    #expect(ring.capacity == 1 << 14)
    var expectedSum: UInt64 = 0
    var expectedCount: UInt64 = 0
    // 1,000 samples in rounds of 100, with every 10th discarded; 24 bytes
    // each (16 + header) so a round fits and later rounds wrap the 16 KiB ring.
    for round in 0..<10 {
      for i in 0..<100 {
        let value = UInt64(round * 100 + i + 1)
        var reservation = try ring.reserve(size: 16)
        reservation.bytes.storeBytes(of: value.littleEndian, toByteOffset: 0, as: UInt64.self)
        reservation.bytes.storeBytes(of: 7, toByteOffset: 8, as: UInt64.self)
        if i % 10 == 9 {
          reservation.discard()
        } else {
          reservation.submit()
          expectedSum += value
          expectedCount += 1
        }
      }
      try EventPrograms.run(drainer, count: 1)
      #expect(ring.freeBytes == ring.capacity, "the kernel drained round \(round)")
    }
    let values = try EventPrograms.read(counters: counters)
    #expect(values[0] == expectedCount)
    #expect(values[1] == expectedSum)
    #expect(values[2] == expectedCount, "the helper's return value: samples drained")
  }

  @Test func kernelStopsAtAnUnsubmittedSample() throws {
    let ringFD = try EventPrograms.ringBuffer(size: 1 << 14, user: true)
    let counters = try EventPrograms.counters()
    let drainer = try EventPrograms.userRingDrainer(userRing: ringFD, counters: counters)
    let ring = try UserRingBuffer(map: ringFD.borrowed)
    try ring.write(Self.sample(value: 5, tag: 0))
    let held = try ring.reserve(size: 16)
    held.bytes.storeBytes(of: UInt64(100).littleEndian, toByteOffset: 0, as: UInt64.self)
    try ring.write(Self.sample(value: 7, tag: 0))
    try EventPrograms.run(drainer, count: 1)
    #expect(try EventPrograms.read(counters: counters)[0...1] == [1, 5])
    held.submit()
    try EventPrograms.run(drainer, count: 1)
    #expect(try EventPrograms.read(counters: counters)[0...1] == [3, 112])
  }

  @Test func fullRingRefusesThenWaitsForTheDrain() async throws {
    let ringFD = try EventPrograms.ringBuffer(size: 4096, user: true)
    let counters = try EventPrograms.counters()
    let drainer = try EventPrograms.userRingDrainer(userRing: ringFD, counters: counters)
    let ring = try UserRingBuffer(map: ringFD.borrowed)
    // 1000-byte samples take 1008 bytes: four fit in 4096, a fifth does not.
    let payload = [UInt8](repeating: 1, count: 1000)
    for _ in 0..<4 { try ring.write(payload) }
    #expect(throws: EventError.self) { try ring.write(payload) }
    #expect(throws: EventError.self) { try ring.write(payload, timeout: .milliseconds(20)) }
    let drainerFD = drainer.rawValue
    // The drain runs on a thread of its own: the write below blocks this
    // thread, and a task could wait behind it for a cooperative-pool thread.
    let drained = DispatchSemaphore(value: 0)
    let drainFailed = Atomic<Bool>(false)
    Thread.detachNewThread {
      usleep(50_000)
      do {
        _ = try BPF.testRun(BPF.TestRunAttributes(
          program: BorrowedFD(drainerFD), data: [UInt8](repeating: 0, count: 64), repeatCount: 1))
      } catch {
        drainFailed.store(true, ordering: .relaxed)
      }
      drained.signal()
    }
    try ring.write(payload, timeout: .seconds(30))
    drained.wait()
    let failed = drainFailed.load(ordering: .relaxed)
    #expect(!failed, "the drain's test run failed")
    try EventPrograms.run(drainer, count: 1)
    #expect(try EventPrograms.read(counters: counters)[0] == 5)
  }

  @Test func rejectsSamplesLargerThanTheRing() throws {
    let ringFD = try EventPrograms.ringBuffer(size: 4096, user: true)
    let ring = try UserRingBuffer(map: ringFD.borrowed)
    #expect(ring.maximumSampleSize == 4096 - 8)
    #expect(throws: EventError.recordTooLarge(buffer: ring.label, size: 4096, limit: 4088)) {
      _ = try ring.reserve(size: 4096)
    }
    ring.close()
    #expect(ring.isClosed)
    #expect(throws: EventError.closed(buffer: ring.label)) { _ = try ring.reserve(size: 8) }
  }
}
