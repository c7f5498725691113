import UAPI

/// Views over a record's trailer list, read from the buffer on access.
extension BTF {
  /// A STRUCT/UNION member.
  ///
  /// Kernel: `struct btf_member`; with kind_flag the offset word holds the
  /// bitfield size in bits 24-31 and the bit offset in bits 0-23.
  public struct Member: Sendable, BitwiseCopyable, Equatable {
    /// The member's name (anonymous for an embedded anonymous struct or union).
    public var name: Name
    /// The member's type (for a bitfield, the integer it is cut from).
    public var type: TypeID
    /// Offset from the start of the struct, in bits.
    public var bitOffset: UInt32
    /// Bitfield width in bits, 0 when the member is not a bitfield (or the
    /// struct has no kind_flag, where the width is the INT's bit count).
    public var bitfieldSize: UInt8
    /// Offset in whole bytes (rounded down for bitfields).
    public var byteOffset: Int { Int(bitOffset / 8) }
    /// Whether the record gives the member a bitfield width (kind_flag set).
    public var isBitfield: Bool { bitfieldSize != 0 }
  }

  /// An ENUM/ENUM64 value. Kernel: `struct btf_enum` / `struct btf_enum64`.
  public struct Enumerator: Sendable, BitwiseCopyable, Equatable {
    /// The enumerator's name.
    public var name: Name
    /// The 64 value bits (ENUM values sign-extended when the enum is signed).
    public var bits: UInt64
    /// Whether the enum's values are signed (its kind_flag).
    public var isSigned: Bool
    /// The value as a signed number (meaningful when `isSigned`).
    public var value: Int64 { Int64(bitPattern: bits) }
    /// The value as an unsigned number (meaningful when not `isSigned`).
    public var unsignedValue: UInt64 { bits }
  }

  /// A FUNC_PROTO parameter; the last one may be `name 0, type 0`: `...`.
  /// Kernel: `struct btf_param`.
  public struct Parameter: Sendable, BitwiseCopyable, Equatable {
    /// The parameter's name (anonymous in prototypes without names).
    public var name: Name
    /// The parameter's type.
    public var type: TypeID
    /// Whether this is the `...` of a variadic function.
    public var isVariadic: Bool { name.isAnonymous && type.isVoid }
  }

  /// A DATASEC entry. Kernel: `struct btf_var_secinfo`.
  public struct SectionVariable: Sendable, BitwiseCopyable, Equatable {
    /// A VAR, or a FUNC for extern functions in `.ksyms`.
    public var type: TypeID
    /// The variable's offset in the section, in bytes (0 in objects before
    /// the loader fills it in from the symbol table).
    public var offset: UInt32
    /// The variable's size in bytes.
    public var size: UInt32
  }

  /// A fixed-stride list inside one record; elements decode on access.
  public struct RecordList<Element>: RandomAccessCollection, Sendable {
    let storage: Storage
    let start: Int
    let stride: Int
    public let count: Int
    let context: DecodeContext
    let decodeElement: @Sendable (RawSpan, Int, DecodeContext) -> Element

    public typealias Indices = Range<Int>
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public var indices: Range<Int> { 0 ..< count }
    @inline(__always) public func index(after i: Int) -> Int { i + 1 }
    @inline(__always) public func index(before i: Int) -> Int { i - 1 }

    public subscript(position: Int) -> Element {
      precondition(position >= 0 && position < count, "index out of range")
      let offset = start + position * stride
      return storage.withSpan { decodeElement($0, offset, context) }
    }
  }

  struct DecodeContext: Sendable {
    var order: ByteOrder
    var flag: Bool
  }

  /// The members of a struct or union, from `members(of:)`.
  public typealias Members = RecordList<Member>
  /// The values of an enum, from `enumerators(of:)`.
  public typealias Enumerators = RecordList<Enumerator>
  /// The parameters of a function prototype, from `parameters(of:)`.
  public typealias Parameters = RecordList<Parameter>
  /// The variables of a data section, from `variables(of:)`.
  public typealias SectionVariables = RecordList<SectionVariable>

  /// Members of a STRUCT or UNION.
  public func members(of id: TypeID) throws(BTFError) -> Members {
    try list(id, kinds: [4, 5], expected: "STRUCT or UNION", stride: 12) { span, at, c in
      let raw = span.u32Unchecked(at + 8, c.order)
      return Member(
        name: Name(offset: span.u32Unchecked(at, c.order)),
        type: TypeID(span.u32Unchecked(at + 4, c.order)),
        bitOffset: c.flag ? raw & 0xFF_FFFF : raw,
        bitfieldSize: c.flag ? UInt8(truncatingIfNeeded: raw >> 24) : 0)
    }
  }

  /// Values of an ENUM or ENUM64.
  public func enumerators(of id: TypeID) throws(BTFError) -> Enumerators {
    let kind = try kind(of: id)
    if kind == .enum64 {
      return try list(id, kinds: [19], expected: "ENUM or ENUM64", stride: 12) { span, at, c in
        let low = UInt64(span.u32Unchecked(at + 4, c.order)), high = UInt64(span.u32Unchecked(at + 8, c.order))
        return Enumerator(name: Name(offset: span.u32Unchecked(at, c.order)),
                          bits: high << 32 | low, isSigned: c.flag)
      }
    }
    return try list(id, kinds: [6], expected: "ENUM or ENUM64", stride: 8) { span, at, c in
      let raw = span.u32Unchecked(at + 4, c.order)
      let bits = c.flag ? UInt64(bitPattern: Int64(Int32(bitPattern: raw))) : UInt64(raw)
      return Enumerator(name: Name(offset: span.u32Unchecked(at, c.order)),
                        bits: bits, isSigned: c.flag)
    }
  }

  /// Parameters of a FUNC_PROTO (or of a FUNC's prototype).
  public func parameters(of id: TypeID) throws(BTFError) -> Parameters {
    var target = id
    if try kind(of: id) == .function { target = TypeID(try rawTypeField(id)) }
    return try list(target, kinds: [13], expected: "FUNC_PROTO", stride: 8) { span, at, c in
      Parameter(name: Name(offset: span.u32Unchecked(at, c.order)),
                type: TypeID(span.u32Unchecked(at + 4, c.order)))
    }
  }

  /// Variables of a DATASEC.
  public func variables(of id: TypeID) throws(BTFError) -> SectionVariables {
    try list(id, kinds: [15], expected: "DATASEC", stride: 12) { span, at, c in
      SectionVariable(type: TypeID(span.u32Unchecked(at, c.order)),
                      offset: span.u32Unchecked(at + 4, c.order),
                      size: span.u32Unchecked(at + 8, c.order))
    }
  }

  func list<E>(
    _ id: TypeID, kinds: [UInt8], expected: String, stride: Int,
    _ decode: @escaping @Sendable (RawSpan, Int, DecodeContext) -> E
  ) throws(BTFError) -> RecordList<E> {
    if id.rawValue != 0 && id.rawValue < firstLocalID.rawValue {
      guard let base else { throw .noSuchType(id.rawValue) }
      return try base.list(id, kinds: kinds, expected: expected, stride: stride, decode)
    }
    let info = try infoWord(id)
    let kind = BTF.kindNumber(info)
    guard kinds.contains(kind), let offset = recordOffset(id) else {
      throw .wrongKind(typeID: id.rawValue, expected: expected,
                       found: Kind(rawValue: kind)?.kernelName ?? "kind \(kind)")
    }
    return RecordList(
      storage: storage, start: offset + BTF.recordHeaderSize, stride: stride, count: Int(info & 0xFFFF),
      context: DecodeContext(order: byteOrder, flag: info >> 31 != 0),
      decodeElement: decode)
  }
}
