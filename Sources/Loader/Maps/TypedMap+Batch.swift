import Syscall

/// Many elements per system call (Linux 5.6): reading a large map in a few
/// calls instead of two per entry. Where the kernel has no batch commands
/// for the map (`EINVAL` before 5.6, `ENOTSUPP`/`EOPNOTSUPP` for map types
/// without them, such as LPM tries), the same results come from single
/// element calls.
extension TypedMap {
  /// Whether a batch command failed because the kernel or map type lacks it.
  static func lacksBatch(_ error: SyscallError) -> Bool {
    error.errno == .EINVAL || error.errno == .ENOTSUPP || error.errno == .EOPNOTSUPP
  }

  /// Every entry, read `batchSize` at a time.
  ///
  /// Kernel: `BPF_MAP_LOOKUP_BATCH`, resumed from the position the kernel
  /// returns until it answers `ENOENT`; a hash bucket larger than the batch
  /// (`ENOSPC`) doubles the batch.
  public func lookupAll(batchSize: Int = 4096) throws(MapError) -> [(key: Key, value: Value)] {
    var size = max(1, batchSize)
    var result: [(key: Key, value: Value)] = []
    // The position token: the key size for hashes, 4 bytes for arrays.
    let token = max(key.byteCount, 8)
    var position = [UInt8](repeating: 0, count: token)
    var next = [UInt8](repeating: 0, count: token)
    var started = false
    while true {
      // At least one byte each: `baseAddress` of an empty array may be nil.
      var keys = [UInt8](repeating: 0, count: max(1, size * key.byteCount))
      var values = [UInt8](repeating: 0, count: max(1, size * value.byteCount))
      let outcome: Result<BPF.BatchResult, SyscallError> = try withKernel { (kernel, fd) throws(SyscallError) in
        keys.withUnsafeMutableBytes { k in
          values.withUnsafeMutableBytes { v in
            position.withUnsafeBytes { p in
              next.withUnsafeMutableBytes { n in
                Result { () throws(SyscallError) in
                  try kernel.lookupBatch(map: fd, inBatch: started ? p.baseAddress : nil,
                                         outBatch: n.baseAddress.unsafelyUnwrapped,
                                         keys: k.baseAddress.unsafelyUnwrapped, values: v.baseAddress.unsafelyUnwrapped,
                                         count: size)
                }
              }
            }
          }
        }
      }
      let batch: BPF.BatchResult
      switch outcome {
      case .success(let b): batch = b
      case .failure(let error) where error.errno == .ENOSPC:
        size *= 2
        continue
      case .failure(let error) where Self.lacksBatch(error) && !started:
        return try collectEntries()
      case .failure(let error):
        throw .syscall(error, map: map.name)
      }
      keys.withUnsafeBytes { k in
        values.withUnsafeBytes { v in
          for i in 0..<batch.count {
            result.append((k.loadUnaligned(fromByteOffset: i * key.byteCount, as: Key.self),
                           v.loadUnaligned(fromByteOffset: i * value.byteCount, as: Value.self)))
          }
        }
      }
      if batch.done { return result }
      position = next
      started = true
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
    let outcome: Result<Int, SyscallError> = try withKernel { (kernel, fd) throws(SyscallError) in
      keys.withUnsafeBytes { k in
        values.withUnsafeBytes { v in
          Result { () throws(SyscallError) in
            try kernel.updateBatch(map: fd, keys: k.baseAddress.unsafelyUnwrapped, values: v.baseAddress.unsafelyUnwrapped,
                                   count: entries.count, flags: flags)
          }
        }
      }
    }
    switch outcome {
    case .success(let stored): return stored
    case .failure(let error) where Self.lacksBatch(error):
      for entry in entries { try update(entry.key, entry.value, flags: flags) }
      return entries.count
    case .failure(let error): throw .syscall(error, map: map.name)
    }
  }

  /// Removes every key given: afterwards none of them is in the map.
  ///
  /// Kernel: `BPF_MAP_DELETE_BATCH`, or one `BPF_MAP_DELETE_ELEM` each. The
  /// batch command stops at the first key that is not there (`ENOENT`); the
  /// single calls then finish the rest.
  public func delete(_ keysToDelete: [Key]) throws(MapError) {
    guard !keysToDelete.isEmpty else { return }
    var keys = [UInt8](repeating: 0, count: max(1, keysToDelete.count * key.byteCount))
    keys.withUnsafeMutableBytes { k in
      for (i, one) in keysToDelete.enumerated() { k.storeBytes(of: one, toByteOffset: i * key.byteCount, as: Key.self) }
    }
    let outcome: Result<Int, SyscallError> = try withKernel { (kernel, fd) throws(SyscallError) in
      keys.withUnsafeBytes { k in
        Result { () throws(SyscallError) in
          try kernel.deleteBatch(map: fd, keys: k.baseAddress.unsafelyUnwrapped, count: keysToDelete.count)
        }
      }
    }
    switch outcome {
    case .success: return
    case .failure(let error) where Self.lacksBatch(error) || error.errno == .ENOENT:
      for one in keysToDelete { try delete(one) }
    case .failure(let error): throw .syscall(error, map: map.name)
    }
  }
}
