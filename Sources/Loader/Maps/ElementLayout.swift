import Syscall

/// How a Swift type sits in a map's key or value bytes.
///
/// A Swift struct mirroring a C struct has the C struct's fields at the same
/// offsets, but its `size` leaves out the trailing padding that C's `sizeof`
/// counts (C `{u64; u32}` is 16 bytes; the Swift mirror's size is 12, its
/// stride 16). Either may equal the map's size; the bytes beyond the Swift
/// size are zeroed on the way in and ignored on the way out.
@usableFromInline
struct ElementLayout: Sendable {
  /// The map's size of this part, in bytes.
  @usableFromInline let byteCount: Int
  @usableFromInline let alignment: Int

  /// A layout of `byteCount` raw bytes (for views that read part of a value).
  init(byteCount: Int, alignment: Int) {
    self.byteCount = byteCount
    self.alignment = alignment
  }

  init<T: BitwiseCopyable>(_ type: T.Type, mapSize: UInt32, part: MapError.Part, map: String) throws(MapError) {
    let size = MemoryLayout<T>.size
    guard Int(mapSize) == size || Int(mapSize) == MemoryLayout<T>.stride else {
      throw .sizeMismatch(map: map, part: part, swiftType: String(describing: T.self), swiftSize: size,
                          mapSize: Int(mapSize))
    }
    byteCount = Int(mapSize)
    alignment = max(MemoryLayout<T>.alignment, 8)
  }

  // `baseAddress` of a temporary allocation of at least one byte is never
  // nil; `unsafelyUnwrapped` says so without a branch on the hot path.

  /// Runs `body` with `value`'s bytes, zero-padded to the map's size.
  @inlinable
  func withBytes<T: BitwiseCopyable, R, E: Error>(
    of value: T, _ body: (UnsafeRawPointer) throws(E) -> R
  ) throws(E) -> R {
    try withUnsafeTemporaryAllocation(byteCount: max(byteCount, 1), alignment: alignment) { buffer throws(E) -> R in
      let base = buffer.baseAddress.unsafelyUnwrapped
      if byteCount > MemoryLayout<T>.size { buffer.initializeMemory(as: UInt8.self, repeating: 0) }
      base.storeBytes(of: value, as: T.self)
      return try body(UnsafeRawPointer(base))
    }
  }

  /// Runs `body` with room for one element; `read` loads it back.
  @inlinable
  func withRoom<R, E: Error>(_ body: (UnsafeMutableRawPointer) throws(E) -> R) throws(E) -> R {
    try withUnsafeTemporaryAllocation(byteCount: max(byteCount, 1), alignment: alignment) { buffer throws(E) -> R in
      try body(buffer.baseAddress.unsafelyUnwrapped)
    }
  }
}
