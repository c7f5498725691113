extension BTF {
  /// The kind number of a BTF type record (`info` bits 24-28).
  ///
  /// Kernel: `BTF_KIND_*` in `include/uapi/linux/btf.h`; 0 is `BTF_KIND_UNKN`,
  /// used only for the implicit `void` type id 0.
  public enum Kind: UInt8, Sendable, Hashable, BitwiseCopyable, CaseIterable, CustomStringConvertible {
    /// Kernel: `BTF_KIND_UNKN`, only type id 0 (`void`).
    case void = 0
    /// Kernel: `BTF_KIND_INT`.
    case integer = 1
    /// Kernel: `BTF_KIND_PTR`.
    case pointer = 2
    /// Kernel: `BTF_KIND_ARRAY`.
    case array = 3
    /// Kernel: `BTF_KIND_STRUCT`.
    case `struct` = 4
    /// Kernel: `BTF_KIND_UNION`.
    case union = 5
    /// Kernel: `BTF_KIND_ENUM`.
    case `enum` = 6
    /// Kernel: `BTF_KIND_FWD`.
    case forward = 7
    /// Kernel: `BTF_KIND_TYPEDEF`.
    case typedef = 8
    /// Kernel: `BTF_KIND_VOLATILE`.
    case volatile = 9
    /// Kernel: `BTF_KIND_CONST`.
    case const = 10
    /// Kernel: `BTF_KIND_RESTRICT`.
    case restrict = 11
    /// Kernel: `BTF_KIND_FUNC`.
    case function = 12
    /// Kernel: `BTF_KIND_FUNC_PROTO`.
    case functionPrototype = 13
    /// Kernel: `BTF_KIND_VAR`; Linux 5.2.
    case variable = 14
    /// Kernel: `BTF_KIND_DATASEC`; Linux 5.2.
    case dataSection = 15
    /// Kernel: `BTF_KIND_FLOAT`; Linux 5.13.
    case float = 16
    /// Kernel: `BTF_KIND_DECL_TAG`; Linux 5.16.
    case declarationTag = 17
    /// Kernel: `BTF_KIND_TYPE_TAG`; Linux 5.17.
    case typeTag = 18
    /// Kernel: `BTF_KIND_ENUM64`; Linux 6.0.
    case enum64 = 19
    /// A kind number this parser does not know (20 and up), written by a
    /// newer tool and stepped over with the BTF's layout section; its
    /// record is a `Descriptor.unknown`. Not a kernel kind number: 128 lies
    /// outside the 7-bit kind field, so no record has it.
    case unknown = 128

    /// The kernel's name, as `bpftool btf dump` prints it (`STRUCT`, `FUNC_PROTO`).
    public var kernelName: String {
      switch self {
      case .void: return "UNKN"
      case .integer: return "INT"
      case .pointer: return "PTR"
      case .array: return "ARRAY"
      case .struct: return "STRUCT"
      case .union: return "UNION"
      case .enum: return "ENUM"
      case .forward: return "FWD"
      case .typedef: return "TYPEDEF"
      case .volatile: return "VOLATILE"
      case .const: return "CONST"
      case .restrict: return "RESTRICT"
      case .function: return "FUNC"
      case .functionPrototype: return "FUNC_PROTO"
      case .variable: return "VAR"
      case .dataSection: return "DATASEC"
      case .float: return "FLOAT"
      case .declarationTag: return "DECL_TAG"
      case .typeTag: return "TYPE_TAG"
      case .enum64: return "ENUM64"
      case .unknown: return "UNKNOWN"
      }
    }

    public var description: String { kernelName }

    /// The kernel's kinds, `void` to `enum64`: not `unknown`, which stands
    /// for any kind past them and is no kind of its own.
    public static var allCases: [Kind] {
      [.void, .integer, .pointer, .array, .struct, .union, .enum, .forward, .typedef, .volatile, .const,
       .restrict, .function, .functionPrototype, .variable, .dataSection, .float, .declarationTag, .typeTag,
       .enum64]
    }

    /// Kinds that only add a qualifier or a name to another type.
    public var isModifierOrTypedef: Bool {
      switch self {
      case .typedef, .volatile, .const, .restrict, .typeTag: return true
      default: return false
      }
    }
  }

  /// Linkage of a FUNC (in `vlen`) or a VAR (in `btf_var.linkage`).
  ///
  /// Kernel: `BTF_FUNC_STATIC`/`BTF_FUNC_GLOBAL`/`BTF_FUNC_EXTERN` and
  /// `BTF_VAR_STATIC`/`BTF_VAR_GLOBAL_ALLOCATED`/`BTF_VAR_GLOBAL_EXTERN`: 0, 1, 2.
  public enum Linkage: UInt32, Sendable, Hashable, BitwiseCopyable, CustomStringConvertible {
    /// Local to the object: a `static` function or variable.
    case `static` = 0
    /// FUNC: global; VAR: global, allocated in this object.
    case global = 1
    /// Declared here, defined elsewhere (`.ksyms`, `.kconfig`, kfuncs).
    case external = 2

    public var description: String {
      switch self {
      case .static: return "static"
      case .global: return "global"
      case .external: return "extern"
      }
    }
  }
}
