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
    switch order {
    case .little: return UInt16(littleEndian: v)
    case .big: return UInt16(bigEndian: v)
    }
  }

  @inline(__always)
  func u8(at offset: Int) throws(BTFError) -> UInt8 {
    try require(offset, 1)
    return unsafeLoad(fromUncheckedByteOffset: offset, as: UInt8.self)
  }

  /// A load after `require` covered it.
  @inline(__always)
  func u32Unchecked(_ offset: Int, _ order: ByteOrder) -> UInt32 {
    // A switch, not `==`: ByteOrder's `==` lives in UAPI and is not inlined.
    let v = unsafeLoadUnaligned(fromUncheckedByteOffset: offset, as: UInt32.self)
    switch order {
    case .little: return UInt32(littleEndian: v)
    case .big: return UInt32(bigEndian: v)
    }
  }

  @inline(__always)
  func byteUnchecked(_ offset: Int) -> UInt8 {
    unsafeLoad(fromUncheckedByteOffset: offset, as: UInt8.self)
  }
}

/// Unchecked loads for the hot loops over records whose bounds the index
/// already proved (validation, name indexes). RawSpan's loads did not inline
/// there (measured: 20% of parse time in call overhead), raw pointer loads do.
struct Words {
  let base: UnsafeRawPointer
  let swap: Bool

  @inline(__always)
  func u32(_ offset: Int) -> UInt32 {
    let v = base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    return swap ? v.byteSwapped : v
  }

  @inline(__always)
  func byte(_ offset: Int) -> UInt8 {
    base.load(fromByteOffset: offset, as: UInt8.self)
  }
}

extension BTF.Storage {
  /// Calls `body` with unchecked loads over all the bytes, in `order`.
  /// Only for offsets a parse already checked.
  func withWords<R, E: Error>(_ order: ByteOrder, _ body: (Words) throws(E) -> R) throws(E) -> R {
    let swap: Bool
    switch (order, ByteOrder.host) {
    case (.little, .little), (.big, .big): swap = false
    default: swap = true
    }
    return try withSpan { (span) throws(E) -> R in
      try span.withUnsafeBytes { (buffer) throws(E) -> R in
        // A parsed blob is at least a 24-byte header, so the base exists;
        // the fallback only keeps this total.
        let base = buffer.baseAddress ?? UnsafeRawPointer(Words.empty)
        return try body(Words(base: base, swap: swap))
      }
    }
  }
}

extension Words {
  /// 64 zero bytes for the (never used) case of an empty buffer without a
  /// base address. `nonisolated(unsafe)`: written once here, only read.
  nonisolated(unsafe) static let empty: UnsafeMutableRawPointer = {
    let memory = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
    memory.initializeMemory(as: UInt8.self, repeating: 0, count: 64)
    return memory
  }()
}
