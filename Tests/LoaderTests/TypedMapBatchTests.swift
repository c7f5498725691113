import Syscall
import Testing
import TestSupport
import UAPI
@testable import Loader

/// Batch reads and writes: the same entries as single calls, on a kernel
/// with batch commands and, through the fake, on one without (the typed
/// map falls back to single calls).
@Suite struct TypedMapBatchTests {
  static func exercise(_ map: TypedMap<UInt32, UInt64>, count: UInt32) throws {
    let entries = (0..<count).map { (key: $0 &* 2_654_435_761, value: UInt64($0) * 3) }
    #expect(try map.update(entries) == Int(count))
    let read = try map.lookupAll(batchSize: 1000)
    #expect(read.count == Int(count))
    #expect(Dictionary(uniqueKeysWithValues: read.map { ($0.key, $0.value) })
            == Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) }))
    // Visiting in place sees the same entries.
    var visited: [UInt32: UInt64] = [:]
    try map.forEachEntry(batchSize: 700) { key, value in visited[key] = value }
    #expect(visited == Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) }))
    // Deleting half, one of them twice (a missing key in the batch).
    let half = entries.prefix(Int(count / 2)).map(\.key)
    try map.delete(half + [half[0]])
    #expect(try map.lookupAll().count == Int(count) - half.count)
    #expect(try map.lookup(half[0]) == nil)
  }

  @Test(arguments: [nil, Errno.EINVAL])
  func overTheFake(batchRefusal: Errno?) throws {
    let kernel = FakeKernel(batchRefusal: batchRefusal)
    let fd = try kernel.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 8, maxEntries: 5000, name: "b"))
    let handle = LoadedObject.Map.adopting(fd, name: "b", type: .hash, keySize: 4, valueSize: 8, maxEntries: 5000,
                                           kernel: kernel)
    try Self.exercise(try TypedMap(handle), count: 3000)
  }

  /// 100,000 entries written and read back in batches on the kernel.
  @Test(.kernel) func hundredThousandEntriesOnTheKernel() throws {
    let fd = try BPF.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 8, maxEntries: 100_000,
                                                   name: "tb_batch"))
    let handle = LoadedObject.Map.adopting(fd, name: "tb_batch", type: .hash, keySize: 4, valueSize: 8,
                                           maxEntries: 100_000)
    defer { handle.close() }
    let map = try TypedMap<UInt32, UInt64>(handle)
    try Self.exercise(map, count: 100_000)
    // The batch read agrees with the single-call walk.
    let walked = try map.collectEntries()
    let batched = try map.lookupAll()
    #expect(Dictionary(uniqueKeysWithValues: walked.map { ($0.key, $0.value) })
            == Dictionary(uniqueKeysWithValues: batched.map { ($0.key, $0.value) }))
  }
}

/// Per-CPU maps in batches: every key's one-value-per-CPU, the same as
/// single calls read, with and without the kernel's batch commands.
extension TypedMapBatchTests {
  static func exercisePerCPU(_ map: PerCPUMap<UInt32, UInt32>, count: UInt32) throws {
    let cpus = map.cpuCount
    let entries = (0..<count).map { key in (key: key &* 7919, values: (0..<cpus).map { UInt32(key) * 100 + UInt32($0) }) }
    #expect(try map.update(entries) == Int(count))
    let read = try map.lookupAll(batchSize: 100)
    #expect(read.count == Int(count))
    let expected = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.values) })
    #expect(Dictionary(uniqueKeysWithValues: read.map { ($0.key, $0.values) }) == expected)
    // Each agrees with a single-element lookup.
    for entry in read.prefix(20) { #expect(try map.lookup(entry.key) == entry.values) }
    let half = entries.prefix(Int(count / 2)).map(\.key)
    try map.delete(half + [half[0]])
    #expect(try map.lookupAll().count == Int(count) - half.count)
    #expect(try map.lookup(half[0]) == nil)
    #expect(throws: MapError.wrongCPUCount(map: map.map.name, given: 1, possible: cpus)) {
      try map.update([(key: 1, values: [1])])
    }
  }

  @Test(arguments: [nil, Errno.EINVAL])
  func perCPUOverTheFake(batchRefusal: Errno?) throws {
    let kernel = FakeKernel(batchRefusal: batchRefusal)
    let fd = try kernel.createMap(MapCreateAttributes(type: .percpuHash, keySize: 4, valueSize: 4, maxEntries: 600, name: "pb"))
    let handle = LoadedObject.Map.adopting(fd, name: "pb", type: .percpuHash, keySize: 4, valueSize: 4, maxEntries: 600,
                                           kernel: kernel)
    try Self.exercisePerCPU(try PerCPUMap(handle), count: 500)
  }

  /// On the kernel, values of 4 bytes sit in 8-byte slots per CPU.
  @Test(.kernel) func perCPUOnTheKernel() throws {
    let fd = try BPF.createMap(MapCreateAttributes(type: .percpuHash, keySize: 4, valueSize: 4, maxEntries: 10_000,
                                                   name: "tb_pcpu"))
    let handle = LoadedObject.Map.adopting(fd, name: "tb_pcpu", type: .percpuHash, keySize: 4, valueSize: 4,
                                           maxEntries: 10_000)
    defer { handle.close() }
    try Self.exercisePerCPU(try PerCPUMap(handle), count: 5000)
  }
}
