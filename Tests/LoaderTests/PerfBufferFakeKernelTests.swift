import Glibc
import Syscall
import Testing
import TestSupport
@testable import Loader

/// Perf buffer consumption without root: one bpf-output perf event per
/// CPU, whose rings the fake kernel keeps in ordinary memory in the
/// kernel's `perf_event_mmap_page` layout (`FakePerfRing`).
@Suite struct PerfBufferFakeKernelTests {
  static func perfMap(_ kernel: FakeKernel, slots: UInt32 = 2) throws -> LoadedObject.Map {
    let fd = try kernel.createMap(MapCreateAttributes(type: .perfEventArray, keySize: 4, valueSize: 4,
                                                      maxEntries: slots, name: "events"))
    return LoadedObject.Map.adopting(fd, name: "events", type: .perfEventArray, maxEntries: slots, kernel: kernel)
  }

  /// The CPUs the reader opens: this machine's online CPUs (from the file
  /// seam's real file) that have a slot in the map.
  static func expectedCPUs(slots: Int) -> [Int] {
    PerfBuffer.onlineCPUs().filter { $0 < slots }
  }

  @Test func samplesAndLostReportsArriveFromEveryCPU() throws {
    let kernel = FakeKernel()
    let map = try Self.perfMap(kernel)
    let buffer = try PerfBuffer(map: map, pageCount: 1)
    defer { buffer.close() }
    #expect(buffer.cpus == Self.expectedCPUs(slots: 2))
    // Each CPU's event was opened as a bpf-output software event (type 1,
    // config 10), stored in the map under the CPU, and enabled.
    var eventByCPU: [Int: CInt] = [:]
    for call in kernel.attachCalls {
      if case .perfEventOpen(1, 10, -1, let cpu, let fd) = call { eventByCPU[Int(cpu)] = fd }
    }
    #expect(Set(eventByCPU.keys) == Set(buffer.cpus))
    // Kernel: the array's key is the CPU and its value the event's
    // descriptor, both u32 in host order.
    let updates = kernel.snapshot.updates.filter { $0.map == "events" }
    #expect(updates.map(\.key) == buffer.cpus.map { Object.bytes(of: UInt32($0), order: .host) })
    #expect(updates.map(\.value) == buffer.cpus.map {
      Object.bytes(of: UInt32(bitPattern: eventByCPU[$0] ?? -1), order: .host)
    })

    var expected: [(Int, [UInt8])] = []
    for round in 0..<50 {
      for cpu in buffer.cpus {
        let raw = (0..<(round % 13 + 1)).map { UInt8(truncatingIfNeeded: cpu * 100 + round + $0) }
        #expect(try #require(kernel.perfRing(cpu: Int32(cpu))).sample(raw))
        expected.append((cpu, raw))
      }
    }
    let firstCPU = try #require(buffer.cpus.first)
    #expect(try #require(kernel.perfRing(cpu: Int32(firstCPU))).lost(5))
    var received: [(Int, [UInt8])] = []
    var lost: UInt64 = 0
    let count = try buffer.consume({ cpu, data in received.append((cpu, data.withUnsafeBytes { Array($0) })) },
                                   onLost: { _, n in lost += n })
    #expect(count == expected.count)
    // Per CPU, in order (the reader drains one CPU's ring after another).
    for cpu in buffer.cpus {
      #expect(received.filter { $0.0 == cpu }.map(\.1) == expected.filter { $0.0 == cpu }.map(\.1))
    }
    #expect(lost == 5)
    #expect(buffer.lostSamples == 5)
    // The reader gave the space back: data_tail caught up with data_head.
    for cpu in buffer.cpus {
      let ring = try #require(kernel.perfRing(cpu: Int32(cpu)))
      #expect(ring.tail == ring.head)
    }
  }

  @Test func recordsWrappingTheRingAreReassembled() throws {
    let kernel = FakeKernel()
    let map = try Self.perfMap(kernel, slots: 1)
    let buffer = try PerfBuffer(map: map, pageCount: 1, cpus: [0])
    defer { buffer.close() }
    let ring = try #require(kernel.perfRing(cpu: 0))
    var total = 0
    // 4 KiB of data pages; 300 rounds of 3 samples of 40-200 bytes wrap it many times.
    for round in 0..<300 {
      var sent: [[UInt8]] = []
      for i in 0..<3 {
        let raw = (0..<(40 + (round * 7 + i * 53) % 160)).map { UInt8(truncatingIfNeeded: round &+ i &* 3 &+ $0) }
        #expect(ring.sample(raw))
        sent.append(raw)
      }
      var got: [[UInt8]] = []
      total += try buffer.consume { _, data in got.append(data.withUnsafeBytes { Array($0) }) }
      #expect(got == sent, "round \(round)")
    }
    #expect(total == 900)
    #expect(ring.head > 16 * 4096, "the ring wrapped many times")
  }

  @Test func closeTakesTheEventsOutOfTheMap() throws {
    let kernel = FakeKernel()
    let map = try Self.perfMap(kernel, slots: 1)
    let buffer = try PerfBuffer(map: map, pageCount: 1, cpus: [0])
    #expect(kernel.snapshot.deletions.isEmpty)
    var event: CInt? = nil
    for call in kernel.attachCalls { if case .perfEventOpen(_, _, _, 0, let fd) = call { event = fd } }
    let opened = try #require(event)
    #expect(kernel.attachCalls.contains(.enablePerfEvent(event: opened)))
    buffer.close()
    #expect(buffer.isClosed)
    #expect(kernel.attachCalls.last == .disablePerfEvent(event: opened))
    // Kernel: the array would otherwise keep the event (and its ring) alive.
    #expect(kernel.snapshot.deletions.map(\.key) == [[0, 0, 0, 0]])
    #expect(kernel.snapshot.deletions.map(\.map) == ["events"])
    #expect(throws: EventError.closed(buffer: buffer.label)) { try buffer.consume { _, _ in } }
  }
}
