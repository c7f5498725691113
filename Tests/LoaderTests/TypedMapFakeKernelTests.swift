import Syscall
import Testing
import TestSupport
import UAPI
@testable import Loader

/// Typed map views over the fake kernel (no root): the same API as on the
/// kernel, with the element semantics of each map type.
@Suite struct TypedMapFakeKernelTests {
  static func map(
    _ kernel: FakeKernel, _ type: MapType, key: UInt32, value: UInt32, entries: UInt32, name: String = "m"
  ) throws -> LoadedObject.Map {
    let fd = try kernel.createMap(MapCreateAttributes(type: type, keySize: key, valueSize: value,
                                                      maxEntries: entries, name: name))
    return LoadedObject.Map.adopting(fd, name: name, type: type, keySize: key, valueSize: value,
                                     maxEntries: entries, kernel: kernel)
  }

  @Test func hashMapRoundTrip() throws {
    let kernel = FakeKernel()
    let counts = try TypedMap<UInt32, UInt64>(Self.map(kernel, .hash, key: 4, value: 8, entries: 16, name: "counts"))
    #expect(try counts.lookup(7) == nil, "absent is nil, not an error")
    try counts.update(7, 70)
    try counts.update(9, 90)
    try counts.update(7, 71)
    #expect(try counts.lookup(7) == 71)
    #expect(try counts.collectKeys().sorted() == [7, 9])
    #expect(Dictionary(uniqueKeysWithValues: counts.entries.map { ($0.key, $0.value) }) == [7: 71, 9: 90])
    #expect(Array(counts.keys).sorted() == [7, 9])
    #expect(try counts.lookupAndDelete(9) == 90)
    #expect(try counts.lookup(9) == nil)
    #expect(try counts.delete(7))
    #expect(try !counts.delete(7), "deleting an absent key is false")
    #expect(Array(counts.keys).isEmpty)
  }

  @Test func updateFlagsAreTheKernels() throws {
    let kernel = FakeKernel()
    let map = try TypedMap<UInt32, UInt64>(Self.map(kernel, .hash, key: 4, value: 8, entries: 2, name: "flags"))
    try map.update(1, 10, flags: .noExist)
    #expect(throws: MapError.syscall(.failed(.bpf(.mapUpdateElement), .EEXIST), map: "flags")) {
      try map.update(1, 11, flags: .noExist)
    }
    #expect(throws: MapError.syscall(.failed(.bpf(.mapUpdateElement), .ENOENT), map: "flags")) {
      try map.update(2, 20, flags: .exist)
    }
    try map.update(2, 20)
    #expect(throws: MapError.syscall(.failed(.bpf(.mapUpdateElement), .E2BIG), map: "flags"), "full") {
      try map.update(3, 30)
    }
  }

  @Test func arrayMapHasEveryIndex() throws {
    let kernel = FakeKernel()
    let array = try TypedMap<UInt32, UInt64>(Self.map(kernel, .array, key: 4, value: 8, entries: 4, name: "arr"))
    #expect(try array.lookup(3) == 0, "an unwritten array element reads as zero")
    #expect(try array.lookup(4) == nil, "past max_entries there is no element")
    try array.update(2, 5)
    #expect(try array.collectEntries().map(\.value) == [0, 0, 5, 0])
    #expect(throws: MapError.syscall(.failed(.bpf(.mapDeleteElement), .EINVAL), map: "arr")) { try array.delete(2) }
  }

  /// A Swift mirror of `struct { u64 bytes; u32 packets; }`: C's sizeof is
  /// 16 (padding after `packets`), Swift's size 12 and stride 16.
  struct Traffic: Equatable, BitwiseCopyable {
    var bytes: UInt64
    var packets: UInt32
  }

  @Test func structValuesWithTrailingPadding() throws {
    let kernel = FakeKernel()
    let map = try TypedMap<UInt32, Traffic>(Self.map(kernel, .hash, key: 4, value: 16, entries: 4, name: "traffic"))
    try map.update(1, Traffic(bytes: 1500, packets: 3))
    #expect(try map.lookup(1) == Traffic(bytes: 1500, packets: 3))
  }

  @Test func sizesAreCheckedAndNamed() throws {
    let kernel = FakeKernel()
    let m = try Self.map(kernel, .hash, key: 4, value: 8, entries: 4, name: "sized")
    #expect(throws: MapError.sizeMismatch(map: "sized", part: .key, swiftType: "UInt64", swiftSize: 8, mapSize: 4)) {
      try TypedMap<UInt64, UInt64>(m)
    }
    #expect(throws: MapError.sizeMismatch(map: "sized", part: .value, swiftType: "UInt32", swiftSize: 4, mapSize: 8)) {
      try TypedMap<UInt32, UInt32>(m)
    }
    let error = MapError.sizeMismatch(map: "sized", part: .value, swiftType: "UInt32", swiftSize: 4, mapSize: 8)
    #expect(error.description.contains("'sized'") && error.description.contains("4 bytes")
            && error.description.contains("has 8"))
  }

  @Test func mapsThatAreNotKeyValueDataAreRefused() throws {
    let kernel = FakeKernel()
    let perCPU = try Self.map(kernel, .percpuHash, key: 4, value: 8, entries: 4, name: "pc")
    #expect(throws: MapError.wrongType(map: "pc", type: .percpuHash, use: "use PerCPUMap")) {
      try TypedMap<UInt32, UInt64>(perCPU)
    }
    let plain = try Self.map(kernel, .hash, key: 4, value: 8, entries: 4, name: "plain")
    #expect(throws: MapError.self) { try PerCPUMap<UInt32, UInt64>(plain) }
  }

  /// Kernel: each CPU's value sits in a slot rounded up to 8 bytes, one per
  /// possible CPU (the fake has 3).
  @Test func perCPUValuesOnePerPossibleCPU() throws {
    let kernel = FakeKernel(cpus: 3)
    let map = try PerCPUMap<UInt32, UInt32>(Self.map(kernel, .percpuHash, key: 4, value: 4, entries: 4, name: "pc"))
    #expect(map.cpuCount == 3)
    try map.update(5, [10, 20, 30])
    #expect(try map.lookup(5) == [10, 20, 30])
    // The bytes the kernel got: three 8-byte slots.
    let stored = kernel.elements.withLock { $0.values.first?.values.values.first }
    #expect(stored == [10, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0, 0])
    try map.update(6, everyCPU: 1)
    #expect(try map.lookup(6) == [1, 1, 1])
    #expect(throws: MapError.wrongCPUCount(map: "pc", given: 2, possible: 3)) { try map.update(7, [1, 2]) }
    #expect(try map.delete(5))
    #expect(try map.lookup(5) == nil)
  }

  @Test func closedMapIsATypedError() throws {
    let kernel = FakeKernel()
    let handle = try Self.map(kernel, .hash, key: 4, value: 8, entries: 4, name: "gone")
    let map = try TypedMap<UInt32, UInt64>(handle)
    handle.close()
    #expect(throws: MapError.closed(map: "gone")) { try map.lookup(1) }
    #expect(Array(map.keys).isEmpty, "a walk of a closed map ends")
  }

  /// Deleting during a walk: the kernel restarts a hash map walk at the
  /// first key when the current one is gone; `collectKeys` still lists each
  /// remaining key once.
  @Test func walkWhileDeleting() throws {
    let kernel = FakeKernel()
    let map = try TypedMap<UInt32, UInt64>(Self.map(kernel, .hash, key: 4, value: 8, entries: 64, name: "walk"))
    for k in UInt32(0)..<50 { try map.update(k, UInt64(k)) }
    var visited = 0
    for key in map.keys {
      visited += 1
      if key % 2 == 0 { try map.delete(key) }
      if visited > 500 { break }
    }
    #expect(visited <= 500, "the walk ends")
    #expect(try map.collectKeys().sorted() == (0..<50).filter { $0 % 2 == 1 })
  }
}
