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
