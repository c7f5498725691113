import UAPI

/// Reading `.BTF.ext`: header, then the three record lists.
extension BTF {
  static let extensionMinimumHeader = 24
  static let extensionHeaderWithCORE = 32
  static let functionInfoSize = 8
  static let lineInfoSize = 16
  static let coreRelocationSize = 16

  static func parseExtension(_ span: RawSpan, btf: BTF) throws(BTFError) -> Extension {
    try span.require(0, 8)
    let order: ByteOrder
    switch (span.byteUnchecked(0), span.byteUnchecked(1)) {
    case (0x9F, 0xEB): order = .little
    case (0xEB, 0x9F): order = .big
    case let (a, b): throw .badMagic(offset: 0, found: UInt16(a) | UInt16(b) << 8)
    }
    guard span.byteUnchecked(2) == 1 else { throw .unsupportedVersion(span.byteUnchecked(2)) }
    let headerLength = Int(try span.u32(at: 4, order))
    guard headerLength >= extensionMinimumHeader else {
      throw .badExtension(section: "header", offset: 4, reason: "hdr_len \(headerLength) below \(extensionMinimumHeader)")
    }
    guard headerLength <= span.byteCount else { throw .truncated(offset: 0, needed: headerLength) }
    var result = Extension(byteOrder: order)
    var strings = StringCache()

    let funcOff = Int(try span.u32(at: 8, order)), funcLen = Int(try span.u32(at: 12, order))
    result.functionInfoRecordSize = try readPart(
      span, order, "func_info", headerLength, funcOff, funcLen, minimum: functionInfoSize, btf: btf,
      strings: &strings, into: &result.functionInfo
    ) { (span, at, order, btf, strings) throws(BTFError) in
      let type = span.u32Unchecked(at + 4, order)
      guard type < UInt32(btf.typeCount) else {
        throw .badExtension(section: "func_info", offset: at, reason: "type id \(type) does not exist")
      }
      return FunctionInfo(instructionOffset: span.u32Unchecked(at, order), type: TypeID(type))
    }

    let lineOff = Int(try span.u32(at: 16, order)), lineLen = Int(try span.u32(at: 20, order))
    result.lineInfoRecordSize = try readPart(
      span, order, "line_info", headerLength, lineOff, lineLen, minimum: lineInfoSize, btf: btf,
      strings: &strings, into: &result.lineInfo
    ) { (span, at, order, btf, strings) throws(BTFError) in
      let file = Name(offset: span.u32Unchecked(at + 4, order))
      let source = Name(offset: span.u32Unchecked(at + 8, order))
      let lineCol = span.u32Unchecked(at + 12, order)
      return LineInfo(
        instructionOffset: span.u32Unchecked(at, order), fileNameOffset: file, sourceOffset: source,
        file: try strings.string(file, btf, "line_info", at + 4),
        source: try strings.string(source, btf, "line_info", at + 8),
        line: lineCol >> 10, column: lineCol & 0x3FF)
    }

    if headerLength >= extensionHeaderWithCORE {
      let coreOff = Int(try span.u32(at: 24, order)), coreLen = Int(try span.u32(at: 28, order))
      result.coreRelocationRecordSize = try readPart(
        span, order, "core_relo", headerLength, coreOff, coreLen, minimum: coreRelocationSize, btf: btf,
        strings: &strings, into: &result.coreRelocations
      ) { (span, at, order, btf, strings) throws(BTFError) in
        let type = span.u32Unchecked(at + 4, order)
        guard type < UInt32(btf.typeCount) else {
          throw .badExtension(section: "core_relo", offset: at, reason: "type id \(type) does not exist")
        }
        let access = Name(offset: span.u32Unchecked(at + 8, order))
        return CORERelocation(
          instructionOffset: span.u32Unchecked(at, order), type: TypeID(type), accessStringOffset: access,
          accessString: try strings.string(access, btf, "core_relo", at + 8),
          kind: .init(rawValue: span.u32Unchecked(at + 12, order)))
      }
    }
    return result
  }

  /// Resolves string offsets once each (file names repeat in every record).
  struct StringCache {
    var known = [UInt32: String]()
    mutating func string(_ name: Name, _ btf: BTF, _ part: String, _ at: Int) throws(BTFError) -> String {
      if let cached = known[name.offset] { return cached }
      guard btf.isValid(name) else {
        throw .badExtension(section: part, offset: at, reason: "string offset \(name.offset) past the string table")
      }
      let text = try btf.string(of: name)
      known[name.offset] = text
      return text
    }
  }

  /// One part: `u32 rec_size` then `{sec_name_off, num_info, records}` blocks.
  /// Returns the record size (0 when the part is empty).
  static func readPart<R: Sendable>(
    _ span: RawSpan, _ order: ByteOrder, _ part: String, _ headerLength: Int, _ offset: Int, _ length: Int,
    minimum: Int, btf: BTF, strings: inout StringCache, into sections: inout [InfoSection<R>],
    _ record: (RawSpan, Int, ByteOrder, BTF, inout StringCache) throws(BTFError) -> R
  ) throws(BTFError) -> Int {
    if length == 0 { return 0 }
    let start = headerLength + offset
    guard offset <= span.byteCount, length <= span.byteCount - headerLength - min(offset, span.byteCount),
          start + length <= span.byteCount
    else {
      throw .badExtension(section: part, offset: start, reason: "[\(offset), +\(length)) runs past the section end")
    }
    guard length >= 4 else { throw .truncated(offset: start, needed: 4) }
    let recordSize = Int(span.u32Unchecked(start, order))
    guard recordSize >= minimum else {
      throw .recordSizeTooSmall(section: part, offset: start, recordSize: UInt32(recordSize), minimum: minimum)
    }
    guard recordSize % 4 == 0 else {
      throw .badExtension(section: part, offset: start, reason: "record size \(recordSize) not a multiple of 4")
    }
    let end = start + length
    var position = start + 4
    while position < end {
      guard end - position >= 8 else { throw .truncated(offset: position, needed: 8) }
      let nameOffset = Name(offset: span.u32Unchecked(position, order))
      let count = Int(span.u32Unchecked(position + 4, order))
      guard count > 0 else {
        throw .badExtension(section: part, offset: position + 4, reason: "section with no records")
      }
      let name = try strings.string(nameOffset, btf, part, position)
      position += 8
      guard count <= (end - position) / recordSize else {
        throw .badExtension(section: part, offset: position - 4,
                            reason: "\(count) records of \(recordSize) bytes run past the end")
      }
      var records = [R]()
      records.reserveCapacity(count)
      for _ in 0 ..< count {
        records.append(try record(span, position, order, btf, &strings))
        position += recordSize
      }
      sections.append(InfoSection(name: name, nameOffset: nameOffset, records: records))
    }
    return recordSize
  }
}
