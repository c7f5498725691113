/// Flexible array members (`char data[];`, `u32 values[0];` as the last
/// member) of generated types.
///
/// Swift cannot place a zero-size stored property at an offset (it lands at
/// offset 0 whatever its position), so the generated type does not store
/// such a member: it states the member's byte offset and reads its elements
/// from the whole record, whose bytes go past the fixed part (a ring buffer
/// record, a map value of a larger size).
public enum LayoutTrailing {
  /// Every complete `Element` from byte `offset` to the end of `record`.
  @inlinable
  public static func elements<Element: BitwiseCopyable>(
    _ type: Element.Type, at offset: Int, in record: RawSpan
  ) -> [Element] {
    let size = MemoryLayout<Element>.stride
    guard size > 0, offset >= 0, record.byteCount > offset else { return [] }
    let count = (record.byteCount - offset) / size
    var result: [Element] = []
    result.reserveCapacity(count)
    for i in 0 ..< count {
      result.append(record.unsafeLoadUnaligned(fromByteOffset: offset + i * size, as: Element.self))
    }
    return result
  }
}
