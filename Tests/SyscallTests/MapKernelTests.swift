import Foundation
import Glibc
import Testing
import UAPI
@testable import Syscall

/// Maps against the running kernel (root or CAP_BPF).
@Suite(.kernel) struct MapKernelTests {
  typealias H = KernelHelpers

  func array(_ entries: UInt32 = 4, flags: MapFlags = [], name: String = "swbpf_arr") throws -> OwnedFD {
    try BPF.createMap(MapCreateAttributes(type: .array, keySize: 4, valueSize: 8,
                                          maxEntries: entries, flags: flags, name: name))
  }

  @Test func arrayUpdateLookupAndIterate() throws {
    let map = try array()
    #expect(map.rawValue > 2)
    #expect(fcntl(map.rawValue, F_GETFD) & FD_CLOEXEC != 0, "BPF fds are close-on-exec")
    try H.update(map.borrowed, key: 1, value: UInt64(0xdead_beef_cafe))
    #expect(try H.lookupU64(map.borrowed, key: 1) == 0xdead_beef_cafe)
    #expect(try H.lookupU64(map.borrowed, key: 0) == 0, "arrays are zero-filled")
    #expect(try H.lookupU64(map.borrowed, key: 9) == nil, "out of range is 'no such key'")

    var keys: [UInt32] = []
    var current: UInt32 = 0
    var next: UInt32 = 0
    var more = try BPF.nextKey(map: map.borrowed, after: nil, into: &next)
    while more {
      keys.append(next)
      current = next
      more = try withUnsafePointer(to: &current) { try BPF.nextKey(map: map.borrowed, after: $0, into: &next) }
    }
    #expect(keys == [0, 1, 2, 3])
  }

  @Test func arrayElementsCannotBeDeleted() throws {
    let map = try array()
    var key: UInt32 = 0
    do {
      _ = try BPF.delete(map: map.borrowed, key: &key)
      Issue.record("deleting from an array succeeded")
    } catch {
      #expect(error.errno == .EINVAL)
      #expect(error.operation == .bpf(.mapDeleteElement))
      #expect(error.description.contains("BPF_MAP_DELETE_ELEM failed: EINVAL"))
    }
  }

  @Test func mapInfoMatchesBpftool() throws {
    let map = try array(8, name: "swbpf_info")
    let info = try BPF.mapInfo(map.borrowed)
    #expect(info.type == .array)
    #expect(info.keySize == 4)
    #expect(info.valueSize == 8)
    #expect(info.maxEntries == 8)
    #expect(info.name == "swbpf_info")
    guard let json = try H.bpftoolJSON(["map", "show", "id", "\(info.id)"]) else { return }
    #expect(json["id"] as? Int == Int(info.id))
    #expect(json["name"] as? String == "swbpf_info")
    #expect(json["type"] as? String == "array")
    #expect(json["bytes_key"] as? Int == 4)
    #expect(json["bytes_value"] as? Int == 8)
    #expect(json["max_entries"] as? Int == 8)
  }

  @Test func hashCreateOnlyReplaceOnlyAndDelete() throws {
    let map = try BPF.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 8, maxEntries: 16))
    try H.update(map.borrowed, key: 7, value: UInt64(1), flags: .noExist)
    do {
      try H.update(map.borrowed, key: 7, value: UInt64(2), flags: .noExist)
      Issue.record("BPF_NOEXIST replaced an existing key")
    } catch let error as SyscallError {
      #expect(error.errno == .EEXIST)
    }
    do {
      try H.update(map.borrowed, key: 8, value: UInt64(2), flags: .exist)
      Issue.record("BPF_EXIST created a key")
    } catch let error as SyscallError {
      #expect(error.errno == .ENOENT)
    }
    var key: UInt32 = 7
    #expect(try BPF.delete(map: map.borrowed, key: &key))
    #expect(try BPF.delete(map: map.borrowed, key: &key) == false)
    #expect(try H.lookupU64(map.borrowed, key: 7) == nil)
  }

  @Test func batchOperationsOnHash() throws {
    let map = try BPF.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 8, maxEntries: 64))
    let keys: [UInt32] = Array(100..<120)
    let values: [UInt64] = keys.map { UInt64($0) * 3 }
    let stored = try BPF.updateBatch(map: map.borrowed, keys: keys, values: values, count: keys.count)
    #expect(stored == 20)

    var seen: [UInt32: UInt64] = [:]
    var outKeys = [UInt32](repeating: 0, count: 6)
    var outValues = [UInt64](repeating: 0, count: 6)
    var position: UInt32 = 0
    var nextPosition: UInt32 = 0
    var first = true
    var done = false
    while !done {
      let result = try withUnsafePointer(to: &position) { pos in
        try BPF.lookupBatch(map: map.borrowed, inBatch: first ? nil : pos, outBatch: &nextPosition,
                            keys: &outKeys, values: &outValues, count: 6)
      }
      for i in 0..<result.count { seen[outKeys[i]] = outValues[i] }
      done = result.done
      position = nextPosition
      first = false
    }
    #expect(seen.count == 20)
    for key in keys { #expect(seen[key] == UInt64(key) * 3) }

    let removed = try BPF.deleteBatch(map: map.borrowed, keys: Array(keys.prefix(5)), count: 5)
    #expect(removed == 5)
    #expect(try H.lookupU64(map.borrowed, key: 100) == nil)
    #expect(try H.lookupU64(map.borrowed, key: 105) == 315)
  }

  @Test func frozenMapRefusesUserUpdates() throws {
    let map = try array()
    try H.update(map.borrowed, key: 0, value: UInt64(5))
    try BPF.freeze(map: map.borrowed)
    do {
      try H.update(map.borrowed, key: 0, value: UInt64(6))
      Issue.record("updated a frozen map")
    } catch let error as SyscallError {
      #expect(error.errno == .EPERM)
    }
    #expect(try H.lookupU64(map.borrowed, key: 0) == 5)
  }

  @Test func queuePopsWithLookupAndDelete() throws {
    let queue = try BPF.createMap(MapCreateAttributes(type: .queue, keySize: 0, valueSize: 4, maxEntries: 4))
    for v: UInt32 in [11, 22] {
      var value = v
      try BPF.update(map: queue.borrowed, key: nil, value: &value)
    }
    var out: UInt32 = 0
    #expect(try BPF.lookupAndDelete(map: queue.borrowed, key: nil, value: &out))
    #expect(out == 11)
    #expect(try BPF.lookupAndDelete(map: queue.borrowed, key: nil, value: &out))
    #expect(out == 22)
    #expect(try BPF.lookupAndDelete(map: queue.borrowed, key: nil, value: &out) == false)
  }

  @Test func pinGetAndPinRelativeToDirectory() throws {
    let dir = try H.bpffsDirectory()
    defer {
      unlink("\(dir)/map")
      unlink("\(dir)/relative")
      rmdir(dir)
    }
    let map = try array(name: "swbpf_pin")
    let id = try BPF.mapInfo(map.borrowed).id
    try BPF.pin(map.borrowed, at: "\(dir)/map")
    let reopened = try BPF.getPinned(at: "\(dir)/map")
    #expect(try BPF.mapInfo(reopened.borrowed).id == id)
    do {
      try BPF.pin(map.borrowed, at: "\(dir)/map")
      Issue.record("pinned twice at one path")
    } catch {
      #expect(error.errno == .EEXIST)
      #expect(error.hint?.contains("already pinned") == true)
    }
    do {
      _ = try BPF.getPinned(at: "\(dir)/missing")
      Issue.record("opened a missing pin")
    } catch {
      #expect(error.errno == .ENOENT)
    }
    let readOnly = try BPF.getPinned(at: "\(dir)/map", flags: .readOnly)
    do {
      try H.update(readOnly.borrowed, key: 0, value: UInt64(1))
      Issue.record("wrote through a read-only fd")
    } catch let error as SyscallError {
      #expect(error.errno == .EPERM)
    }
    // Relative to a directory fd (BPF_F_PATH_FD, Linux 6.5).
    let dirFD = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    try #require(dirFD >= 0)
    let directory = OwnedFD(unchecked: dirFD)
    try BPF.pin(map.borrowed, at: "relative", relativeTo: directory.borrowed)
    let viaRelative = try BPF.getPinned(at: "relative", relativeTo: directory.borrowed)
    #expect(try BPF.mapInfo(viaRelative.borrowed).id == id)
  }

  @Test func nextIDFindsMapAndOpenByID() throws {
    let map = try array(name: "swbpf_id")
    let id = try BPF.mapInfo(map.borrowed).id
    var found = false
    var cursor: UInt32 = 0
    while let next = try BPF.nextID(.map, after: cursor) {
      if next == id { found = true }
      cursor = next
    }
    #expect(found)
    let opened = try BPF.open(.map, id: id)
    #expect(try BPF.mapInfo(opened.borrowed).name == "swbpf_id")
  }

  @Test func mmapableArraySharesMemoryWithSyscalls() throws {
    let map = try array(512, flags: .mmapable, name: "swbpf_mmap")
    let region = try MappedRegion.map(map.borrowed, length: 4096, protection: [.read, .write])
    try H.update(map.borrowed, key: 3, value: UInt64(0x1122_3344_5566_7788))
    #expect(region.bytes.load(fromByteOffset: 3 * 8, as: UInt64.self) == 0x1122_3344_5566_7788)
    region.bytes.storeBytes(of: UInt64(99), toByteOffset: 5 * 8, as: UInt64.self)
    #expect(try H.lookupU64(map.borrowed, key: 5) == 99)
    try region.unmap()
  }

  @Test func mmapOfPlainArrayIsRefused() throws {
    let map = try array()
    do {
      _ = try MappedRegion.map(map.borrowed, length: 4096, protection: [.read])
      Issue.record("mapped an array without BPF_F_MMAPABLE")
    } catch {
      #expect(error.operation == .system("mmap"))
      #expect(error.errno != nil)
    }
  }

  @Test func noDescriptorLeakOver200CreateCloseCycles() throws {
    // Warm up lazily allocated descriptors (none expected, but be fair).
    try array().close()
    let before = openDescriptorCount()
    for i in 0..<200 {
      let map = try array()
      if i % 2 == 0 { try map.close() }  // half by close(), half by deinit
    }
    let after = openDescriptorCount()
    // Other suites run concurrently and may hold a few descriptors; a leak would add 100–200.
    #expect(after - before < 20, "descriptors before \(before), after \(after)")
  }

  /// A thread without privileges gets EPERM, as a typed error with the hint.
  @Test func unprivilegedThreadGetsEPERMWithHint() throws {
    let outcome = H.onUnprivilegedThread { () -> SyscallError? in
      do throws(SyscallError) {
        let map = try BPF.createMap(MapCreateAttributes(type: .array, keySize: 4, valueSize: 4, maxEntries: 1))
        _ = map
        return nil
      } catch {
        return error
      }
    }
    let error = try #require(outcome ?? nil, "map creation succeeded without privileges")
    #expect(error.errno == .EPERM)
    #expect(error.description.contains("CAP_BPF"))
  }
}
