/// A zeroed scratch area holding one kernel structure, read and written by field.
///
/// Lives on the stack for the duration of one call (`withUnsafeTemporaryAllocation`),
/// so the hot paths (map lookups and updates) allocate nothing.
package struct AttrBuffer {
  package let base: UnsafeMutableRawPointer
  package let size: Int

  @usableFromInline
  init(base: UnsafeMutableRawPointer, size: Int) {
    self.base = base
    self.size = size
  }

  /// Runs `body` with a zeroed, 8-byte-aligned buffer of `size` bytes.
  @inlinable
  package static func with<R: ~Copyable, E: Error>(
    size: Int, _ body: (AttrBuffer) throws(E) -> R
  ) throws(E) -> R {
    try withUnsafeTemporaryAllocation(byteCount: max(size, 8), alignment: 8) {
      (raw: UnsafeMutableRawBufferPointer) throws(E) -> R in
      guard let base = raw.baseAddress else {
        // A non-empty temporary allocation always has an address; should that
        // ever change, use the heap rather than trap.
        let heap = UnsafeMutableRawPointer.allocate(byteCount: max(size, 8), alignment: 8)
        defer { heap.deallocate() }
        heap.initializeMemory(as: UInt8.self, repeating: 0, count: max(size, 8))
        return try body(AttrBuffer(base: heap, size: size))
      }
      base.initializeMemory(as: UInt8.self, repeating: 0, count: raw.count)
      return try body(AttrBuffer(base: base, size: size))
    }
  }

  /// Stores a field; a field past `size` is a programming error in a layout, caught in tests.
  @inlinable
  package func set<T>(_ field: KernelField<T>, _ value: T) {
    precondition(field.end <= size, "field \(field.cName) outside layout")
    base.storeBytes(of: value, toByteOffset: field.offset, as: T.self)
  }

  /// Stores an address as the kernel's `__u64` pointer field.
  @inlinable
  package func set(_ field: KernelField<UInt64>, address: UnsafeRawPointer?) {
    set(field, UInt64(UInt(bitPattern: address)))
  }

  /// Reads a field; zero when the field lies beyond `limit` (the kernel wrote fewer bytes).
  @inlinable
  package func get<T>(_ field: KernelField<T>, limit: Int? = nil) -> T {
    guard field.end <= min(size, limit ?? size) else { return 0 }
    return base.loadUnaligned(fromByteOffset: field.offset, as: T.self)
  }

  /// Copies up to `field.count` bytes of `bytes` into a byte-array field.
  package func set(_ field: KernelBytesField, _ bytes: some Collection<UInt8>) {
    precondition(field.end <= size, "field \(field.cName) outside layout")
    var offset = field.offset
    for byte in bytes.prefix(field.count) {
      base.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
      offset += 1
    }
  }

  /// The bytes of a byte-array field (empty when beyond `limit`).
  package func bytes(_ field: KernelBytesField, limit: Int? = nil) -> [UInt8] {
    guard field.end <= min(size, limit ?? size) else { return [] }
    return Array(UnsafeRawBufferPointer(start: base + field.offset, count: field.count))
  }

  /// A NUL-terminated string field (`char name[16]`) as a `String`.
  package func string(_ field: KernelBytesField, limit: Int? = nil) -> String {
    let raw = bytes(field, limit: limit)
    return String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
  }

  /// The whole buffer, for passing to the kernel.
  @inlinable package var pointer: UnsafeMutableRawPointer { base }
}
