/// Which record sizes a typed stream accepts for a Swift type.
///
/// A record exactly `MemoryLayout<T>.size` or `.stride` bytes long is
/// accepted: a C struct's `sizeof` includes its tail padding, which Swift's
/// `size` leaves out and its `stride` puts back. A shorter record is always
/// refused (loading `T` from it would read past the record). A longer one is
/// refused unless `allowLonger` is set, for C structs followed by variable
/// data (`char data[]`) whose head alone is read: by default a longer record
/// means the two sides disagree on the layout, which should not go unnoticed.
///
/// Perf samples carry the kernel's padding (the `u32` size field plus the
/// data are rounded up to 8 bytes), so there a size padded that way is
/// accepted too.
struct RecordSizeRule: Sendable {
  let typeName: String
  let size: Int
  let stride: Int
  let allowLonger: Bool
  let perfPadding: Bool

  init<T: BitwiseCopyable>(_ type: T.Type, allowLonger: Bool, perfPadding: Bool = false) {
    typeName = String(describing: type)
    size = MemoryLayout<T>.size
    stride = MemoryLayout<T>.stride
    self.allowLonger = allowLonger
    self.perfPadding = perfPadding
  }

  /// Kernel: `perf_output_sample` pads `u32 size` + raw data to 8 bytes
  /// (`raw->size` is stored rounded up); `n` bytes arrive as this many.
  static func perfPadded(_ n: Int) -> Int { ((n + 4 + 7) & ~7) - 4 }

  func accepts(_ count: Int) -> Bool {
    if count < size { return false }
    if count == size || count == stride || allowLonger { return true }
    return perfPadding && (count == Self.perfPadded(size) || count == Self.perfPadded(stride))
  }

  func mismatch(buffer: String, recordSize: Int) -> EventError {
    .recordSizeMismatch(buffer: buffer, swiftType: typeName, swiftSize: size, recordSize: recordSize)
  }

  /// Checks the type against a map's declared record type (C size = Swift
  /// size or stride).
  func check(against declared: (name: String, size: Int)?, buffer: String) throws(EventError) {
    guard let declared, declared.size != size, declared.size != stride else { return }
    throw .recordTypeMismatch(buffer: buffer, swiftType: typeName, swiftSize: size,
                              declaredType: declared.name, declaredSize: declared.size)
  }
}
