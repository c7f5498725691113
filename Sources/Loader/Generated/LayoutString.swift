/// C strings in fixed-size `char` arrays of generated types (`char comm[16]`
/// becomes `InlineArray<16, Int8>` plus a `String` accessor).
public enum LayoutString {
  /// The characters before the first NUL (all of them when there is none),
  /// decoded as UTF-8 with invalid sequences replaced.
  @inlinable
  public static func decode<let count: Int, Element: FixedWidthInteger & BitwiseCopyable>(
    _ chars: InlineArray<count, Element>
  ) -> String {
    precondition(MemoryLayout<Element>.size == 1, "a C string is made of bytes")
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    for i in 0 ..< count {
      let byte = UInt8(truncatingIfNeeded: chars[i])
      if byte == 0 { break }
      bytes.append(byte)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// `text`'s UTF-8 bytes, cut to leave room for a terminating NUL, and
  /// zeros after them (as `strncpy` into a zeroed array would leave it).
  @inlinable
  public static func encode<let count: Int, Element: FixedWidthInteger & BitwiseCopyable>(
    _ text: String, as type: InlineArray<count, Element>.Type = InlineArray<count, Element>.self
  ) -> InlineArray<count, Element> {
    precondition(MemoryLayout<Element>.size == 1, "a C string is made of bytes")
    var chars = InlineArray<count, Element>(repeating: 0)
    for (i, byte) in text.utf8.prefix(Swift.max(0, count - 1)).enumerated() {
      chars[i] = Element(truncatingIfNeeded: byte)
    }
    return chars
  }
}
