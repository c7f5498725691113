import UAPI

/// The hash behind the name indexes, computed 8 bytes at a step.
///
/// Why not byte-at-a-time (FNV-1a, before): building the vmlinux index
/// hashes about 100k names, and a per-byte multiply chain was most of its
/// cost. Here a name is cut into 8-byte chunks read little-endian, the last
/// one zero-padded (and none after a final full chunk), each mixed with one
/// multiply. Three entry points must agree on every name: from a known
/// length in the blob, from a Swift string's UTF-8, and straight from a
/// NUL-terminated string in the table, which finds the NUL with the same
/// loads instead of a byte loop first.
extension BTF {
  /// Fractional digits of pi: any odd constant with mixed bits would do.
  static var hashSeed: UInt64 { 0x243F_6A88_85A3_08D3 }

  @inline(__always)
  static func hashMix(_ h: UInt64, _ chunk: UInt64) -> UInt64 {
    // Golden-ratio multiply, then fold the high bits down so that chunks
    // differing only in their last bytes still spread over the low bits.
    let m = (h ^ chunk) &* 0x9E37_79B9_7F4A_7C15
    return m ^ (m >> 29)
  }

  @inline(__always)
  static func hashFinish(_ h: UInt64) -> UInt32 {
    // The table masks the low bits: take them from a final multiply's top half.
    UInt32(truncatingIfNeeded: (h &* 0xBF58_476D_1CE4_E5B9) >> 32)
  }

  /// The hash of `length` bytes at `start` of `span` (bounds checked by the caller).
  @inline(__always)
  static func hash(_ span: RawSpan, _ start: Int, _ length: Int) -> UInt32 {
    var h = hashSeed
    var i = start
    let end = start + length
    while end - i >= 8 {
      h = hashMix(h, UInt64(littleEndian: span.unsafeLoadUnaligned(fromUncheckedByteOffset: i, as: UInt64.self)))
      i += 8
    }
    if i < end {
      var chunk: UInt64 = 0
      for k in 0 ..< end - i { chunk |= UInt64(span.byteUnchecked(i + k)) << (8 * UInt64(k)) }
      h = hashMix(h, chunk)
    }
    return hashFinish(h)
  }

  /// The same hash of a Swift string's UTF-8 (the lookup's key).
  static func hash(_ utf8: UnsafeBufferPointer<UInt8>) -> UInt32 {
    var h = hashSeed
    var i = 0
    let end = utf8.count
    while end - i >= 8 {
      var chunk: UInt64 = 0
      for k in 0 ..< 8 { chunk |= UInt64(utf8[i + k]) << (8 * UInt64(k)) }
      h = hashMix(h, chunk)
      i += 8
    }
    if i < end {
      var chunk: UInt64 = 0
      for k in 0 ..< end - i { chunk |= UInt64(utf8[i + k]) << (8 * UInt64(k)) }
      h = hashMix(h, chunk)
    }
    return hashFinish(h)
  }

  /// The same hash of the NUL-terminated string at `start`, where `end` is
  /// the end of a string table whose last byte is NUL (checked at parse
  /// time), so the string ends before `end`.
  @inline(__always)
  static func hashNulTerminated(_ span: RawSpan, _ start: Int, _ end: Int) -> UInt32 {
    var h = hashSeed
    var i = start
    while true {
      var chunk: UInt64
      if end - i >= 8 {
        chunk = UInt64(littleEndian: span.unsafeLoadUnaligned(fromUncheckedByteOffset: i, as: UInt64.self))
      } else {
        chunk = 0
        for k in 0 ..< end - i { chunk |= UInt64(span.byteUnchecked(i + k)) << (8 * UInt64(k)) }
        // Past `end` the chunk reads as zeros: a NUL, though the table's own
        // last byte already is one.
      }
      // Each zero byte of the chunk sets its top bit here (a borrow can also
      // flag bytes above a zero one, never below, so the lowest flag is the
      // first NUL).
      let zeros = (chunk &- 0x0101_0101_0101_0101) & ~chunk & 0x8080_8080_8080_8080
      if zeros != 0 {
        let kept = UInt64(zeros.trailingZeroBitCount / 8)
        // Bytes before the NUL form the last, zero-padded chunk; none when
        // the previous chunk was full.
        if kept > 0 { h = hashMix(h, chunk & ((1 << (kept * 8)) - 1)) }
        return hashFinish(h)
      }
      h = hashMix(h, chunk)
      i += 8
    }
  }

  /// The length of the NUL-terminated string at `start` (same bounds as
  /// `hashNulTerminated`), found 8 bytes a step with the same zero-byte test.
  @inline(__always)
  static func lengthNulTerminated(_ span: RawSpan, _ start: Int, _ end: Int) -> Int {
    var i = start
    while end - i >= 8 {
      let chunk = UInt64(littleEndian: span.unsafeLoadUnaligned(fromUncheckedByteOffset: i, as: UInt64.self))
      let zeros = (chunk &- 0x0101_0101_0101_0101) & ~chunk & 0x8080_8080_8080_8080
      if zeros != 0 { return i - start + zeros.trailingZeroBitCount / 8 }
      i += 8
    }
    while i < end && span.byteUnchecked(i) != 0 { i += 1 }
    return i - start
  }

  /// Whether `length` bytes at `start` may contain `___` (false means
  /// surely not), 8 bytes a step: most names have no flavor, and the exact
  /// `essentialLength` walks them byte by byte (measured: a fifth of the
  /// essential index's build). A filter: it may say yes wrongly, never no.
  @inline(__always)
  static func mayHaveFlavor(_ span: RawSpan, _ start: Int, _ length: Int) -> Bool {
    if length < 5 { return false }  // a flavor needs x___y
    var i = start
    let end = start + length
    var previous: UInt64 = 0  // underscore flags of the previous chunk
    while i < end {
      var chunk: UInt64
      let n = min(8, end - i)
      if n == 8 {
        chunk = UInt64(littleEndian: span.unsafeLoadUnaligned(fromUncheckedByteOffset: i, as: UInt64.self))
      } else {
        chunk = 0
        for k in 0 ..< n { chunk |= UInt64(span.byteUnchecked(i + k)) << (8 * UInt64(k)) }
      }
      // Top bit of each byte that is `_` (0x5F): the zero-byte test on the
      // chunk XOR underscores. Borrows can flag more bytes, never fewer.
      let x = chunk ^ 0x5F5F_5F5F_5F5F_5F5F
      var flags = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
      if n < 8 { flags &= (1 << (UInt64(n) * 8)) - 1 }  // bytes past the name
      // Three flagged bytes in a row, inside the chunk or across its start.
      let window = flags << 16 | previous >> 48
      if flags & (flags >> 8) & (flags >> 16) != 0 || window & (window >> 8) & (window >> 16) != 0 {
        return true
      }
      previous = flags
      i += n
    }
    return false
  }
}
