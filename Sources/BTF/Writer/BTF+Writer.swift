import UAPI

/// Serializing BTF: every record re-encoded from its decoded form.
extension BTF {
  /// Appends words in one byte order; the building block of the writer and
  /// the sanitizer.
  struct WordWriter {
    let order: ByteOrder
    var bytes: [UInt8] = []

    @inline(__always)
    mutating func word(_ value: UInt32) {
      let v: UInt32
      switch order {
      case .little: v = value.littleEndian
      case .big: v = value.bigEndian
      }
      withUnsafeBytes(of: v) { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func record(name: UInt32, kind: Kind, vlen: Int = 0, flag: Bool = false, sizeOrType: UInt32) {
      word(name)
      word((flag ? 1 << 31 : 0) | UInt32(kind.rawValue) << 24 | UInt32(truncatingIfNeeded: vlen) & 0xFFFF)
      word(sizeOrType)
    }
  }

  /// This BTF as bytes: a 24-byte header, the types, then the strings (for
  /// split BTF only this blob's own types and strings; the base is not
  /// repeated). Parsing the result gives the same types; for a blob already
  /// laid out this way (as clang, pahole and the kernel write it) the bytes
  /// are identical.
  ///
  /// - Parameter byteOrder: the order to write (default: the blob's own).
  public func encoded(byteOrder: ByteOrder? = nil) throws(BTFError) -> [UInt8] {
    let types = try encodedTypes(byteOrder: byteOrder ?? self.byteOrder)
    let strings = storage.copyBytes(layout.stringStart ..< layout.stringStart + layout.stringLength)
    return try BTF.assemble(types: types, strings: strings, order: byteOrder ?? self.byteOrder, flags: flags)
  }

  /// Header + sections.
  static func assemble(types: [UInt8], strings: [UInt8], order: ByteOrder, flags: UInt8 = 0) throws(BTFError) -> [UInt8] {
    guard types.count <= Int(UInt32.max), strings.count <= Int(UInt32.max) else {
      throw .cannotEncode(reason: "sections larger than 4 GiB")
    }
    var header = WordWriter(order: order)
    header.bytes = order == .little ? [0x9F, 0xEB, 1, flags] : [0xEB, 0x9F, 1, flags]
    header.word(UInt32(minimumHeaderLength))
    header.word(0)
    header.word(UInt32(types.count))
    header.word(UInt32(types.count))
    header.word(UInt32(strings.count))
    var out = header.bytes
    out.reserveCapacity(out.count + types.count + strings.count)
    out.append(contentsOf: types)
    out.append(contentsOf: strings)
    return out
  }

  /// The type section, record by record from descriptors and views.
  func encodedTypes(byteOrder order: ByteOrder) throws(BTFError) -> [UInt8] {
    var w = WordWriter(order: order)
    w.bytes.reserveCapacity(layout.typeLength)
    for raw in localTypeIDs {
      try encode(TypeID(raw), into: &w)
    }
    return w.bytes
  }

  func encode(_ id: TypeID, into w: inout WordWriter) throws(BTFError) {
    let descriptor = try self[id]
    let name = descriptor.name.offset
    switch descriptor {
    case .void:
      throw .cannotEncode(reason: "void is implicit")
    case .unknown(let t):
      throw .cannotEncode(reason: "type [\(id.rawValue)] has kind \(t.kindNumber), which this writer does not know")
    case .integer(let t):
      w.record(name: name, kind: .integer, sizeOrType: t.size)
      w.word(UInt32(t.encoding.rawValue) << 24 | UInt32(t.bitOffset) << 16 | UInt32(t.bitCount))
    case .pointer(let target):
      w.record(name: name, kind: .pointer, sizeOrType: target.rawValue)
    case .array(let a):
      w.record(name: name, kind: .array, sizeOrType: 0)
      w.word(a.element.rawValue)
      w.word(a.index.rawValue)
      w.word(a.count)
    case .struct(let t), .union(let t):
      w.record(name: name, kind: descriptor.kind, vlen: t.memberCount, flag: t.hasBitfieldOffsets, sizeOrType: t.size)
      for m in try members(of: id) {
        w.word(m.name.offset)
        w.word(m.type.rawValue)
        w.word(t.hasBitfieldOffsets ? UInt32(m.bitfieldSize) << 24 | m.bitOffset : m.bitOffset)
      }
    case .enum(let t):
      w.record(name: name, kind: .enum, vlen: t.count, flag: t.isSigned, sizeOrType: t.size)
      for e in try enumerators(of: id) {
        w.word(e.name.offset)
        w.word(UInt32(truncatingIfNeeded: e.bits))
      }
    case .enum64(let t):
      w.record(name: name, kind: .enum64, vlen: t.count, flag: t.isSigned, sizeOrType: t.size)
      for e in try enumerators(of: id) {
        w.word(e.name.offset)
        w.word(UInt32(truncatingIfNeeded: e.bits))
        w.word(UInt32(truncatingIfNeeded: e.bits >> 32))
      }
    case .forward(let t):
      w.record(name: name, kind: .forward, flag: t.isUnion, sizeOrType: try rawTypeField(id))
    case .typedef(let t):
      w.record(name: name, kind: .typedef, sizeOrType: t.type.rawValue)
    case .volatile(let t):
      w.record(name: name, kind: .volatile, sizeOrType: t.rawValue)
    case .const(let t):
      w.record(name: name, kind: .const, sizeOrType: t.rawValue)
    case .restrict(let t):
      w.record(name: name, kind: .restrict, sizeOrType: t.rawValue)
    case .function(let f):
      w.record(name: name, kind: .function, vlen: Int(f.linkage.rawValue), sizeOrType: f.prototype.rawValue)
    case .functionPrototype(let p):
      w.record(name: name, kind: .functionPrototype, vlen: p.parameterCount, sizeOrType: p.returnType.rawValue)
      for parameter in try parameters(of: id) {
        w.word(parameter.name.offset)
        w.word(parameter.type.rawValue)
      }
    case .variable(let v):
      w.record(name: name, kind: .variable, sizeOrType: v.type.rawValue)
      w.word(v.linkage.rawValue)
    case .dataSection(let d):
      w.record(name: name, kind: .dataSection, vlen: d.count, sizeOrType: d.size)
      for v in try variables(of: id) {
        w.word(v.type.rawValue)
        w.word(v.offset)
        w.word(v.size)
      }
    case .float(let f):
      w.record(name: name, kind: .float, sizeOrType: f.size)
    case .declarationTag(let t):
      w.record(name: name, kind: .declarationTag, flag: t.isAttribute, sizeOrType: t.type.rawValue)
      w.word(UInt32(bitPattern: t.componentIndex))
    case .typeTag(let t):
      w.record(name: name, kind: .typeTag, flag: t.isAttribute, sizeOrType: t.type.rawValue)
    }
  }
}
