import UAPI

/// Decoding one record into a `Descriptor` on demand.
extension BTF {
  /// The decoded type with this id.
  ///
  /// Throws `noSuchType` for ids past `typeCount`; id 0 is `.void`.
  public subscript(id: TypeID) -> Descriptor {
    get throws(BTFError) {
      if id.rawValue == 0 { return .void }
      if id.rawValue < firstLocalID.rawValue {
        guard let base else { throw .noSuchType(id.rawValue) }
        return try base[id]
      }
      guard let offset = recordOffset(id) else { throw .noSuchType(id.rawValue) }
      let order = byteOrder
      return storage.withSpan { span in BTF.decode(span, offset, id, order) }
    }
  }

  /// The kind of a type, without decoding it.
  public func kind(of id: TypeID) throws(BTFError) -> Kind {
    if id.rawValue == 0 { return .void }
    if id.rawValue < firstLocalID.rawValue {
      guard let base else { throw .noSuchType(id.rawValue) }
      return try base.kind(of: id)
    }
    let index = Int(id.rawValue - firstLocalID.rawValue)
    guard index < kinds.count else { throw .noSuchType(id.rawValue) }
    return kinds[index]
  }

  /// The name of a type, without decoding it.
  public func name(of id: TypeID) throws(BTFError) -> Name {
    if id.rawValue == 0 { return .anonymous }
    if id.rawValue < firstLocalID.rawValue {
      guard let base else { throw .noSuchType(id.rawValue) }
      return try base.name(of: id)
    }
    guard let offset = recordOffset(id) else { throw .noSuchType(id.rawValue) }
    let order = byteOrder
    return Name(offset: storage.withSpan { $0.u32Unchecked(offset, order) })
  }

  /// The record's `info` word (0 for void).
  func infoWord(_ id: TypeID) throws(BTFError) -> UInt32 {
    if id.rawValue == 0 { return 0 }
    if id.rawValue < firstLocalID.rawValue {
      guard let base else { throw .noSuchType(id.rawValue) }
      return try base.infoWord(id)
    }
    guard let offset = recordOffset(id) else { throw .noSuchType(id.rawValue) }
    let order = byteOrder
    return storage.withSpan { $0.u32Unchecked(offset + 4, order) }
  }

  /// The record's vlen (members, enumerators, parameters, variables).
  func vlen(of id: TypeID) throws(BTFError) -> Int { Int(try infoWord(id) & 0xFFFF) }

  /// The record's size/type word.
  func rawTypeField(_ id: TypeID) throws(BTFError) -> UInt32 {
    if id.rawValue == 0 { return 0 }
    if id.rawValue < firstLocalID.rawValue {
      guard let base else { throw .noSuchType(id.rawValue) }
      return try base.rawTypeField(id)
    }
    guard let offset = recordOffset(id) else { throw .noSuchType(id.rawValue) }
    let order = byteOrder
    return storage.withSpan { $0.u32Unchecked(offset + 8, order) }
  }

  /// Decodes a validated record (the index guarantees it fits).
  static func decode(_ span: RawSpan, _ offset: Int, _ id: TypeID, _ order: ByteOrder)
    -> Descriptor
  {
    let name = Name(offset: span.u32Unchecked(offset, order))
    let info = span.u32Unchecked(offset + 4, order)
    let field = span.u32Unchecked(offset + 8, order)
    let kind = kindNumber(info)
    let vlen = UInt16(truncatingIfNeeded: info)
    let flag = info >> 31 != 0
    let trailer = offset + recordHeaderSize
    switch kind {
    case 1:
      let data = span.u32Unchecked(trailer, order)
      return .integer(Integer(
        name: name, size: field, encoding: .init(rawValue: UInt8(truncatingIfNeeded: (data >> 24) & 0x0F)),
        bitOffset: UInt8(truncatingIfNeeded: data >> 16), bitCount: UInt8(truncatingIfNeeded: data)))
    case 2: return .pointer(to: TypeID(field))
    case 3:
      return .array(ArrayType(
        element: TypeID(span.u32Unchecked(trailer, order)),
        index: TypeID(span.u32Unchecked(trailer + 4, order)),
        count: span.u32Unchecked(trailer + 8, order)))
    case 4: return .struct(Composite(id: id, name: name, size: field, hasBitfieldOffsets: flag, vlen: vlen))
    case 5: return .union(Composite(id: id, name: name, size: field, hasBitfieldOffsets: flag, vlen: vlen))
    case 6: return .enum(Enumeration(id: id, name: name, size: field, isSigned: flag, vlen: vlen))
    case 7: return .forward(Forward(name: name, isUnion: flag))
    case 8: return .typedef(Typedef(name: name, type: TypeID(field)))
    case 9: return .volatile(TypeID(field))
    case 10: return .const(TypeID(field))
    case 11: return .restrict(TypeID(field))
    case 12:
      return .function(Function(name: name, prototype: TypeID(field),
                                linkage: Linkage(rawValue: UInt32(vlen)) ?? .static))
    case 13: return .functionPrototype(Prototype(id: id, returnType: TypeID(field), vlen: vlen))
    case 14:
      return .variable(Variable(name: name, type: TypeID(field),
                                linkage: Linkage(rawValue: span.u32Unchecked(trailer, order)) ?? .static))
    case 15: return .dataSection(DataSection(id: id, name: name, size: field, vlen: vlen))
    case 16: return .float(FloatingPoint(name: name, size: field))
    case 17:
      return .declarationTag(DeclarationTag(
        name: name, type: TypeID(field),
        componentIndex: Int32(bitPattern: span.u32Unchecked(trailer, order)), isAttribute: flag))
    case 18: return .typeTag(TypeTag(name: name, type: TypeID(field), isAttribute: flag))
    case 19: return .enum64(Enumeration(id: id, name: name, size: field, isSigned: flag, vlen: vlen))
    default:
      // The index let it through only with a layout entry for its kind.
      return .unknown(UnknownType(name: name, kindNumber: kind, vlen: Int(info & 0xFF_FFFF),
                                  sizeOrType: field, kindFlag: flag))
    }
  }
}
