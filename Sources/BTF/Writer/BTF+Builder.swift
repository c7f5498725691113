import UAPI

extension BTF {
  /// Builds BTF type by type, for programs that make types rather than read
  /// them (a loader describing a map, tests of CO-RE against small targets).
  ///
  /// Ids are handed out in order from 1 (or after the base's last id);
  /// strings are stored once each. `build()` parses the result, so anything
  /// the builder lets through that the format forbids (an id that never gets
  /// defined, a loop) is reported there.
  public struct Builder: Sendable {
    /// The byte order of the blob `bytes()` writes.
    public let byteOrder: ByteOrder
    let base: BTF?
    var types: WordWriter
    var strings: [UInt8]
    var interned: [String: UInt32] = [:]
    var nextID: UInt32
    let stringBase: UInt32

    /// A standalone BTF.
    public init(byteOrder: ByteOrder = .host) {
      self.byteOrder = byteOrder
      self.base = nil
      self.types = WordWriter(order: byteOrder)
      self.strings = [0]
      self.nextID = 1
      self.stringBase = 0
      interned[""] = 0
    }

    /// Split BTF on top of `base`: ids and string offsets continue after it.
    public init(base: BTF) {
      self.byteOrder = base.byteOrder
      self.base = base
      self.types = WordWriter(order: base.byteOrder)
      self.strings = [0]
      self.nextID = UInt32(base.typeCount)
      self.stringBase = base.totalStringLength
      interned[""] = 0
    }

    /// The id the next added type will get.
    public var nextTypeID: TypeID { TypeID(nextID) }

    /// Adds (or finds) a string; "" is the anonymous name.
    public mutating func name(_ text: String) -> Name {
      if let known = interned[text] { return Name(offset: known) }
      let offset = stringBase + UInt32(strings.count)
      strings.append(contentsOf: Array(text.utf8) + [0])
      interned[text] = offset
      return Name(offset: offset)
    }

    private mutating func record(_ name: String, _ kind: Kind, vlen: Int = 0, flag: Bool = false,
                                 _ sizeOrType: UInt32) -> TypeID {
      let nameOffset = self.name(name).offset
      types.record(name: nameOffset, kind: kind, vlen: vlen, flag: flag, sizeOrType: sizeOrType)
      defer { nextID &+= 1 }
      return TypeID(nextID)
    }

    /// Kernel: `BTF_KIND_INT`.
    public mutating func addInteger(_ name: String, size: UInt32, encoding: Integer.Encoding = [],
                                    bitCount: UInt8? = nil, bitOffset: UInt8 = 0) -> TypeID {
      let id = record(name, .integer, size)
      let bits = UInt32(bitCount ?? UInt8(truncatingIfNeeded: size * 8))
      types.word(UInt32(encoding.rawValue) << 24 | UInt32(bitOffset) << 16 | bits)
      return id
    }

    /// Kernel: `BTF_KIND_PTR` to `type`.
    public mutating func addPointer(to type: TypeID) -> TypeID { record("", .pointer, type.rawValue) }

    /// Kernel: `BTF_KIND_ARRAY` of `count` `element`s; `index` is an integer
    /// type (clang uses `__ARRAY_SIZE_TYPE__`, a 4-byte int).
    public mutating func addArray(of element: TypeID, index: TypeID, count: UInt32) -> TypeID {
      let id = record("", .array, 0)
      types.word(element.rawValue)
      types.word(index.rawValue)
      types.word(count)
      return id
    }

    /// A member for `addStruct`/`addUnion`; `bitfieldSize` > 0 makes the
    /// composite use bitfield offsets (kind_flag).
    public struct MemberSpec: Sendable {
      /// The member's name; empty for an anonymous embedded struct or union.
      public var name: String
      /// The member's type.
      public var type: TypeID
      /// Its offset from the start of the composite, in bits.
      public var bitOffset: UInt32
      /// Its width in bits when it is a bitfield, else 0.
      public var bitfieldSize: UInt8
      /// A member `name` of `type` at `bitOffset` bits.
      public init(_ name: String, _ type: TypeID, bitOffset: UInt32, bitfieldSize: UInt8 = 0) {
        self.name = name
        self.type = type
        self.bitOffset = bitOffset
        self.bitfieldSize = bitfieldSize
      }
    }

    /// Kernel: `BTF_KIND_STRUCT` of `size` bytes (`""`: anonymous).
    public mutating func addStruct(_ name: String, size: UInt32, members: [MemberSpec]) -> TypeID {
      composite(name, .struct, size, members)
    }

    /// Kernel: `BTF_KIND_UNION` of `size` bytes (`""`: anonymous).
    public mutating func addUnion(_ name: String, size: UInt32, members: [MemberSpec]) -> TypeID {
      composite(name, .union, size, members)
    }

    private mutating func composite(_ name: String, _ kind: Kind, _ size: UInt32, _ members: [MemberSpec]) -> TypeID {
      let bitfields = members.contains { $0.bitfieldSize != 0 }
      let names = members.map { self.name($0.name).offset }
      let id = record(name, kind, vlen: members.count, flag: bitfields, size)
      for (member, nameOffset) in zip(members, names) {
        types.word(nameOffset)
        types.word(member.type.rawValue)
        types.word(bitfields ? UInt32(member.bitfieldSize) << 24 | member.bitOffset & 0xFF_FFFF : member.bitOffset)
      }
      return id
    }

    /// ENUM when every value fits 32 bits and `size` <= 4, else ENUM64.
    public mutating func addEnum(_ name: String, size: UInt32, isSigned: Bool, values: [(String, Int64)]) -> TypeID {
      let names = values.map { self.name($0.0).offset }
      let fits = size <= 4 && values.allSatisfy { isSigned ? Int32(exactly: $0.1) != nil : UInt32(exactly: $0.1) != nil }
      let id = record(name, fits ? .enum : .enum64, vlen: values.count, flag: isSigned, size)
      for ((_, value), nameOffset) in zip(values, names) {
        types.word(nameOffset)
        let bits = UInt64(bitPattern: value)
        types.word(UInt32(truncatingIfNeeded: bits))
        if !fits { types.word(UInt32(truncatingIfNeeded: bits >> 32)) }
      }
      return id
    }

    /// Kernel: `BTF_KIND_FWD`, a declared struct (or union) without a body.
    public mutating func addForward(_ name: String, isUnion: Bool) -> TypeID {
      record(name, .forward, flag: isUnion, 0)
    }

    /// Kernel: `BTF_KIND_TYPEDEF` naming `type`.
    public mutating func addTypedef(_ name: String, to type: TypeID) -> TypeID { record(name, .typedef, type.rawValue) }
    /// Kernel: `BTF_KIND_VOLATILE` on `type`.
    public mutating func addVolatile(_ type: TypeID) -> TypeID { record("", .volatile, type.rawValue) }
    /// Kernel: `BTF_KIND_CONST` on `type`.
    public mutating func addConst(_ type: TypeID) -> TypeID { record("", .const, type.rawValue) }
    /// Kernel: `BTF_KIND_RESTRICT` on `type`.
    public mutating func addRestrict(_ type: TypeID) -> TypeID { record("", .restrict, type.rawValue) }

    /// A FUNC_PROTO; a last parameter `("", .void)` is `...`.
    public mutating func addPrototype(returning type: TypeID, parameters: [(String, TypeID)]) -> TypeID {
      let names = parameters.map { self.name($0.0).offset }
      let id = record("", .functionPrototype, vlen: parameters.count, type.rawValue)
      for ((_, parameter), nameOffset) in zip(parameters, names) {
        types.word(nameOffset)
        types.word(parameter.rawValue)
      }
      return id
    }

    /// Kernel: `BTF_KIND_FUNC` with a FUNC_PROTO from `addPrototype`.
    public mutating func addFunction(_ name: String, prototype: TypeID, linkage: Linkage) -> TypeID {
      record(name, .function, vlen: Int(linkage.rawValue), prototype.rawValue)
    }

    /// Kernel: `BTF_KIND_VAR`; list it in a data section with `addDataSection`.
    public mutating func addVariable(_ name: String, type: TypeID, linkage: Linkage) -> TypeID {
      let id = record(name, .variable, type.rawValue)
      types.word(linkage.rawValue)
      return id
    }

    /// Kernel: `BTF_KIND_DATASEC` `name` (`.bss`) of `size` bytes, listing
    /// VARs (or FUNCs, for `.ksyms`) with their offsets and sizes.
    public mutating func addDataSection(_ name: String, size: UInt32, variables: [SectionVariable]) -> TypeID {
      let id = record(name, .dataSection, vlen: variables.count, size)
      for v in variables {
        types.word(v.type.rawValue)
        types.word(v.offset)
        types.word(v.size)
      }
      return id
    }

    /// Kernel: `BTF_KIND_FLOAT` of `size` bytes (Linux 5.13).
    public mutating func addFloat(_ name: String, size: UInt32) -> TypeID { record(name, .float, size) }

    /// Kernel: `BTF_KIND_DECL_TAG` `text` on `type`, or on its member or
    /// parameter `componentIndex` (-1: the type itself); `isAttribute` sets the
    /// kind_flag (Linux 6.14).
    public mutating func addDeclarationTag(_ text: String, on type: TypeID, componentIndex: Int32 = -1,
                                           isAttribute: Bool = false) -> TypeID {
      let id = record(text, .declarationTag, flag: isAttribute, type.rawValue)
      types.word(UInt32(bitPattern: componentIndex))
      return id
    }

    /// Kernel: `BTF_KIND_TYPE_TAG` `text` on `type` (Linux 5.17).
    public mutating func addTypeTag(_ text: String, on type: TypeID, isAttribute: Bool = false) -> TypeID {
      record(text, .typeTag, flag: isAttribute, type.rawValue)
    }

    /// The encoded blob (header, types, strings).
    public func bytes() throws(BTFError) -> [UInt8] {
      try BTF.assemble(types: types.bytes, strings: strings, order: byteOrder)
    }

    /// The blob parsed (and so validated) as a `BTF`.
    public func build() throws(BTFError) -> BTF {
      try BTF(bytes: bytes(), base: base)
    }
  }
}
