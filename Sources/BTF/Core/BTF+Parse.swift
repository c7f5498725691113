import UAPI

/// Reading the header and indexing the type records.
///
/// Kernel: `struct btf_header` (24 bytes: magic `0xeB9F`, version 1, flags,
/// hdr_len, type_off, type_len, str_off, str_len; offsets count from the end
/// of the header) and `struct btf_type` (name_off, info, size/type).
extension BTF {
  static var magic: UInt16 { 0xEB9F }
  static var minimumHeaderLength: Int { 24 }
  static var recordHeaderSize: Int { 12 }

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
    // A newer, longer header is fine only if its unknown fields are zero.
    for i in minimumHeaderLength ..< headerLength where span.byteUnchecked(i) != 0 {
      throw .badHeader(field: "hdr_len", offset: i, reason: "unknown non-zero header byte")
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
      stringStart: stringStart, stringLength: strLen)
    return (order, layout)
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
  static func indexTypes(_ span: RawSpan, _ order: ByteOrder, _ layout: Layout, firstID: UInt32)
    throws(BTFError) -> (offsets: [UInt32], kinds: [Kind])
  {
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
      let kind = UInt8(truncatingIfNeeded: (info >> 24) & 0x1F)
      let vlen = Int(info & 0xFFFF)
      guard let trailer = trailerSize(kind: kind, vlen: vlen), let known = Kind(rawValue: kind) else {
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
