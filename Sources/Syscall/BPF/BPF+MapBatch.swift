extension BPF {
  /// What a batch lookup returned.
  public struct BatchResult: Sendable, Hashable {
    /// Elements copied into the keys and values buffers.
    public var count: Int
    /// True when the map has no more elements (the kernel said `ENOENT`).
    public var done: Bool

    package init(count: Int, done: Bool) {
      self.count = count
      self.done = done
    }
  }

  /// Copies up to `count` elements into `keys` and `values`, starting after
  /// the position in `inBatch` (nil: from the start), and writes the next
  /// position into `outBatch` (for hashes: the key size; for arrays: 4 bytes).
  ///
  /// Kernel: `BPF_MAP_LOOKUP_BATCH` (or `BPF_MAP_LOOKUP_AND_DELETE_BATCH` when
  /// `delete` is true); Linux 5.6.
  public static func lookupBatch(
    map: BorrowedFD, inBatch: UnsafeRawPointer?, outBatch: UnsafeMutableRawPointer,
    keys: UnsafeMutableRawPointer, values: UnsafeMutableRawPointer, count: Int,
    delete: Bool = false, elementFlags: ElementFlags = []
  ) throws(SyscallError) -> BatchResult {
    let command: BPFCommand = delete ? .mapLookupAndDeleteBatch : .mapLookupBatch
    return try batch(command, map: map, inBatch: inBatch, outBatch: outBatch, keys: keys,
                     values: values, count: count, elementFlags: elementFlags,
                     endIsENOENT: true)
  }

  /// Stores `count` key/value pairs from `keys` and `values`; returns how
  /// many were stored.
  ///
  /// Kernel: `BPF_MAP_UPDATE_BATCH`; Linux 5.6.
  public static func updateBatch(
    map: BorrowedFD, keys: UnsafeRawPointer, values: UnsafeRawPointer, count: Int,
    elementFlags: ElementFlags = .any
  ) throws(SyscallError) -> Int {
    try batch(.mapUpdateBatch, map: map, inBatch: nil, outBatch: nil, keys: keys,
              values: values, count: count, elementFlags: elementFlags,
              endIsENOENT: false).count
  }

  /// Removes the `count` keys in `keys`; returns how many were removed.
  ///
  /// Kernel: `BPF_MAP_DELETE_BATCH`; Linux 5.6.
  public static func deleteBatch(
    map: BorrowedFD, keys: UnsafeRawPointer, count: Int, elementFlags: ElementFlags = []
  ) throws(SyscallError) -> Int {
    try batch(.mapDeleteBatch, map: map, inBatch: nil, outBatch: nil, keys: keys,
              values: nil, count: count, elementFlags: elementFlags,
              endIsENOENT: false).count
  }

  static func batch(
    _ command: BPFCommand, map: BorrowedFD, inBatch: UnsafeRawPointer?,
    outBatch: UnsafeMutableRawPointer?, keys: UnsafeRawPointer?, values: UnsafeRawPointer?,
    count: Int, elementFlags: ElementFlags, endIsENOENT: Bool
  ) throws(SyscallError) -> BatchResult {
    typealias L = BPFAttr.MapBatch
    let n = try u32(count, "batch count", command)
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> BatchResult in
      attr.set(L.inBatch, address: inBatch)
      attr.set(L.outBatch, address: outBatch.map { UnsafeRawPointer($0) })
      attr.set(L.keys, address: keys)
      attr.set(L.values, address: values)
      attr.set(L.count, n)
      attr.set(L.mapFD, fd(map))
      attr.set(L.elemFlags, elementFlags.rawValue)
      do throws(SyscallError) {
        _ = try call(command, attr)
        return BatchResult(count: Int(attr.get(L.count)), done: false)
      } catch {
        if endIsENOENT, error.errno == .ENOENT {
          return BatchResult(count: Int(attr.get(L.count)), done: true)
        }
        throw error
      }
    }
  }
}
