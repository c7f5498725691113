import Syscall

/// Per-CPU maps many elements at a time (Linux 5.6): each element's value
/// is one slot per possible CPU, as in single-element calls. Where the map
/// has no batch commands, single element calls give the same results.
extension PerCPUMap {
  /// Every key with its values (index = CPU number), read `batchSize` keys at a time.
  ///
  /// Kernel: `BPF_MAP_LOOKUP_BATCH` (or the next-key walk where the map has none).
  public func lookupAll(batchSize: Int = 1024) throws(MapError) -> [(key: Key, values: [Value])] {
    var result: [(key: Key, values: [Value])] = []
    let keyBytes = key.byteCount, elementBytes = slot * cpuCount, slot = self.slot, cpus = cpuCount
    let read: Void? = try map.lookupBatches(keyBytes: keyBytes, valueBytes: elementBytes, batchSize: batchSize) {
      k, v, count in
      for i in 0..<count {
        let base = i * elementBytes
        result.append((k.loadUnaligned(fromByteOffset: i * keyBytes, as: Key.self),
                       (0..<cpus).map { v.loadUnaligned(fromByteOffset: base + $0 * slot, as: Value.self) }))
      }
    }
    if read != nil { return result }
    var walked: [(key: Key, values: [Value])] = []
    var previous: Key?
    while let next = try nextKey(after: previous) {
      if let values = try lookup(next) { walked.append((next, values)) }
      previous = next
    }
    return walked
  }

  /// Stores every key's values (`values.count` must be `cpuCount` for each);
  /// returns how many keys were stored.
  ///
  /// Kernel: `BPF_MAP_UPDATE_BATCH`, or one `BPF_MAP_UPDATE_ELEM` each.
  @discardableResult
  public func update(_ entries: [(key: Key, values: [Value])], flags: ElementFlags = .any) throws(MapError) -> Int {
    guard !entries.isEmpty else { return 0 }
    for entry in entries where entry.values.count != cpuCount {
      throw .wrongCPUCount(map: map.name, given: entry.values.count, possible: cpuCount)
    }
    let elementBytes = slot * cpuCount
    let keys = key.packed(entries.map(\.key))
    var values = [UInt8](repeating: 0, count: max(1, entries.count * elementBytes))
    values.withUnsafeMutableBytes { v in
      for (i, entry) in entries.enumerated() {
        for (cpu, value) in entry.values.enumerated() {
          v.storeBytes(of: value, toByteOffset: i * elementBytes + cpu * slot, as: Value.self)
        }
      }
    }
    if let stored = try map.updateBatch(keys: keys, values: values, count: entries.count, flags: flags) { return stored }
    for entry in entries { try update(entry.key, entry.values, flags: flags) }
    return entries.count
  }

  /// Removes every key given: afterwards none of them is in the map.
  ///
  /// Kernel: `BPF_MAP_DELETE_BATCH`, or one `BPF_MAP_DELETE_ELEM` each.
  public func delete(_ keysToDelete: [Key]) throws(MapError) {
    guard !keysToDelete.isEmpty else { return }
    if try map.deleteBatch(keys: key.packed(keysToDelete), count: keysToDelete.count) { return }
    for one in keysToDelete { try delete(one) }
  }

  /// The key after `key` in the kernel's order (the first with nil); nil at
  /// the end. A `key` no longer in a hash map restarts the walk at the first.
  ///
  /// Kernel: `BPF_MAP_GET_NEXT_KEY`.
  public func nextKey(after key: Key?) throws(MapError) -> Key? {
    try map.nextKey(after: key, layout: self.key)
  }
}
