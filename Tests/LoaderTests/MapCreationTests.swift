import Foundation
import Loader
import Logging
import Syscall
import Testing
import TestSupport
import UAPI

/// Map creation through the fake kernel: order, attributes, map-in-map,
/// prog arrays, pinning. Expected attributes are the ones Fixtures/src/maps.bpf.c's
/// header lists (what the kernel reports for the maps libbpf 1.1 creates).
@Suite struct MapCreationTests {
  /// name, type, key, value, max entries, flags (maps.bpf.c's header).
  static let expected: [(String, MapType, UInt32, UInt32, UInt32, UInt32)] = [
    ("hash_map", .hash, 4, 8, 128, 0), ("array_map", .array, 4, 8, 8, 0x400),
    ("percpu_array", .percpuArray, 4, 8, 4, 0), ("percpu_hash", .percpuHash, 8, 8, 64, 0),
    ("lru_hash", .lruHash, 4, 8, 32, 0x2), ("lpm_trie", .lpmTrie, 8, 4, 16, 0x1),
    ("ring_buffer", .ringbuf, 0, 0, 65536, 0), ("user_ring", .userRingbuf, 0, 0, 16384, 0),
    ("queue_map", .queue, 0, 4, 16, 0), ("stack_map", .stack, 0, 4, 16, 0),
    ("bloom_map", .bloomFilter, 0, 4, 100, 0), ("task_store", .taskStorage, 4, 8, 0, 0x1),
    ("sock_store", .skStorage, 4, 8, 0, 0x1), ("pinned_counts", .hash, 4, 8, 16, 0),
    ("inner_a", .array, 4, 4, 1, 0), ("inner_b", .array, 4, 4, 1, 0),
    ("outer_array", .arrayOfMaps, 4, 4, 4, 0), ("outer_hash", .hashOfMaps, 4, 4, 4, 0),
    ("tail_calls", .progArray, 4, 4, 2, 0),
  ]

  func loadMaps(_ kernel: FakeKernel, pinRoot: String = "/fake/bpffs",
                log: LogCapture = LogCapture()) throws -> LoadedObject {
    let object = try Object.open(path: Fixture.object("maps.bpf.o").path,
                                 options: OpenOptions(pinRoot: pinRoot, logger: log.logger))
    return try object.load(kernel: kernel)
  }

  @Test func createsEveryMapWithTheHeaderAttributes() throws {
    let kernel = FakeKernel(cpus: 5)
    let loaded = try loadMaps(kernel)
    defer { loaded.close() }
    for (name, type, key, value, max, flags) in Self.expected {
      let created = try #require(kernel.map(name), "map \(name) not created")
      #expect(created.attributes.type == type, "\(name)")
      #expect(created.attributes.keySize == key, "\(name)")
      #expect(created.attributes.valueSize == value, "\(name)")
      #expect(created.attributes.maxEntries == max, "\(name)")
      #expect(created.attributes.flags.rawValue == flags, "\(name)")
    }
    // max_entries 0 for a perf event array: one slot per possible CPU.
    #expect(kernel.map("perf_events")?.attributes.maxEntries == 5)
    #expect(kernel.map("bloom_map")?.attributes.mapExtra == 3)
  }

  @Test func passesBTFTypesWhereLibbpfDoes() throws {
    let kernel = FakeKernel()
    let loaded = try loadMaps(kernel)
    defer { loaded.close() }
    // The header: key/value ids for hash, array, LRU, LPM, per-CPU and storage
    // maps, value only for bloom_map, none for the rest.
    for name in ["hash_map", "array_map", "percpu_array", "percpu_hash", "lru_hash", "lpm_trie", "task_store", "sock_store"] {
      let a = try #require(kernel.map(name)).attributes
      #expect(a.btfFD != nil && a.btfKeyTypeID != 0 && a.btfValueTypeID != 0, "\(name)")
    }
    let bloom = try #require(kernel.map("bloom_map")).attributes
    #expect(bloom.btfKeyTypeID == 0 && bloom.btfValueTypeID != 0)
    for name in ["tail_calls", "outer_array", "outer_hash", "perf_events", "queue_map", "stack_map", "ring_buffer", "user_ring"] {
      let a = try #require(kernel.map(name)).attributes
      #expect(a.btfKeyTypeID == 0 && a.btfValueTypeID == 0, "\(name)")
    }
  }

  @Test func mapInMapGetsATemplateAndItsSlots() throws {
    let kernel = FakeKernel()
    let loaded = try loadMaps(kernel)
    defer { loaded.close() }
    let state = kernel.snapshot
    for outer in ["outer_array", "outer_hash"] {
      let created = try #require(kernel.map(outer))
      let templateFD = try #require(created.attributes.innerMapFD, "\(outer) has no inner_map_fd")
      // The template was created just before, as ARRAY key 4 value 4 max 1 (the header).
      let index = try #require(state.maps.firstIndex { $0.fd == created.fd && $0.attributes.name == outer })
      let template = state.maps[index - 1]
      #expect(template.fd == templateFD.rawValue)
      #expect(template.attributes.type == .array && template.attributes.keySize == 4
              && template.attributes.valueSize == 4 && template.attributes.maxEntries == 1)
    }
    // .values: outer_array[0] = inner_a, outer_hash[1] = inner_b.
    let innerA = try #require(loaded.map(named: "inner_a")?.borrowedFD)
    let innerB = try #require(loaded.map(named: "inner_b")?.borrowedFD)
    let a = state.updates.filter { $0.map == "outer_array" }
    let b = state.updates.filter { $0.map == "outer_hash" }
    #expect(a.count == 1 && a.first?.key == le32(0) && a.first?.value == le32(UInt32(innerA.rawValue)))
    #expect(b.count == 1 && b.first?.key == le32(1) && b.first?.value == le32(UInt32(innerB.rawValue)))
    // tail_calls[0] = tail_target (a program).
    let tail = try #require(loaded.program(named: "tail_target")?.borrowedFD)
    let t = state.updates.filter { $0.map == "tail_calls" }
    #expect(t.count == 1 && t.first?.key == le32(0) && t.first?.value == le32(UInt32(tail.rawValue)))
  }

  @Test func progArrayFilledFromValues() throws {
    // programs.bpf.c: jump_table [0] = xdp_pass, [1] = xdp_drop.
    let kernel = FakeKernel()
    let loaded = try Object.open(path: Fixture.object("programs.bpf.o").path).load(kernel: kernel)
    defer { loaded.close() }
    let pass = try #require(loaded.program(named: "xdp_pass")?.borrowedFD)
    let drop = try #require(loaded.program(named: "xdp_drop")?.borrowedFD)
    let updates = kernel.snapshot.updates.filter { $0.map == "jump_table" }
    #expect(updates.map(\.key) == [le32(0), le32(1)])
    #expect(updates.map(\.value) == [le32(UInt32(pass.rawValue)), le32(UInt32(drop.rawValue))])
  }

  @Test func pinsByNameAndReusesACompatiblePin() throws {
    let kernel = FakeKernel()
    let first = try loadMaps(kernel, pinRoot: "/fake/pins")
    #expect(kernel.snapshot.pins.keys.sorted() == ["/fake/pins/pinned_counts"])
    #expect(first.map(named: "pinned_counts")?.isReused == false)
    first.close()
    let creates = kernel.snapshot.maps.filter { $0.attributes.name == "pinned_counts" }.count
    let log = LogCapture()
    let second = try loadMaps(kernel, pinRoot: "/fake/pins", log: log)
    defer { second.close() }
    #expect(second.map(named: "pinned_counts")?.isReused == true)
    // The reuse is logged at debug, for that map, with the pin's path.
    let reuse = log.records(.debug, containing: "reusing the map pinned at")
    #expect(reuse.map(\.message) == ["not created: reusing the map pinned at /fake/pins/pinned_counts"])
    #expect(reuse.first?.metadata[LogMetadataKey.map] == "pinned_counts")
    #expect(reuse.first?.metadata[LogMetadataKey.object] == "maps")
    #expect(second.map(named: "pinned_counts")?.pinPath == "/fake/pins/pinned_counts")
    // Reuse opened the pin instead of creating: one more record (the open), no create with BTF.
    #expect(kernel.snapshot.maps.filter { $0.attributes.name == "pinned_counts" }.count == creates + 1)
  }

  @Test func aPinPathSetBeforeLoadPinsThereWhateverThePinningSays() throws {
    let kernel = FakeKernel()
    var object = try Object.open(path: Fixture.object("maps.bpf.o").path, options: OpenOptions(pinRoot: "/fake/root"))
    try object.withMap("hash_map") { $0.pinPath = "/fake/elsewhere/hash" }
    try object.withMap("pinned_counts") { $0.pinPath = "/fake/elsewhere/counts" }
    let loaded = try object.load(kernel: kernel)
    defer { loaded.close() }
    #expect(kernel.snapshot.pins.keys.sorted() == ["/fake/elsewhere/counts", "/fake/elsewhere/hash"])
    #expect(loaded.map(named: "hash_map")?.pinPath == "/fake/elsewhere/hash")
  }

  @Test func kernelWithoutAMapTypeGivesTheMinimumKernel() throws {
    var features = KernelFeatures.everything
    features.mapTypes.remove(.ringbuf)
    let kernel = FakeKernel(features: features)
    let object = try Object.open(path: Fixture.object("ringbuf.bpf.o").path)
    let error = try #require(loadError { _ = try object.load(kernel: kernel) })
    guard case .unsupported(let feature, let minimum) = error else {
      Issue.record("unexpected error \(error)")
      return
    }
    #expect(feature.contains("BPF_MAP_TYPE_RINGBUF"))
    #expect(minimum == "Linux 5.8")  // Linux 5.8 added BPF_MAP_TYPE_RINGBUF
    #expect(error.description.contains("needs Linux 5.8"))
    #expect(kernel.snapshot.loads.isEmpty)
  }

  @Test func configuredMapAttributesAreUsed() throws {
    let kernel = FakeKernel()
    var object = try Object.open(path: Fixture.object("maps.bpf.o").path, options: OpenOptions(pinRoot: "/fake/cfg"))
    try object.withMap("hash_map") { $0.maxEntries = 4096; $0.flags = [.noPrealloc] }
    try object.withMap("lru_hash") { $0.autoCreate = false }
    try object.withProgram("exercise_maps") { $0.autoload = false }
    let loaded = try object.load(kernel: kernel)
    defer { loaded.close() }
    #expect(kernel.map("hash_map")?.attributes.maxEntries == 4096)
    #expect(kernel.map("hash_map")?.attributes.flags == [.noPrealloc])
    #expect(kernel.map("lru_hash") == nil)
    #expect(loaded.program(named: "exercise_maps") == nil)
  }

  @Test func reusedFDIsDuplicatedNotCreated() throws {
    let kernel = FakeKernel()
    let existing = LoadedObject.Map.adopting(try FakeKernel.memfd(size: 8), name: "existing", type: .progArray)
    var object = try Object.open(path: Fixture.object("programs.bpf.o").path)
    try object.withMap("jump_table") { $0.reusedMap = existing }
    let loaded = try object.load(kernel: kernel)
    defer { loaded.close() }
    #expect(kernel.map("jump_table") == nil)
    let map = try #require(loaded.map(named: "jump_table"))
    #expect(map.isReused)
    let fd = try #require(map.borrowedFD)
    #expect(fd.rawValue != existing.borrowedFD?.rawValue)  // a duplicate, owned by the handle
    // Slots of a reused map are left as they are.
    #expect(kernel.snapshot.updates.map(\.map) == ["programs.bss"])
  }

  @Test func ringBufferSizesRoundedToAPowerOfTwoOfPages() throws {
    // Kernel: a ring buffer's size is a power of 2 and a multiple of the page
    // size (4096 in the fake); 65536 stays, 5000 becomes 8192, and 0 stays 0
    // so that the kernel's refusal shows the missing size (libbpf.c:
    // adjust_ringbuf_sz).
    let kernel = FakeKernel()
    var object = try Object.open(path: Fixture.object("ringbuf.bpf.o").path)
    try object.withMap("events") { $0.maxEntries = 5000 }
    try object.withMap("exec_events") { $0.maxEntries = 0 }
    let loaded = try object.load(kernel: kernel)
    defer { loaded.close() }
    #expect(kernel.map("events")?.attributes.maxEntries == 8192)
    #expect(kernel.map("exec_events")?.attributes.maxEntries == 0)
    #expect(kernel.map("user_events")?.attributes.maxEntries == 65536)  // ringbuf.bpf.c: 65536
  }
}

func le32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
