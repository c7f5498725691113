import Foundation
import Loader
import Syscall
import Testing
import TestSupport

/// Opening and closing buffers (and iterating their events, which starts a
/// waiter thread) leaves no descriptors and no mappings behind.
@Suite("Event buffers leak nothing", .kernel, .serialized)
struct EventsLeakTests {
  static func mappingCount() -> Int {
    ((try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)) ?? "")
      .split(separator: "\n").count
  }

  /// Lines of /proc/self/maps that map BPF maps or perf events: what the
  /// readers under test create (other suites running alongside map a few).
  static func eventMappings() -> Int {
    ((try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)) ?? "")
      .split(separator: "\n")
      .filter { $0.contains("bpf-map") || $0.contains("perf_event") }.count
  }

  /// One open-produce-wait-close cycle; the number of records the ring
  /// reader delivered. The producer writes one record per cycle; a record
  /// left unread when a cycle ends early (the cancel can come before the
  /// read under load) stays in the shared ring and arrives in a later cycle.
  static func cycle(_ i: Int, ringMap: borrowing OwnedFD, userMap: borrowing OwnedFD,
                    perfMap: borrowing OwnedFD, producer: borrowing OwnedFD) async throws -> Int {
    let ring = try RingBuffer(map: ringMap.borrowed)
    let user = try UserRingBuffer(map: userMap.borrowed)
    let perf = try PerfBuffer(map: perfMap.borrowed, pageCount: 1)
    try EventPrograms.run(producer, count: 1)
    // Read the record, then wait in the async sequence (which starts the
    // waiter thread); end the wait by closing (even cycles) or cancelling
    // (odd cycles, where the buffers are then released by deinit).
    let waiting = Task { () throws -> Int in
      var count = 0
      for try await _ in ring.events { count += 1 }
      return count
    }
    try await Task.sleep(for: .milliseconds(2))
    try user.write([1, 2, 3])
    if i % 2 == 0 {
      ring.close()
      user.close()
      perf.close()
    } else {
      waiting.cancel()
    }
    return try await waiting.value
  }

  @Test func hundredOpenCloseCyclesLeakNoDescriptorsOrMappings() async throws {
    let ringMap = try EventPrograms.ringBuffer(size: 1 << 14)
    let userMap = try EventPrograms.ringBuffer(size: 1 << 14, user: true)
    let perfMap = try BPF.createMap(MapCreateAttributes(
      type: .perfEventArray, keySize: 4, valueSize: 4, maxEntries: 64))
    let counters = try EventPrograms.counters()
    let producer = try EventPrograms.ringProducer(ring: ringMap, counters: counters, eventSize: 8)
    // Warm up: the first thread stack, runtime caches.
    var unread = 1 - (try await Self.cycle(0, ringMap: ringMap, userMap: userMap, perfMap: perfMap, producer: producer))
    try await Task.sleep(for: .milliseconds(20))
    let descriptors = openDescriptorCount()
    let mappings = Self.mappingCount()
    let eventMappings = Self.eventMappings()
    for i in 0..<100 {
      unread += 1
      let delivered = try await Self.cycle(i, ringMap: ringMap, userMap: userMap, perfMap: perfMap, producer: producer)
      #expect(delivered <= unread, "cycle \(i): \(delivered) records delivered, \(unread) produced and unread")
      unread -= delivered
    }
    try await Task.sleep(for: .milliseconds(20))
    // Each leaked cycle would keep 6+ descriptors (map dups, epoll, eventfd,
    // perf events) and 4+ mappings: a leak shows as hundreds. Suites running
    // alongside may hold a few at either moment.
    #expect(Self.eventMappings() - eventMappings < 10,
            "BPF map and perf mappings \(eventMappings) → \(Self.eventMappings())")
    #expect(openDescriptorCount() - descriptors < 10, "descriptors \(descriptors) → \(openDescriptorCount())")
    #expect(Self.mappingCount() - mappings < 10, "mappings \(mappings) → \(Self.mappingCount())")
  }
}
