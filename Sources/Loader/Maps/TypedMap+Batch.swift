import Syscall

/// Many elements per system call (Linux 5.6): reading a large map in a few
/// calls instead of two per entry. Where the kernel has no batch commands
/// for the map, the same results come from single element calls
/// (`LoadedMap+Batch.swift` says when).
extension TypedMap {
  /// Every entry, read `batchSize` at a time.
  ///
  /// Kernel: `BPF_MAP_LOOKUP_BATCH` (or the next-key walk where the map has none).
  // Inlinable so that the copy out of each batch is specialized for `Key`
  // and `Value`: unspecialized, each element's loads and append went
  // through generic metadata (about 40 ns an element, 1.15× libbpf's time
  // on a 1M-entry hash).
  @inlinable
  public func lookupAll(batchSize: Int = 4096) throws(MapError) -> [(key: Key, value: Value)] {
    var result: [(key: Key, value: Value)] = []
    // Room for every element the map can hold, so the array never grows by
    // copying (a 1M-entry read went through twenty reallocations). A large
    // reservation is only address space: malloc maps it, and pages are
    // touched as elements are appended.
    result.reserveCapacity(Int(map.maxEntries))
    try forEachEntry(batchSize: batchSize) { result.append(($0, $1)) }
    return result
  }

  /// Hands every entry to `body`, read `batchSize` at a time, without
  /// collecting them: each value is loaded straight from the batch buffer
  /// (what `lookupAll` does before it appends). Entries added or removed
  /// while the read runs may or may not be seen, as with the kernel's batch
  /// command itself.
  ///
  /// Kernel: `BPF_MAP_LOOKUP_BATCH` (or the next-key walk where the map has none).
  @inlinable
  public func forEachEntry(batchSize: Int = 4096, _ body: (Key, Value) -> Void) throws(MapError) {
    let keyBytes = key.byteCount, valueBytes = value.byteCount
    let read: Void? = try map.lookupBatches(keyBytes: keyBytes, valueBytes: valueBytes, batchSize: batchSize) { k, v, count in
      for i in 0..<count {
        body(k.loadUnaligned(fromByteOffset: i * keyBytes, as: Key.self),
             v.loadUnaligned(fromByteOffset: i * valueBytes, as: Value.self))
      }
    }
    if read == nil {
      for (key, value) in try collectEntries() { body(key, value) }
    }
  }

  /// Stores every pair; returns how many were stored.
  ///
  /// Kernel: `BPF_MAP_UPDATE_BATCH`, or one `BPF_MAP_UPDATE_ELEM` each.
  @discardableResult
  public func update(_ entries: [(key: Key, value: Value)], flags: ElementFlags = .any) throws(MapError) -> Int {
    guard !entries.isEmpty else { return 0 }
    var keys = [UInt8](repeating: 0, count: max(1, entries.count * key.byteCount))
    var values = [UInt8](repeating: 0, count: max(1, entries.count * value.byteCount))
    keys.withUnsafeMutableBytes { k in
      values.withUnsafeMutableBytes { v in
        for (i, entry) in entries.enumerated() {
          k.storeBytes(of: entry.key, toByteOffset: i * key.byteCount, as: Key.self)
          v.storeBytes(of: entry.value, toByteOffset: i * value.byteCount, as: Value.self)
        }
      }
    }
    if let stored = try map.updateBatch(keys: keys, values: values, count: entries.count, flags: flags) { return stored }
    for entry in entries { try update(entry.key, entry.value, flags: flags) }
    return entries.count
  }

  /// Removes every key given: afterwards none of them is in the map.
  ///
  /// Kernel: `BPF_MAP_DELETE_BATCH`, or one `BPF_MAP_DELETE_ELEM` each. The
  /// batch command stops at the first key that is not there (`ENOENT`); the
  /// single calls then finish the rest.
  public func delete(_ keysToDelete: [Key]) throws(MapError) {
    guard !keysToDelete.isEmpty else { return }
    let keys = key.packed(keysToDelete)
    if try map.deleteBatch(keys: keys, count: keysToDelete.count) { return }
    for one in keysToDelete { try delete(one) }
  }
}

extension ElementLayout {
  /// `elements` back to back, each in `byteCount` bytes (zero-padded).
  func packed<T: BitwiseCopyable>(_ elements: [T]) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: max(1, elements.count * byteCount))
    bytes.withUnsafeMutableBytes { b in
      for (i, element) in elements.enumerated() { b.storeBytes(of: element, toByteOffset: i * byteCount, as: T.self) }
    }
    return bytes
  }
}
