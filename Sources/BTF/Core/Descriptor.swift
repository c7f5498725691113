extension BTF {
  /// One decoded type record, built on demand from the buffer by `btf[id]`.
  ///
  /// Small and bitwise-copyable: trailers (members, enumerators, parameters,
  /// section variables) are not copied; read them with `members(of:)`,
  /// `enumerators(of:)`, `parameters(of:)`, `variables(of:)`.
  public enum Descriptor: Sendable, BitwiseCopyable, Equatable {
    /// Type id 0: `void`, and the "no type" of a function returning nothing.
    /// No record of its own in the blob.
    case void
    /// An integer type (`int`, `unsigned char`, `_Bool`). Kernel: `BTF_KIND_INT`.
    case integer(Integer)
    /// A pointer to the type with this id (`void *` points to 0). Kernel: `BTF_KIND_PTR`.
    case pointer(to: TypeID)
    /// A fixed-size array. Kernel: `BTF_KIND_ARRAY`.
    case array(ArrayType)
    /// A struct; members through `members(of:)`. Kernel: `BTF_KIND_STRUCT`.
    case `struct`(Composite)
    /// A union; its members (each at offset 0, bitfields aside) through
    /// `members(of:)`. Kernel: `BTF_KIND_UNION`.
    case union(Composite)
    /// An enum of up to 32-bit values; enumerators through `enumerators(of:)`.
    /// Kernel: `BTF_KIND_ENUM`.
    case `enum`(Enumeration)
    /// A declared but not defined struct or union (`struct task_struct;`).
    /// Kernel: `BTF_KIND_FWD`.
    case forward(Forward)
    /// A typedef. Kernel: `BTF_KIND_TYPEDEF`.
    case typedef(Typedef)
    /// The `volatile`-qualified type with this id. Kernel: `BTF_KIND_VOLATILE`.
    case volatile(TypeID)
    /// The `const`-qualified type with this id. Kernel: `BTF_KIND_CONST`.
    case const(TypeID)
    /// The `restrict`-qualified type with this id. Kernel: `BTF_KIND_RESTRICT`.
    case restrict(TypeID)
    /// A function (a BPF program or subprogram, a kernel function, an extern
    /// `__ksym` function). Kernel: `BTF_KIND_FUNC`.
    case function(Function)
    /// A function signature; parameters through `parameters(of:)`.
    /// Kernel: `BTF_KIND_FUNC_PROTO`.
    case functionPrototype(Prototype)
    /// A global variable, listed by a data section. Kernel: `BTF_KIND_VAR`.
    case variable(Variable)
    /// A data section (`.data`, `.bss`, `.rodata`, `.maps`, `.kconfig`) and
    /// its variables, through `variables(of:)`. Kernel: `BTF_KIND_DATASEC`.
    case dataSection(DataSection)
    /// A floating-point type. Kernel: `BTF_KIND_FLOAT` (Linux 5.13).
    case float(FloatingPoint)
    /// A `btf_decl_tag` on a type, member, parameter, function or variable.
    /// Kernel: `BTF_KIND_DECL_TAG` (Linux 5.16).
    case declarationTag(DeclarationTag)
    /// A `btf_type_tag` on a pointee type (`__user`, `__rcu`).
    /// Kernel: `BTF_KIND_TYPE_TAG` (Linux 5.17).
    case typeTag(TypeTag)
    /// An enum with 64-bit values. Kernel: `BTF_KIND_ENUM64` (Linux 6.0).
    case enum64(Enumeration)
    /// A record of a kind this parser does not know, written by a newer
    /// tool: the BTF's layout section gave its size, so the ids after it
    /// stay right, but what it describes is not known. Nothing refers
    /// through it; the writer cannot encode it.
    case unknown(UnknownType)

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
      case .unknown: return .unknown
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
      case .unknown(let t): return t.name
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
    /// The C name (`unsigned int`, `long long`).
    public var name: Name
    /// Storage size in bytes (1, 2, 4, 8 or 16).
    public var size: UInt32
    /// Whether the integer is signed, a character or a boolean.
    public var encoding: Encoding
    /// Start bit inside the storage (0 in everything clang and pahole emit).
    public var bitOffset: UInt8
    /// Number of value bits.
    public var bitCount: UInt8

    /// Whether the encoding has `BTF_INT_SIGNED`.
    public var isSigned: Bool { encoding.contains(.signed) }

    /// Kernel: `BTF_INT_SIGNED` (1), `BTF_INT_CHAR` (2), `BTF_INT_BOOL` (4).
    public struct Encoding: OptionSet, Sendable, BitwiseCopyable, Hashable {
      public var rawValue: UInt8
      public init(rawValue: UInt8) { self.rawValue = rawValue }
      /// Kernel: `BTF_INT_SIGNED`.
      public static let signed = Encoding(rawValue: 1)
      /// Kernel: `BTF_INT_CHAR` (a `char`; printed as a character).
      public static let char = Encoding(rawValue: 2)
      /// Kernel: `BTF_INT_BOOL`.
      public static let bool = Encoding(rawValue: 4)
    }
  }

  /// Kernel: `BTF_KIND_ARRAY` + `struct btf_array`.
  public struct ArrayType: Sendable, BitwiseCopyable, Equatable {
    /// The element type.
    public var element: TypeID
    /// The index type (an integer; clang emits `__ARRAY_SIZE_TYPE__`).
    public var index: TypeID
    /// The number of elements (0 for a flexible array member).
    public var count: UInt32
  }

  /// A STRUCT or UNION header; its members are `btf.members(of: id)`.
  public struct Composite: Sendable, BitwiseCopyable, Equatable {
    /// The id of this record, so member views can be made from the descriptor.
    public var id: TypeID
    /// The struct or union tag (anonymous for `struct { … }` members).
    public var name: Name
    /// The size in bytes, as C `sizeof` gives it (trailing padding included).
    public var size: UInt32
    /// The number of members (the record's vlen).
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
    /// The id of this record, for `enumerators(of:)`.
    public var id: TypeID
    /// The enum tag (anonymous for `enum { … }`).
    public var name: Name
    /// Size in bytes (1, 2, 4 or 8).
    public var size: UInt32
    /// The number of enumerators.
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
    /// The struct or union tag.
    public var name: Name
    /// A forward `union`, rather than `struct`.
    public var isUnion: Bool
  }

  /// Kernel: `BTF_KIND_TYPEDEF`: a name for another type.
  public struct Typedef: Sendable, BitwiseCopyable, Equatable {
    /// The typedef's name (`u32`, `pid_t`).
    public var name: Name
    /// The type it names.
    public var type: TypeID
  }

  /// Kernel: `BTF_KIND_FUNC`; linkage in vlen; `type` is a FUNC_PROTO.
  public struct Function: Sendable, BitwiseCopyable, Equatable {
    /// The function's name (a BPF program's is its C function name).
    public var name: Name
    /// Its `FUNC_PROTO`: return and parameter types.
    public var prototype: TypeID
    /// Static, global or extern.
    public var linkage: Linkage
  }

  /// Kernel: `BTF_KIND_FUNC_PROTO`; parameters are `btf.parameters(of: id)`.
  public struct Prototype: Sendable, BitwiseCopyable, Equatable {
    /// The id of this record, for `parameters(of:)`.
    public var id: TypeID
    /// The return type (0: `void`).
    public var returnType: TypeID
    /// The number of parameters (a trailing `...` counts as one, with type 0).
    public var parameterCount: Int { Int(vlen) }
    var vlen: UInt16
  }

  /// Kernel: `BTF_KIND_VAR` + `struct btf_var`.
  public struct Variable: Sendable, BitwiseCopyable, Equatable {
    /// The variable's name.
    public var name: Name
    /// Its type.
    public var type: TypeID
    /// Static, global or extern (`__kconfig`, `__ksym` externs).
    public var linkage: Linkage
  }

  /// Kernel: `BTF_KIND_DATASEC`; variables are `btf.variables(of: id)`.
  public struct DataSection: Sendable, BitwiseCopyable, Equatable {
    /// The id of this record, for `variables(of:)`.
    public var id: TypeID
    /// The ELF section name (`.bss`, `.rodata.str1.1`, `.kconfig`).
    public var name: Name
    /// Section size in bytes (0 in objects before the loader fills it in).
    public var size: UInt32
    /// The number of variables it lists.
    public var count: Int { Int(vlen) }
    var vlen: UInt16
  }

  /// Kernel: `BTF_KIND_FLOAT`.
  public struct FloatingPoint: Sendable, BitwiseCopyable, Equatable {
    /// The C name (`double`).
    public var name: Name
    /// The size in bytes (2, 4, 8, 12 or 16).
    public var size: UInt32
  }

  /// Kernel: `BTF_KIND_DECL_TAG` + `struct btf_decl_tag`.
  public struct DeclarationTag: Sendable, BitwiseCopyable, Equatable {
    /// The tag's text.
    public var name: Name
    /// The tagged type, function or variable (with `componentIndex`: the
    /// struct, union or function prototype whose member or parameter is tagged).
    public var type: TypeID
    /// -1 for the type itself, else the member or parameter index.
    public var componentIndex: Int32
    /// Kernel: kind_flag (Linux 6.14): an `__attribute__` rather than a tag.
    public var isAttribute: Bool
  }

  /// Kernel: `BTF_KIND_TYPE_TAG`.
  public struct TypeTag: Sendable, BitwiseCopyable, Equatable {
    /// The tag's text (`user`, `rcu`, `percpu`).
    public var name: Name
    /// The tagged type.
    public var type: TypeID
    /// Kernel: kind_flag (Linux 6.14): an `__attribute__` rather than a tag.
    public var isAttribute: Bool
  }

  /// A record of an unknown kind, as far as the common header tells.
  ///
  /// Kernel: `struct btf_type` with a kind past `BTF_KIND_MAX` of this
  /// parser; its trailer size comes from `struct btf_layout`.
  public struct UnknownType: Sendable, BitwiseCopyable, Equatable {
    /// The record's name (`name_off`), whatever it names.
    public var name: Name
    /// The kind number (20...127).
    public var kindNumber: UInt8
    /// The record's vlen (24 bits, as the UAPI encodes it for new kinds).
    public var vlen: Int
    /// The `size`/`type` word, uninterpreted.
    public var sizeOrType: UInt32
    /// Whether `kind_flag` is set.
    public var kindFlag: Bool
  }
}
