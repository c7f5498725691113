import UAPI

/// Bounds-checked reads of fixed-width integers from a byte buffer in a given
/// byte order. Each returns nil when the value would not fit, so callers turn
/// that into an error that names the offset.
extension RawSpan {
  func u8(at offset: Int) -> UInt8? {
    guard offset >= 0, offset < byteCount else { return nil }
    return unsafeLoad(fromByteOffset: offset, as: UInt8.self)
  }

  func u16(at offset: Int, _ order: ByteOrder) -> UInt16? {
    guard offset >= 0, byteCount - offset >= 2 else { return nil }
    let v = unsafeLoadUnaligned(fromByteOffset: offset, as: UInt16.self)
    return order == .little ? UInt16(littleEndian: v) : UInt16(bigEndian: v)
  }

  func u32(at offset: Int, _ order: ByteOrder) -> UInt32? {
    guard offset >= 0, byteCount - offset >= 4 else { return nil }
    let v = unsafeLoadUnaligned(fromByteOffset: offset, as: UInt32.self)
    return order == .little ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
  }

  func u64(at offset: Int, _ order: ByteOrder) -> UInt64? {
    guard offset >= 0, byteCount - offset >= 8 else { return nil }
    let v = unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self)
    return order == .little ? UInt64(littleEndian: v) : UInt64(bigEndian: v)
  }
}

extension UInt64 {
  /// `self + other` if it fits and stays within `limit`, else nil.
  func adding(_ other: UInt64, notBeyond limit: UInt64) -> UInt64? {
    let (sum, overflow) = addingReportingOverflow(other)
    return overflow || sum > limit ? nil : sum
  }
}
