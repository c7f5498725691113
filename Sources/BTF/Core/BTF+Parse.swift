import UAPI

/// Reading the header and indexing the type records.
///
/// Kernel: `struct btf_header` (24 bytes: magic `0xeB9F`, version 1, flags,
/// hdr_len, type_off, type_len, str_off, str_len; offsets count from the end
/// of the header) and `struct btf_type` (name_off, info, size/type). Newer
/// writers (pahole, libbpf since 2026) add `layout_off`/`layout_len` (a
/// 32-byte header) and a layout section between types and strings:
/// `struct btf_layout { u8 info_sz; u8 elem_sz; u16 flags; }` per kind
/// number, so a reader can step over kinds it does not know.
extension BTF {
  static var magic: UInt16 { 0xEB9F }
  static var minimumHeaderLength: Int { 24 }
  /// The header with `layout_off` and `layout_len`.
  static var layoutHeaderLength: Int { 32 }
  static var recordHeaderSize: Int { 12 }

  /// The kind number of an `info` word: bits 24-30. Kinds this parser knows
  /// fit in 5 bits; the UAPI widened the field to 7 for new kinds.
  @inline(__always)
  static func kindNumber(_ info: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: (info >> 24) & 0x7F) }

  static func parseHeader(_ span: RawSpan, hasBase: Bool) throws(BTFError) -> (ByteOrder, Layout) {
    try span.require(0, 4)
    let first = span.byteUnchecked(0), second = span.byteUnchecked(1)
    let order: ByteOrder
    if first == 0x9F && second == 0xEB {
      order = .little
    } else if first == 0xEB && second == 0x9F {
      order = .big
    } else {
      throw .badMagic(offset: 0, found: UInt16(first) | UInt16(second) << 8)
    }
    let version = span.byteUnchecked(2)
    guard version == 1 else { throw .unsupportedVersion(version) }
    let flags = span.byteUnchecked(3)
    let headerLength = Int(try span.u32(at: 4, order))
    guard headerLength >= minimumHeaderLength else {
      throw .badHeader(field: "hdr_len", offset: 4, reason: "\(headerLength) is below \(minimumHeaderLength)")
    }
    guard headerLength <= span.byteCount else {
      throw .truncated(offset: 0, needed: headerLength)
    }
    // Past the fields known here (the layout's, when the header is long
    // enough to hold them), a longer header is accepted only if the rest is
    // zero: the kernel's rule, since unknown non-zero fields could change
    // what the sections mean.
    let known = headerLength >= layoutHeaderLength ? layoutHeaderLength : minimumHeaderLength
    for i in known ..< headerLength where span.byteUnchecked(i) != 0 {
      throw .badHeader(field: "hdr_len", offset: i,
                       reason: "unknown non-zero header byte (a header field newer than this parser)")
    }
    let typeOff = Int(try span.u32(at: 8, order)), typeLen = Int(try span.u32(at: 12, order))
    let strOff = Int(try span.u32(at: 16, order)), strLen = Int(try span.u32(at: 20, order))
    let dataLength = span.byteCount - headerLength
    guard typeOff % 4 == 0 else {
      throw .badHeader(field: "type_off", offset: 8, reason: "\(typeOff) is not 4-byte aligned")
    }
    guard typeLen % 4 == 0 else {
      throw .badHeader(field: "type_len", offset: 12, reason: "\(typeLen) is not a multiple of 4")
    }
    guard typeOff <= dataLength, typeLen <= dataLength - typeOff else {
      throw .badHeader(field: "type_len", offset: 12,
                       reason: "types [\(typeOff), +\(typeLen)) run past the \(dataLength) data bytes")
    }
    guard strOff <= dataLength, strLen <= dataLength - strOff else {
      throw .badHeader(field: "str_len", offset: 20,
                       reason: "strings [\(strOff), +\(strLen)) run past the \(dataLength) data bytes")
    }
    guard typeOff + typeLen <= strOff || strOff + strLen <= typeOff || typeLen == 0 || strLen == 0 else {
      throw .badHeader(field: "str_off", offset: 16, reason: "type and string sections overlap")
    }
    guard strLen <= 0x7FFF_FFFF else {
      throw .badHeader(field: "str_len", offset: 20, reason: "string table too large")
    }
    let stringStart = headerLength + strOff
    var kindLayouts = [KindLayout]()
    if headerLength >= layoutHeaderLength {
      kindLayouts = try parseKindLayouts(
        span, order, headerLength: headerLength, dataLength: dataLength,
        types: typeOff ..< typeOff + typeLen, strings: strOff ..< strOff + strLen)
    }
    if strLen == 0 {
      if !hasBase {
        throw .badStringTable(offset: stringStart, reason: "empty (must hold at least the empty string)")
      }
    } else {
      if !hasBase && span.byteUnchecked(stringStart) != 0 {
        throw .badStringTable(offset: stringStart, reason: "does not start with the empty string")
      }
      if span.byteUnchecked(stringStart + strLen - 1) != 0 {
        throw .badStringTable(offset: stringStart + strLen - 1, reason: "last string is not NUL-terminated")
      }
    }
    let layout = Layout(
      version: version, flags: flags, headerLength: headerLength,
      typeStart: headerLength + typeOff, typeLength: typeLen,
      stringStart: stringStart, stringLength: strLen, kindLayouts: kindLayouts)
    return (order, layout)
  }

  /// The layout section: one `{info_sz, elem_sz, flags}` entry per kind
  /// number from 0. Like libbpf: its length is a multiple of 4, it starts
  /// 4-aligned after the types and ends before the strings; a length of 0
  /// means there is none (its offset is then not looked at).
  static func parseKindLayouts(
    _ span: RawSpan, _ order: ByteOrder, headerLength: Int, dataLength: Int, types: Range<Int>, strings: Range<Int>
  ) throws(BTFError) -> [KindLayout] {
    let layoutOff = Int(try span.u32(at: 24, order)), layoutLen = Int(try span.u32(at: 28, order))
    if layoutLen == 0 { return [] }
    guard layoutOff % 4 == 0 else {
      throw .badHeader(field: "layout_off", offset: 24, reason: "\(layoutOff) is not 4-byte aligned")
    }
    guard layoutLen % 4 == 0 else {
      throw .badHeader(field: "layout_len", offset: 28, reason: "\(layoutLen) is not a multiple of 4 (one entry is 4 bytes)")
    }
    guard layoutOff <= dataLength, layoutLen <= dataLength - layoutOff else {
      throw .badHeader(field: "layout_len", offset: 28,
                       reason: "layout [\(layoutOff), +\(layoutLen)) runs past the \(dataLength) data bytes")
    }
    guard layoutOff >= types.upperBound, layoutOff + layoutLen <= strings.lowerBound else {
      throw .badHeader(field: "layout_off", offset: 24,
                       reason: "layout [\(layoutOff), +\(layoutLen)) is not between the types (end \(types.upperBound)) and the strings (start \(strings.lowerBound))")
    }
    let start = headerLength + layoutOff
    return (0 ..< layoutLen / 4).map { i in
      let at = start + 4 * i
      // Two bytes, then a 16-bit field in the blob's order.
      let flags = order == .little
        ? UInt16(span.byteUnchecked(at + 2)) | UInt16(span.byteUnchecked(at + 3)) << 8
        : UInt16(span.byteUnchecked(at + 2)) << 8 | UInt16(span.byteUnchecked(at + 3))
      return KindLayout(infoSize: span.byteUnchecked(at), elementSize: span.byteUnchecked(at + 1), flags: flags)
    }
  }

  /// Bytes after the record header of a kind this parser does not know, from
  /// the declared layout (libbpf's rule: both sizes multiples of 4); nil
  /// when there is no layout for it.
  static func unknownTrailerSize(kind: UInt8, vlen: Int, layouts: [KindLayout]) -> Int? {
    guard Int(kind) < layouts.count else { return nil }
    let entry = layouts[Int(kind)]
    guard entry.infoSize % 4 == 0, entry.elementSize % 4 == 0 else { return nil }
    return Int(entry.infoSize) + vlen * Int(entry.elementSize)
  }

  /// Bytes that follow the 12-byte record header for a kind and vlen.
  @inline(__always)
  static func trailerSize(kind: UInt8, vlen: Int) -> Int? {
    switch kind {
    case 1, 14, 17: return 4                  // INT, VAR, DECL_TAG
    case 2, 7, 8, 9, 10, 11, 12, 16, 18: return 0
    case 3: return 12                         // btf_array
    case 4, 5, 15, 19: return 12 * vlen       // btf_member, btf_var_secinfo, btf_enum64
    case 6, 13: return 8 * vlen               // btf_enum, btf_param
    default: return nil
    }
  }

  /// One pass over the type section: the offset of every record (the
  /// precise path's index; `SinglePass` builds the same while checking).
  static func indexTypes(
    _ span: RawSpan, _ order: ByteOrder, _ layout: Layout, firstID: UInt32, kindLayouts: [KindLayout] = []
  ) throws(BTFError) -> (offsets: [UInt32], kinds: [Kind]) {
    guard span.byteCount <= Int(UInt32.max) else {
      throw .badHeader(field: "type_len", offset: 12, reason: "blob larger than 4 GiB")
    }
    var offsets = [UInt32]()
    var kinds = [Kind]()
    // Records are at least 12 bytes; most vmlinux records have a trailer.
    offsets.reserveCapacity(layout.typeLength / 16 + 1)
    kinds.reserveCapacity(layout.typeLength / 16 + 1)
    var position = layout.typeStart
    let end = layout.typeStart + layout.typeLength
    var id = firstID
    while position < end {
      guard end - position >= recordHeaderSize else {
        throw .truncated(offset: position, needed: recordHeaderSize)
      }
      let info = span.u32Unchecked(position + 4, order)
      let kind = kindNumber(info)
      let vlen = Int(info & 0xFFFF)
      let trailer: Int, known: Kind
      if let size = trailerSize(kind: kind, vlen: vlen), let k = Kind(rawValue: kind) {
        (trailer, known) = (size, k)
      } else if kind != 0,
        // A kind from a newer writer: its size from the layout section,
        // with the UAPI's 24-bit vlen (new kinds are written that way).
        let size = unknownTrailerSize(kind: kind, vlen: Int(info & 0xFF_FFFF), layouts: kindLayouts)
      {
        (trailer, known) = (size, .unknown)
      } else {
        throw .unknownKind(typeID: id, offset: position, kind: kind)
      }
      guard end - position - recordHeaderSize >= trailer else {
        if vlen > 0 { throw .vlenPastEnd(typeID: id, offset: position, vlen: UInt16(vlen)) }
        throw .truncated(offset: position + recordHeaderSize, needed: trailer)
      }
      offsets.append(UInt32(position))
      kinds.append(known)
      position += recordHeaderSize + trailer
      guard id < UInt32.max else {
        throw .invalidType(typeID: id, offset: position, reason: "too many types")
      }
      id += 1
    }
    return (offsets, kinds)
  }
}
