/// Byte-level access to a record of a generated type, for the members Swift
/// cannot store at their C offset: union members (all at offset 0 of one
/// storage) and members of packed structs (off their natural alignment).
///
/// `swiftbpf gen types` writes these calls; a value is copied in or out with
/// an unaligned load or store, so any offset is allowed. The offset plus the
/// value's size must lie inside the record (the generator guarantees it; a
/// precondition checks it).
public enum LayoutBytes {
  /// A record whose every byte is zero (padding included), for the
  /// generated types' `init()`: map keys hash their padding, so it must be 0.
  @inlinable
  public static func zeroed<Record: BitwiseCopyable>(_ type: Record.Type = Record.self) -> Record {
    withUnsafeTemporaryAllocation(of: Record.self, capacity: 1) { buffer in
      let raw = UnsafeMutableRawBufferPointer(buffer)
      raw.initializeMemory(as: UInt8.self, repeating: 0)
      return raw.load(as: Record.self)
    }
  }

  /// The `Value` at byte `offset` of `record`.
  @inlinable
  public static func load<Record: BitwiseCopyable, Value: BitwiseCopyable>(
    _ type: Value.Type, from record: Record, at offset: Int
  ) -> Value {
    precondition(offset >= 0 && offset + MemoryLayout<Value>.size <= MemoryLayout<Record>.size,
                 "member outside its record")
    return withUnsafeBytes(of: record) { $0.loadUnaligned(fromByteOffset: offset, as: Value.self) }
  }

  /// Writes `value` at byte `offset` of `record`, leaving the other bytes as they are.
  @inlinable
  public static func store<Record: BitwiseCopyable, Value: BitwiseCopyable>(
    _ value: Value, into record: inout Record, at offset: Int
  ) {
    precondition(offset >= 0 && offset + MemoryLayout<Value>.size <= MemoryLayout<Record>.size,
                 "member outside its record")
    withUnsafeMutableBytes(of: &record) { $0.storeBytes(of: value, toByteOffset: offset, as: Value.self) }
  }
}
