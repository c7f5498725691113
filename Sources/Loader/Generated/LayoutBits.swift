import UAPI

/// Bitfields of a generated type, read and written over the record's bytes.
///
/// BTF gives a bitfield's position as a bit offset from the start of the
/// record and a width. Counting follows the object's byte order, as the C
/// compiler laid the bits out: in a little-endian object bit `n` is bit
/// `n % 8` (from the least significant) of byte `n / 8`; in a big-endian one
/// bit 0 is the most significant bit of byte 0. Working on bytes rather than
/// on a storage unit handles every case alike: 1-bit fields, signed fields
/// (sign-extended on read) and fields that span two storage units.
public enum LayoutBits {
  /// The `width`-bit field at `bitOffset` of `record`, as `Value`: sign-extended
  /// when `Value` is signed, zero-extended otherwise. `width` is 1 to 64.
  @inlinable
  public static func load<Record: BitwiseCopyable, Value: FixedWidthInteger>(
    _ type: Value.Type, from record: Record, bitOffset: Int, width: Int, order: ByteOrder
  ) -> Value {
    let raw = withUnsafeBytes(of: record) { bytes in
      extract(bytes, bitOffset: bitOffset, width: width, order: order)
    }
    if Value.isSigned && width < 64 && raw >> (width - 1) & 1 == 1 {
      // Sign extension: the bits above the field become ones.
      return Value(truncatingIfNeeded: Int64(bitPattern: raw | ~0 << width))
    }
    return Value(truncatingIfNeeded: raw)
  }

  /// Writes the low `width` bits of `value` into the field at `bitOffset`,
  /// leaving every other bit of `record` as it is (C's truncation on store).
  @inlinable
  public static func store<Record: BitwiseCopyable, Value: FixedWidthInteger>(
    _ value: Value, into record: inout Record, bitOffset: Int, width: Int, order: ByteOrder
  ) {
    let bits = UInt64(truncatingIfNeeded: value)
    withUnsafeMutableBytes(of: &record) { bytes in
      insert(bits, into: bytes, bitOffset: bitOffset, width: width, order: order)
    }
  }

  /// The field's bits, right-aligned. The bytes it touches (at most 9) are
  /// gathered into a 128-bit window in the object's order, then shifted.
  @usableFromInline
  static func extract(_ bytes: UnsafeRawBufferPointer, bitOffset: Int, width: Int, order: ByteOrder) -> UInt64 {
    precondition(width >= 1 && width <= 64 && bitOffset >= 0 && (bitOffset + width + 7) / 8 <= bytes.count,
                 "bitfield outside its record")
    let first = bitOffset / 8, last = (bitOffset + width - 1) / 8
    let shift = bitOffset % 8
    let mask: UInt128 = (1 << UInt128(width)) - 1
    var window: UInt128 = 0
    switch order {
    case .little:
      for i in first ... last { window |= UInt128(bytes[i]) << UInt128(8 * (i - first)) }
      return UInt64(truncatingIfNeeded: window >> UInt128(shift) & mask)
    case .big:
      for i in first ... last { window = window << 8 | UInt128(bytes[i]) }
      let spare = (last - first + 1) * 8 - shift - width
      return UInt64(truncatingIfNeeded: window >> UInt128(spare) & mask)
    }
  }

  @usableFromInline
  static func insert(
    _ value: UInt64, into bytes: UnsafeMutableRawBufferPointer, bitOffset: Int, width: Int, order: ByteOrder
  ) {
    precondition(width >= 1 && width <= 64 && bitOffset >= 0 && (bitOffset + width + 7) / 8 <= bytes.count,
                 "bitfield outside its record")
    let first = bitOffset / 8, last = (bitOffset + width - 1) / 8
    let count = last - first + 1
    let shift = bitOffset % 8
    let mask: UInt128 = (1 << UInt128(width)) - 1
    let position = order == .little ? shift : count * 8 - shift - width
    var window: UInt128 = 0
    for i in first ... last {
      let byte = UInt128(bytes[i])
      window |= order == .little ? byte << UInt128(8 * (i - first)) : byte << UInt128(8 * (last - i))
    }
    window = window & ~(mask << UInt128(position)) | (UInt128(value) & mask) << UInt128(position)
    for i in first ... last {
      let byteShift = order == .little ? 8 * (i - first) : 8 * (last - i)
      bytes[i] = UInt8(truncatingIfNeeded: window >> UInt128(byteShift))
    }
  }
}
