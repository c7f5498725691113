import Glibc
import Loader
import Syscall
import Testing
import TestSupport

/// Several ring buffers (and a perf buffer) on one epoll.
@Suite("EventPoller", .kernel, .serialized)
struct EventsPollerTests {
  @Test func dispatchesRecordsOfSeveralRingsBySource() throws {
    var rings: [RingBuffer] = []
    var programs: [Descriptor] = []
    let counters = try EventPrograms.counters()
    let poller = try EventPoller()
    var maps: [Descriptor] = []
    for i in 0..<3 {
      let map = try EventPrograms.ringBuffer(size: 1 << 14)
      let ring = try RingBuffer(map: map.borrowed)
      #expect(try poller.add(ring) == i)
      programs.append(Descriptor(try EventPrograms.ringProducer(ring: map, counters: counters, eventSize: 8 * (i + 1))))
      rings.append(ring)
      maps.append(Descriptor(map))
    }
    #expect(poller.count == 3)
    #expect(try poller.poll(timeout: .milliseconds(20)) { _, _ in } == 0)
    // Ring 1 only: the poll reports just that source.
    try EventPrograms.run(programs[1].fd, count: 4)
    var sources: [Int] = []
    var sizes: [Int] = []
    #expect(try poller.poll(timeout: .seconds(1)) { source, record in
      sources.append(source)
      sizes.append(record.byteCount)
    } == 4)
    #expect(sources == [1, 1, 1, 1])
    #expect(sizes == [16, 16, 16, 16])
    // All three: each record carries its ring's size, in each ring's order.
    try EventPrograms.run(programs[0].fd, count: 2)
    try EventPrograms.run(programs[2].fd, count: 3)
    try EventPrograms.run(programs[1].fd, count: 1)
    var bySource: [Int: [Int]] = [:]
    var seqs: [Int: [UInt64]] = [:]
    var total = 0
    while total < 6 {
      let n = try poller.poll(timeout: .seconds(1)) { source, record in
        bySource[source, default: []].append(record.byteCount)
        seqs[source, default: []].append(record.unsafeLoadUnaligned(as: UInt64.self))
      }
      if n == 0 { break }
      total += n
    }
    #expect(total == 6)
    #expect(bySource[0] == [8, 8])
    #expect(bySource[1] == [16])
    #expect(bySource[2] == [24, 24, 24])
    // One shared counter: seq numbers 4, 5 (ring 0), 6, 7, 8 (ring 2), 9 (ring 1).
    #expect(seqs[0] == [4, 5])
    #expect(seqs[2] == [6, 7, 8])
    #expect(seqs[1] == [9])
    // A closed ring is skipped, the others still work.
    rings[0].close()
    try EventPrograms.run(programs[2].fd, count: 1)
    var seen: [Int] = []
    #expect(try poller.consume { source, _ in seen.append(source) } == 1)
    #expect(seen == [2])
  }

  @Test func mixesRingAndPerfBuffers() throws {
    let counters = try EventPrograms.counters()
    let ringMap = try EventPrograms.ringBuffer(size: 1 << 14)
    let ring = try RingBuffer(map: ringMap.borrowed)
    let ringProducer = try EventPrograms.ringProducer(ring: ringMap, counters: counters, eventSize: 16)
    let perfCounters = try EventPrograms.counters()
    let cpus = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    let perfMap = try BPF.createMap(MapCreateAttributes(
      type: .perfEventArray, keySize: 4, valueSize: 4, maxEntries: UInt32(cpus)))
    let perf = try PerfBuffer(map: perfMap.borrowed, pageCount: 1)
    let perfProducer = try EventPrograms.perfProducer(perfArray: perfMap, counters: perfCounters)
    let poller = try EventPoller()
    let r = try poller.add(ring)
    let p = try poller.add(perf)
    try EventPrograms.run(ringProducer, count: 2)
    try EventPrograms.run(perfProducer, onCPU: cpus - 1)
    var counts: [Int: Int] = [:]
    var total = 0
    while total < 3 {
      let n = try poller.poll(timeout: .seconds(1)) { source, _ in counts[source, default: 0] += 1 }
      if n == 0 { break }
      total += n
    }
    #expect(counts[r] == 2)
    #expect(counts[p] == 1)
  }
}
