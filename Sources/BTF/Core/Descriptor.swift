extension BTF {
  /// One decoded type record, built on demand from the buffer by `btf[id]`.
  ///
  /// Small and bitwise-copyable: trailers (members, enumerators, parameters,
  /// section variables) are not copied; read them with `members(of:)`,
  /// `enumerators(of:)`, `parameters(of:)`, `variables(of:)`.
  public enum Descriptor: Sendable, BitwiseCopyable, Equatable {
    case void
    case integer(Integer)
    case pointer(to: TypeID)
    case array(ArrayType)
    case `struct`(Composite)
    case union(Composite)
    case `enum`(Enumeration)
    case forward(Forward)
    case typedef(Typedef)
    case volatile(TypeID)
    case const(TypeID)
    case restrict(TypeID)
    case function(Function)
    case functionPrototype(Prototype)
    case variable(Variable)
    case dataSection(DataSection)
    case float(FloatingPoint)
    case declarationTag(DeclarationTag)
    case typeTag(TypeTag)
    case enum64(Enumeration)

    /// The kind of this record.
    public var kind: Kind {
      switch self {
      case .void: return .void
      case .integer: return .integer
      case .pointer: return .pointer
      case .array: return .array
      case .struct: return .struct
      case .union: return .union
      case .enum: return .enum
      case .forward: return .forward
      case .typedef: return .typedef
      case .volatile: return .volatile
      case .const: return .const
      case .restrict: return .restrict
      case .function: return .function
      case .functionPrototype: return .functionPrototype
      case .variable: return .variable
      case .dataSection: return .dataSection
      case .float: return .float
      case .declarationTag: return .declarationTag
      case .typeTag: return .typeTag
      case .enum64: return .enum64
      }
    }

    /// The record's name (anonymous for kinds without one).
    public var name: Name {
      switch self {
      case .void, .pointer, .array, .volatile, .const, .restrict, .functionPrototype:
        return .anonymous
      case .integer(let t): return t.name
      case .struct(let t), .union(let t): return t.name
      case .enum(let t), .enum64(let t): return t.name
      case .forward(let t): return t.name
      case .typedef(let t): return t.name
      case .function(let t): return t.name
      case .variable(let t): return t.name
      case .dataSection(let t): return t.name
      case .float(let t): return t.name
      case .declarationTag(let t): return t.name
      case .typeTag(let t): return t.name
      }
    }

    /// The type this one refers to: pointee, element, aliased, qualified,
    /// prototype, variable type, tagged type; nil for kinds with none.
    public var referencedType: TypeID? {
      switch self {
      case .pointer(let t), .volatile(let t), .const(let t), .restrict(let t): return t
      case .array(let a): return a.element
      case .typedef(let t): return t.type
      case .function(let f): return f.prototype
      case .functionPrototype(let p): return p.returnType
      case .variable(let v): return v.type
      case .declarationTag(let t): return t.type
      case .typeTag(let t): return t.type
      default: return nil
      }
    }
  }

  /// Kernel: `BTF_KIND_INT` and its trailing `u32` (encoding bits 24-27,
  /// offset bits 16-23, bit count bits 0-7).
  public struct Integer: Sendable, BitwiseCopyable, Equatable {
    public var name: Name
    /// Storage size in bytes (1, 2, 4, 8 or 16).
    public var size: UInt32
    public var encoding: Encoding
    /// Start bit inside the storage (0 in everything clang and pahole emit).
    public var bitOffset: UInt8
    /// Number of value bits.
    public var bitCount: UInt8

    public var isSigned: Bool { encoding.contains(.signed) }

    /// Kernel: `BTF_INT_SIGNED` (1), `BTF_INT_CHAR` (2), `BTF_INT_BOOL` (4).
    public struct Encoding: OptionSet, Sendable, BitwiseCopyable, Hashable {
      public var rawValue: UInt8
      public init(rawValue: UInt8) { self.rawValue = rawValue }
      public static let signed = Encoding(rawValue: 1)
      public static let char = Encoding(rawValue: 2)
      public static let bool = Encoding(rawValue: 4)
    }
  }

  /// Kernel: `BTF_KIND_ARRAY` + `struct btf_array`.
  public struct ArrayType: Sendable, BitwiseCopyable, Equatable {
    public var element: TypeID
    public var index: TypeID
    public var count: UInt32
  }

  /// A STRUCT or UNION header; its members are `btf.members(of: id)`.
  public struct Composite: Sendable, BitwiseCopyable, Equatable {
    /// The id of this record, so member views can be made from the descriptor.
    public var id: TypeID
    public var name: Name
    public var size: UInt32
    public var memberCount: Int { Int(vlen) }
    // vlen before the flag: 15 bytes of payload keep the Descriptor at 16.
    var vlen: UInt16
    /// Kernel: kind_flag; member offsets hold bitfield size in bits 24-31.
    public var hasBitfieldOffsets: Bool

    init(id: TypeID, name: Name, size: UInt32, hasBitfieldOffsets: Bool, vlen: UInt16) {
      self.id = id
      self.name = name
      self.size = size
      self.vlen = vlen
      self.hasBitfieldOffsets = hasBitfieldOffsets
    }
  }

  /// An ENUM or ENUM64 header; values are `btf.enumerators(of: id)`.
  public struct Enumeration: Sendable, BitwiseCopyable, Equatable {
    public var id: TypeID
    public var name: Name
    /// Size in bytes (1, 2, 4 or 8).
    public var size: UInt32
    public var count: Int { Int(vlen) }
    var vlen: UInt16
    /// Kernel: kind_flag (Linux 6.0); values are signed.
    public var isSigned: Bool

    init(id: TypeID, name: Name, size: UInt32, isSigned: Bool, vlen: UInt16) {
      self.id = id
      self.name = name
      self.size = size
      self.vlen = vlen
      self.isSigned = isSigned
    }
  }

  /// Kernel: `BTF_KIND_FWD`; kind_flag 1 means `union`.
  public struct Forward: Sendable, BitwiseCopyable, Equatable {
    public var name: Name
    public var isUnion: Bool
  }

  public struct Typedef: Sendable, BitwiseCopyable, Equatable {
    public var name: Name
    public var type: TypeID
  }

  /// Kernel: `BTF_KIND_FUNC`; linkage in vlen; `type` is a FUNC_PROTO.
  public struct Function: Sendable, BitwiseCopyable, Equatable {
    public var name: Name
    public var prototype: TypeID
    public var linkage: Linkage
  }

  /// Kernel: `BTF_KIND_FUNC_PROTO`; parameters are `btf.parameters(of: id)`.
  public struct Prototype: Sendable, BitwiseCopyable, Equatable {
    public var id: TypeID
    public var returnType: TypeID
    public var parameterCount: Int { Int(vlen) }
    var vlen: UInt16
  }

  /// Kernel: `BTF_KIND_VAR` + `struct btf_var`.
  public struct Variable: Sendable, BitwiseCopyable, Equatable {
    public var name: Name
    public var type: TypeID
    public var linkage: Linkage
  }

  /// Kernel: `BTF_KIND_DATASEC`; variables are `btf.variables(of: id)`.
  public struct DataSection: Sendable, BitwiseCopyable, Equatable {
    public var id: TypeID
    public var name: Name
    /// Section size in bytes (0 in objects before the loader fills it in).
    public var size: UInt32
    public var count: Int { Int(vlen) }
    var vlen: UInt16
  }

  /// Kernel: `BTF_KIND_FLOAT`.
  public struct FloatingPoint: Sendable, BitwiseCopyable, Equatable {
    public var name: Name
    public var size: UInt32
  }

  /// Kernel: `BTF_KIND_DECL_TAG` + `struct btf_decl_tag`.
  public struct DeclarationTag: Sendable, BitwiseCopyable, Equatable {
    /// The tag's text.
    public var name: Name
    public var type: TypeID
    /// -1 for the type itself, else the member or parameter index.
    public var componentIndex: Int32
    /// Kernel: kind_flag (Linux 6.14): an `__attribute__` rather than a tag.
    public var isAttribute: Bool
  }

  /// Kernel: `BTF_KIND_TYPE_TAG`.
  public struct TypeTag: Sendable, BitwiseCopyable, Equatable {
    public var name: Name
    public var type: TypeID
    /// Kernel: kind_flag (Linux 6.14): an `__attribute__` rather than a tag.
    public var isAttribute: Bool
  }
}
