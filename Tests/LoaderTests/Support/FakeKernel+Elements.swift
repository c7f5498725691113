import Glibc
import Loader
import Synchronization
import Syscall
import UAPI

/// The fake's map elements, kept in memory per map with the kernel's
/// semantics for the map type (include/uapi/linux/bpf.h, the element
/// commands): arrays have every index from 0 to `max_entries - 1`, zeroed
/// until written, and refuse delete (EINVAL); hash maps keep what was
/// inserted, refuse a new key when full (E2BIG), and walk keys in insertion
/// order, a missing key starting the walk again at the first. Per-CPU maps
/// hold one 8-byte-rounded slot per possible CPU (`cpus`).
extension FakeKernel {
  /// One map's elements.
  struct Elements: Sendable {
    var values: [[UInt8]: [UInt8]] = [:]
    var order: [[UInt8]] = []
  }

  /// The created map behind `fd` (or a reader's duplicate of it).
  func createdMap(_ fd: BorrowedFD) -> CreatedMap? {
    let inode = Self.inode(fd.rawValue)
    return state.withLock { s in
      s.maps.last { $0.fd == fd.rawValue || (inode != nil && Self.inode($0.fd) == inode) }
    }
  }

  private func layout(_ fd: BorrowedFD, _ command: BPFCommand) throws(SyscallError)
    -> (map: CreatedMap, keySize: Int, valueBytes: Int, isArray: Bool)
  {
    guard let map = createdMap(fd) else { throw .failed(.bpf(command), .EBADF) }
    let a = map.attributes
    let perCPU = [MapType.percpuArray, .percpuHash, .lruPercpuHash].contains(a.type)
    let valueBytes = perCPU ? (Int(a.valueSize) + 7) / 8 * 8 * cpus : Int(a.valueSize)
    return (map, Int(a.keySize), valueBytes, [MapType.array, .percpuArray].contains(a.type))
  }

  private static func arrayIndex(_ key: [UInt8]) -> UInt32 {
    key.prefix(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
  }

  /// Queues, stacks and bloom filters: elements without keys, in `order`
  /// (values as keys), oldest first.
  static func isKeyless(_ type: MapType) -> Bool { [.queue, .stack, .bloomFilter].contains(type) }

  func lookupElement(
    map: BorrowedFD, key: UnsafeRawPointer?, value: UnsafeMutableRawPointer, flags: ElementFlags
  ) throws(SyscallError) -> Bool {
    let (created, keySize, valueBytes, isArray) = try layout(map, .mapLookupElement)
    if Self.isKeyless(created.attributes.type) {
      let order = elements.withLock { $0[created.id]?.order ?? [] }
      if created.attributes.type == .bloomFilter {
        // The value buffer holds the value to test.
        return order.contains(Array(UnsafeRawBufferPointer(start: value, count: valueBytes)))
      }
      guard let next = created.attributes.type == .queue ? order.first : order.last else { return false }
      next.withUnsafeBytes { value.copyMemory(from: $0.baseAddress.unsafelyUnwrapped, byteCount: valueBytes) }
      return true
    }
    guard let key else { throw .failed(.bpf(.mapLookupElement), .EINVAL) }
    let k = Array(UnsafeRawBufferPointer(start: key, count: keySize))
    if isArray, Self.arrayIndex(k) >= created.attributes.maxEntries { return false }
    let stored = elements.withLock { $0[created.id]?.values[k] }
    guard let bytes = stored ?? (isArray ? [UInt8](repeating: 0, count: valueBytes) : nil) else { return false }
    bytes.withUnsafeBytes { value.copyMemory(from: $0.baseAddress.unsafelyUnwrapped, byteCount: valueBytes) }
    return true
  }

  func updateElement(
    map: BorrowedFD, key: UnsafeRawPointer?, value: UnsafeRawPointer, flags: ElementFlags
  ) throws(SyscallError) {
    let (created, keySize, valueBytes, isArray) = try layout(map, .mapUpdateElement)
    if Self.isKeyless(created.attributes.type) {
      let v = Array(UnsafeRawBufferPointer(start: value, count: valueBytes))
      let limit = Int(created.attributes.maxEntries)
      try elements.withLock { (all) throws(SyscallError) in
        var e = all[created.id] ?? Elements()
        if e.order.count >= limit {
          // Kernel: a full queue or stack takes BPF_EXIST to drop its oldest.
          guard flags.contains(.exist), created.attributes.type != .bloomFilter else {
            throw .failed(.bpf(.mapUpdateElement), .E2BIG)
          }
          e.order.removeFirst()
        }
        e.order.append(v)
        all[created.id] = e
      }
      return
    }
    guard let key else { throw .failed(.bpf(.mapUpdateElement), .EINVAL) }
    let k = Array(UnsafeRawBufferPointer(start: key, count: keySize))
    let v = Array(UnsafeRawBufferPointer(start: value, count: valueBytes))
    let limit = Int(created.attributes.maxEntries)
    try elements.withLock { (all) throws(SyscallError) in
      var e = all[created.id] ?? Elements()
      if isArray {
        guard Self.arrayIndex(k) < UInt32(limit) else { throw .failed(.bpf(.mapUpdateElement), .E2BIG) }
        // Kernel: every array element exists, so "create only" always fails.
        if flags.contains(.noExist) { throw .failed(.bpf(.mapUpdateElement), .EEXIST) }
      } else {
        let present = e.values[k] != nil
        if flags.contains(.noExist), present { throw .failed(.bpf(.mapUpdateElement), .EEXIST) }
        if flags.contains(.exist), !present { throw .failed(.bpf(.mapUpdateElement), .ENOENT) }
        if !present, e.order.count >= limit { throw .failed(.bpf(.mapUpdateElement), .E2BIG) }
        if !present { e.order.append(k) }
      }
      e.values[k] = v
      all[created.id] = e
    }
  }

  func deleteElement(map: BorrowedFD, key: UnsafeRawPointer?) throws(SyscallError) -> Bool {
    let (created, keySize, _, isArray) = try layout(map, .mapDeleteElement)
    guard let key, !isArray else { throw .failed(.bpf(.mapDeleteElement), .EINVAL) }
    let k = Array(UnsafeRawBufferPointer(start: key, count: keySize))
    return elements.withLock { all in
      guard all[created.id]?.values.removeValue(forKey: k) != nil else { return false }
      all[created.id]?.order.removeAll { $0 == k }
      return true
    }
  }

  func nextKey(
    map: BorrowedFD, after key: UnsafeRawPointer?, into next: UnsafeMutableRawPointer
  ) throws(SyscallError) -> Bool {
    let (created, keySize, _, isArray) = try layout(map, .mapGetNextKey)
    let k = key.map { Array(UnsafeRawBufferPointer(start: $0, count: keySize)) }
    if isArray {
      let index = k.map { Self.arrayIndex($0) &+ 1 } ?? 0
      guard index < created.attributes.maxEntries else { return false }
      withUnsafeBytes(of: index.littleEndian) { next.copyMemory(from: $0.baseAddress.unsafelyUnwrapped, byteCount: 4) }
      return true
    }
    let order = elements.withLock { $0[created.id]?.order ?? [] }
    let following: [UInt8]?
    if let k, let i = order.firstIndex(of: k) {
      following = i + 1 < order.count ? order[i + 1] : nil
    } else {
      following = order.first  // no key, or a key no longer there: the first
    }
    guard let following else { return false }
    following.withUnsafeBytes { next.copyMemory(from: $0.baseAddress.unsafelyUnwrapped, byteCount: keySize) }
    return true
  }

  func lookupAndDeleteElement(
    map: BorrowedFD, key: UnsafeRawPointer?, value: UnsafeMutableRawPointer
  ) throws(SyscallError) -> Bool {
    let (created, _, _, _) = try layout(map, .mapLookupAndDeleteElement)
    if Self.isKeyless(created.attributes.type) {
      guard try lookupElement(map: map, key: nil, value: value, flags: []) else { return false }
      elements.withLock { all in
        // A queue gives its oldest element, a stack its newest.
        if created.attributes.type == .queue {
          _ = all[created.id]?.order.removeFirst()
        } else {
          _ = all[created.id]?.order.removeLast()
        }
      }
      return true
    }
    guard try lookupElement(map: map, key: key, value: value, flags: []) else { return false }
    return try deleteElement(map: map, key: key)
  }
}

/// Batch commands over the same elements. The position token the fake hands
/// out is the index of the next element (a u32 at the start of the buffer),
/// which callers pass back as the kernel's is passed back; `batchRefusal`
/// makes every batch command fail as a kernel without them does.
extension FakeKernel {
  func lookupBatch(
    map: BorrowedFD, inBatch: UnsafeRawPointer?, outBatch: UnsafeMutableRawPointer,
    keys: UnsafeMutableRawPointer, values: UnsafeMutableRawPointer, count: Int
  ) throws(SyscallError) -> BPF.BatchResult {
    if let errno = batchRefusal { throw .failed(.bpf(.mapLookupBatch), errno) }
    guard let created = createdMap(map) else { throw .failed(.bpf(.mapLookupBatch), .EBADF) }
    // Per-CPU maps: each value is every CPU's copy, as in single-element calls.
    let (_, keySize, valueSize, _) = try layout(map, .mapLookupBatch)
    let start = inBatch.map { Int($0.loadUnaligned(as: UInt32.self)) } ?? 0
    let e = elements.withLock { $0[created.id] } ?? Elements()
    let order = e.order
    let end = min(order.count, start + count)
    for (i, key) in order[min(start, order.count)..<end].enumerated() {
      key.withUnsafeBytes { keys.advanced(by: i * keySize).copyMemory(from: $0.baseAddress.unsafelyUnwrapped, byteCount: keySize) }
      let value = e.values[key] ?? [UInt8](repeating: 0, count: valueSize)
      value.withUnsafeBytes { values.advanced(by: i * valueSize).copyMemory(from: $0.baseAddress.unsafelyUnwrapped, byteCount: valueSize) }
    }
    outBatch.storeBytes(of: UInt32(end), as: UInt32.self)
    return BPF.BatchResult(count: end - min(start, order.count), done: end >= order.count)
  }

  func updateBatch(
    map: BorrowedFD, keys: UnsafeRawPointer, values: UnsafeRawPointer, count: Int, flags: ElementFlags
  ) throws(SyscallError) -> Int {
    if let errno = batchRefusal { throw .failed(.bpf(.mapUpdateBatch), errno) }
    let (_, keySize, valueSize, _) = try layout(map, .mapUpdateBatch)
    for i in 0..<count {
      try updateElement(map: map, key: keys + i * keySize, value: values + i * valueSize, flags: flags)
    }
    return count
  }

  func deleteBatch(map: BorrowedFD, keys: UnsafeRawPointer, count: Int) throws(SyscallError) -> Int {
    if let errno = batchRefusal { throw .failed(.bpf(.mapDeleteBatch), errno) }
    guard let created = createdMap(map) else { throw .failed(.bpf(.mapDeleteBatch), .EBADF) }
    let keySize = Int(created.attributes.keySize)
    for i in 0..<count where !(try deleteElement(map: map, key: keys + i * keySize)) {
      throw .failed(.bpf(.mapDeleteBatch), .ENOENT)
    }
    return count
  }
}

extension FakeKernel {
  /// The created map with this id, as a new descriptor of the same file
  /// (so its elements are the same map's).
  func openMap(id: UInt32) throws(SyscallError) -> OwnedFD {
    guard let created = state.withLock({ s in s.maps.first { $0.id == id } }) else {
      throw .failed(.bpf(.mapGetFDByID), .ENOENT)
    }
    return try BorrowedFD(created.fd).duplicate()
  }
}
