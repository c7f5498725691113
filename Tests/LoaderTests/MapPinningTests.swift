import Glibc
import Syscall
import Testing
import TestSupport
import UAPI
@testable import Loader

/// Pinning, reopening and freezing map handles.
@Suite struct MapPinningTests {
  @Test func reopenedPinIsCheckedForItsType() throws {
    let kernel = FakeKernel()
    let fd = try kernel.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 8, maxEntries: 4, name: "pinned"))
    let map = LoadedObject.Map.adopting(fd, name: "pinned", type: .hash, keySize: 4, valueSize: 8, maxEntries: 4,
                                        kernel: kernel)
    try map.pin(at: "/sys/fs/bpf/fake/pinned")
    let reopened = try LoadedObject.Map.open(pinnedAt: "/sys/fs/bpf/fake/pinned", expecting: .hash, kernel: kernel)
    #expect(reopened.type == .hash && reopened.keySize == 4 && reopened.valueSize == 8 && reopened.maxEntries == 4)
    #expect(reopened.name == "pinned")
    #expect(throws: MapError.wrongType(map: "pinned", type: .hash, use: "/sys/fs/bpf/fake/pinned was expected to hold a BPF_MAP_TYPE_ARRAY")) {
      try LoadedObject.Map.open(pinnedAt: "/sys/fs/bpf/fake/pinned", expecting: .array, kernel: kernel)
    }
    #expect(throws: MapError.self, "nothing pinned there") {
      try LoadedObject.Map.open(pinnedAt: "/sys/fs/bpf/fake/none", kernel: kernel)
    }
  }

  /// On the kernel: entries written through one handle are read through the
  /// pin by another; a frozen map refuses writes from user space (EPERM).
  @Test(.kernel) func pinnedMapSharesItsEntriesAndFreezes() throws {
    let dir = try KernelSupport.bpffsDirectory()
    defer { KernelSupport.removeBPFFSDirectory(dir) }
    let fd = try BPF.createMap(MapCreateAttributes(type: .array, keySize: 4, valueSize: 8, maxEntries: 4, name: "tp_pin"))
    let handle = LoadedObject.Map.adopting(fd, name: "tp_pin", type: .array, keySize: 4, valueSize: 8, maxEntries: 4)
    defer { handle.close() }
    try TypedMap<UInt32, UInt64>(handle).update(2, 99)
    try handle.pin(at: "\(dir)/tp_pin")
    let reopened = try LoadedObject.Map.open(pinnedAt: "\(dir)/tp_pin", expecting: .array)
    defer { reopened.close() }
    #expect(reopened.name == "tp_pin", "the kernel's name for it")
    let view = try TypedMap<UInt32, UInt64>(reopened)
    #expect(try view.lookup(2) == 99)
    try reopened.freeze()
    do {
      try view.update(2, 100)
      Issue.record("a frozen map took a write")
    } catch {
      guard case .syscall(let syscall, _) = error else { Issue.record("\(error)"); return }
      #expect(syscall.errno == .EPERM)
    }
    #expect(try view.lookup(2) == 99)
  }
}

extension MapPinningTests {
  /// A descriptor made elsewhere becomes a handle described by the kernel.
  @Test(.kernel) func adoptedDescriptorIsDescribedByTheKernel() throws {
    let fd = try BPF.createMap(MapCreateAttributes(type: .lruHash, keySize: 8, valueSize: 16, maxEntries: 32,
                                                   name: "tp_adopt"))
    let map = try LoadedObject.Map.adopting(fd, expecting: .lruHash)
    defer { map.close() }
    #expect(map.name == "tp_adopt" && map.type == .lruHash)
    #expect(map.keySize == 8 && map.valueSize == 16 && map.maxEntries == 32)
    do {
      let other = try BPF.createMap(MapCreateAttributes(type: .array, keySize: 4, valueSize: 4, maxEntries: 1,
                                                        name: "tp_other"))
      _ = try LoadedObject.Map.adopting(other, expecting: .hash)
      Issue.record("an array was adopted as a hash")
    } catch let error as MapError {
      guard case .wrongType(let name, let type, let use) = error else { Issue.record("\(error)"); return }
      #expect(name == "tp_other" && type == .array && use.hasSuffix("was expected to hold a BPF_MAP_TYPE_HASH"))
    }
  }
}

extension MapPinningTests {
  /// By id: the same map (its entries), through the fake and on the kernel.
  @Test func openedByIDOverTheFake() throws {
    let kernel = FakeKernel()
    let fd = try kernel.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 8, maxEntries: 4, name: "byid"))
    let map = LoadedObject.Map.adopting(fd, name: "byid", type: .hash, keySize: 4, valueSize: 8, maxEntries: 4,
                                        kernel: kernel)
    try TypedMap<UInt32, UInt64>(map).update(1, 11)
    let id = try map.info().id
    let again = try LoadedObject.Map.open(id: id, expecting: .hash, kernel: kernel)
    #expect(try TypedMap<UInt32, UInt64>(again).lookup(1) == 11)
    #expect(throws: MapError.self) { try LoadedObject.Map.open(id: id + 100, kernel: kernel) }
  }

  @Test(.kernel) func openedByIDOnTheKernel() throws {
    let fd = try BPF.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 8, maxEntries: 4, name: "tp_byid"))
    let map = try LoadedObject.Map.adopting(fd)
    defer { map.close() }
    try TypedMap<UInt32, UInt64>(map).update(3, 33)
    let again = try LoadedObject.Map.open(id: try map.info().id, expecting: .hash)
    defer { again.close() }
    #expect(again.name == "tp_byid")
    #expect(try TypedMap<UInt32, UInt64>(again).lookup(3) == 33)
    #expect(throws: MapError.self) { try LoadedObject.Map.open(id: try map.info().id, expecting: .array) }
  }
}

/// Removing pins: `unpin()` removes where the map is pinned, `unpin(at:)` a given path.
extension MapPinningTests {
  @Test func unpinRemovesThePinOverTheFake() throws {
    let kernel = FakeKernel()
    let fd = try kernel.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 8, maxEntries: 4, name: "unpinned"))
    let map = LoadedObject.Map.adopting(fd, name: "unpinned", type: .hash, keySize: 4, valueSize: 8, maxEntries: 4,
                                        kernel: kernel)
    #expect(throws: MapError.notPinned(map: "unpinned")) { try map.unpin() }
    try map.pin(at: "/sys/fs/bpf/fake/unpinned")
    #expect(map.pinPath == "/sys/fs/bpf/fake/unpinned")
    try map.unpin()
    #expect(map.pinPath == nil)
    #expect(kernel.snapshot.pins.isEmpty)
    #expect(throws: MapError.self, "the pin is gone") {
      try LoadedObject.Map.open(pinnedAt: "/sys/fs/bpf/fake/unpinned", kernel: kernel)
    }
  }

  /// On the kernel: the pin file disappears from bpffs, the map stays usable
  /// through its handle.
  @Test(.kernel) func unpinRemovesTheFileAndKeepsTheMap() throws {
    let dir = try KernelSupport.bpffsDirectory()
    defer { KernelSupport.removeBPFFSDirectory(dir) }
    let fd = try BPF.createMap(MapCreateAttributes(type: .array, keySize: 4, valueSize: 8, maxEntries: 4, name: "tp_unpin"))
    let handle = LoadedObject.Map.adopting(fd, name: "tp_unpin", type: .array, keySize: 4, valueSize: 8, maxEntries: 4)
    defer { handle.close() }
    try handle.pin(at: "\(dir)/tp_unpin")
    #expect(access("\(dir)/tp_unpin", F_OK) == 0)
    try handle.unpin()
    #expect(access("\(dir)/tp_unpin", F_OK) != 0, "the bpffs file is removed")
    try TypedMap<UInt32, UInt64>(handle).update(1, 7)
    #expect(try TypedMap<UInt32, UInt64>(handle).lookup(1) == 7)
    #expect(throws: MapError.self) { try handle.unpin(at: "\(dir)/tp_unpin") }
  }
}
