import UAPI

/// Bounds-checked little/big endian loads. One check per record: callers
/// check the whole record once with `require`, then use the unchecked loads.
extension RawSpan {
  @inline(__always)
  func require(_ offset: Int, _ count: Int) throws(BTFError) {
    guard offset >= 0, count >= 0, offset <= byteCount, byteCount - offset >= count else {
      throw .truncated(offset: offset, needed: count)
    }
  }

  @inline(__always)
  func u32(at offset: Int, _ order: ByteOrder) throws(BTFError) -> UInt32 {
    try require(offset, 4)
    return u32Unchecked(offset, order)
  }

  @inline(__always)
  func u16(at offset: Int, _ order: ByteOrder) throws(BTFError) -> UInt16 {
    try require(offset, 2)
    let v = unsafeLoadUnaligned(fromUncheckedByteOffset: offset, as: UInt16.self)
    return order == .little ? UInt16(littleEndian: v) : UInt16(bigEndian: v)
  }

  @inline(__always)
  func u8(at offset: Int) throws(BTFError) -> UInt8 {
    try require(offset, 1)
    return unsafeLoad(fromUncheckedByteOffset: offset, as: UInt8.self)
  }

  /// A load after `require` covered it.
  @inline(__always)
  func u32Unchecked(_ offset: Int, _ order: ByteOrder) -> UInt32 {
    let v = unsafeLoadUnaligned(fromUncheckedByteOffset: offset, as: UInt32.self)
    return order == .little ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
  }

  @inline(__always)
  func byteUnchecked(_ offset: Int) -> UInt8 {
    unsafeLoad(fromUncheckedByteOffset: offset, as: UInt8.self)
  }
}
