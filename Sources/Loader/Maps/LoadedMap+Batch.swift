import Syscall

/// The kernel's batch commands (Linux 5.6) over raw element bytes, shared by
/// the typed views: `TypedMap` (one value per key) and `PerCPUMap` (one
/// value per possible CPU per key). Each returns nil (or false) when the
/// kernel or the map type lacks the command — `EINVAL` before 5.6,
/// `ENOTSUPP`/`EOPNOTSUPP` for types without it, such as LPM tries — so the
/// view can answer with single-element calls instead.
extension LoadedObject.Map {
  /// Whether a batch command failed because the kernel or map type lacks it.
  static func lacksBatch(_ error: SyscallError) -> Bool {
    error.errno == .EINVAL || error.errno == .ENOTSUPP || error.errno == .EOPNOTSUPP
  }

  /// Reads every element, `batchSize` at a time, handing each batch's keys
  /// and values (`keyBytes` and `valueBytes` apart) to `consume` with its
  /// element count. nil when the map has no batch lookup.
  ///
  /// The key and value buffers are allocated once (again only when a batch
  /// has to grow) and handed to `consume` in place; `consume` must not keep
  /// them.
  ///
  /// Kernel: `BPF_MAP_LOOKUP_BATCH`, resumed from the position the kernel
  /// returns until it answers `ENOENT`; a hash bucket larger than the batch
  /// (`ENOSPC`) doubles the batch.
  @usableFromInline
  func lookupBatches(
    keyBytes: Int, valueBytes: Int, batchSize: Int,
    _ consume: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, Int) -> Void
  ) throws(MapError) -> Void? {
    var size = max(1, batchSize)
    // The position token: the key size for hashes, 4 bytes for arrays. The
    // kernel writes the next position into `next`; the two swap each batch.
    let token = max(keyBytes, 8)
    var position = UnsafeMutableRawPointer.allocate(byteCount: token, alignment: 8)
    var next = UnsafeMutableRawPointer.allocate(byteCount: token, alignment: 8)
    // At least one byte each, so that a zero-size part still has an address.
    var keys = UnsafeMutableRawPointer.allocate(byteCount: max(1, size * keyBytes), alignment: 8)
    var values = UnsafeMutableRawPointer.allocate(byteCount: max(1, size * valueBytes), alignment: 8)
    defer {
      position.deallocate()
      next.deallocate()
      keys.deallocate()
      values.deallocate()
    }
    position.initializeMemory(as: UInt8.self, repeating: 0, count: token)
    next.initializeMemory(as: UInt8.self, repeating: 0, count: token)
    var started = false
    while true {
      let outcome: Result<BPF.BatchResult, SyscallError> = try withKernelCall { (kernel, fd) throws(SyscallError) in
        Result { () throws(SyscallError) in
          try kernel.lookupBatch(map: fd, inBatch: started ? UnsafeRawPointer(position) : nil, outBatch: next,
                                 keys: keys, values: values, count: size)
        }
      }
      let batch: BPF.BatchResult
      switch outcome {
      case .success(let b): batch = b
      case .failure(let error) where error.errno == .ENOSPC:
        size *= 2
        keys.deallocate()
        values.deallocate()
        keys = UnsafeMutableRawPointer.allocate(byteCount: max(1, size * keyBytes), alignment: 8)
        values = UnsafeMutableRawPointer.allocate(byteCount: max(1, size * valueBytes), alignment: 8)
        continue
      case .failure(let error) where Self.lacksBatch(error) && !started:
        return nil
      case .failure(let error):
        throw .syscall(error, map: name)
      }
      consume(UnsafeRawBufferPointer(start: keys, count: batch.count * keyBytes),
              UnsafeRawBufferPointer(start: values, count: batch.count * valueBytes), batch.count)
      if batch.done { return () }
      swap(&position, &next)
      started = true
    }
  }

  /// Stores `count` elements laid out back to back in `keys` and `values`;
  /// the number stored, or nil when the map has no batch update.
  ///
  /// Kernel: `BPF_MAP_UPDATE_BATCH`.
  func updateBatch(keys: [UInt8], values: [UInt8], count: Int, flags: ElementFlags) throws(MapError) -> Int? {
    let outcome: Result<Int, SyscallError> = try withKernelCall { (kernel, fd) throws(SyscallError) in
      keys.withUnsafeBytes { k in
        values.withUnsafeBytes { v in
          Result { () throws(SyscallError) in
            try kernel.updateBatch(map: fd, keys: k.baseAddress.unsafelyUnwrapped, values: v.baseAddress.unsafelyUnwrapped,
                                   count: count, flags: flags)
          }
        }
      }
    }
    switch outcome {
    case .success(let stored): return stored
    case .failure(let error) where Self.lacksBatch(error): return nil
    case .failure(let error): throw .syscall(error, map: name)
    }
  }

  /// Removes `count` keys laid out back to back in `keys`; false when the
  /// map has no batch delete or a key was absent (the batch stops at the
  /// first missing key with `ENOENT`): the caller finishes with single calls.
  ///
  /// Kernel: `BPF_MAP_DELETE_BATCH`.
  func deleteBatch(keys: [UInt8], count: Int) throws(MapError) -> Bool {
    let outcome: Result<Int, SyscallError> = try withKernelCall { (kernel, fd) throws(SyscallError) in
      keys.withUnsafeBytes { k in
        Result { () throws(SyscallError) in
          try kernel.deleteBatch(map: fd, keys: k.baseAddress.unsafelyUnwrapped, count: count)
        }
      }
    }
    switch outcome {
    case .success: return true
    case .failure(let error) where Self.lacksBatch(error) || error.errno == .ENOENT: return false
    case .failure(let error): throw .syscall(error, map: name)
    }
  }
}
