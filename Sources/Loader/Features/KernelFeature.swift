import BTF

/// A named capability of the running kernel that is not a map or program
/// type: what the loader checks before it relies on something newer than
/// the oldest kernels with BPF.
///
/// Each case is decided by one tiny real load or create (see `FeatureProber`).
public enum KernelFeature: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// `BPF_BTF_LOAD` accepts a plain BTF blob (INT, STRUCT...).
  /// Kernel: Linux 4.18.
  case btf
  /// BTF kinds FUNC and FUNC_PROTO (func_info). Kernel: Linux 5.0.
  case btfFunctions
  /// FUNC with global/extern linkage. Kernel: Linux 5.6.
  case btfGlobalFunctions
  /// BTF kinds VAR and DATASEC. Kernel: Linux 5.2.
  case btfDataSections
  /// BTF kind FLOAT. Kernel: Linux 5.13.
  case btfFloat
  /// BTF kind DECL_TAG. Kernel: Linux 5.16.
  case btfDeclarationTags
  /// BTF kind TYPE_TAG. Kernel: Linux 5.17.
  case btfTypeTags
  /// BTF kind ENUM64 (and signed ENUM). Kernel: Linux 6.0.
  case btfEnum64
  /// `.data`/`.rodata`/`.bss` as array maps referenced by `ld_imm64`
  /// (`BPF_PSEUDO_MAP_VALUE`). Kernel: Linux 5.2.
  case globalData
  /// Array maps created with `BPF_F_MMAPABLE`, so global data can be
  /// memory-mapped into the process. Kernel: Linux 5.5.
  case mmapableArrays
  /// Maps read-only for programs (`BPF_F_RDONLY_PROG`) and frozen for user
  /// space (`BPF_MAP_FREEZE`), as `.rodata` needs; both arrived together.
  /// Kernel: Linux 5.2.
  case frozenMaps
  /// `bpf_get_attach_cookie` (helper 174). Kernel: Linux 5.15.
  case bpfCookie
  /// `BPF_MAP_TYPE_RINGBUF`. Kernel: Linux 5.8.
  case ringBuffer
  /// `prog_name`/`map_name` in the load attributes. Kernel: Linux 4.15.
  case programNames
  /// Calls of kernel functions by BTF id (`BPF_PSEUDO_KFUNC_CALL`).
  /// Kernel: Linux 5.13.
  case kfuncCalls

  public var description: String { rawValue }

  /// The first kernel release that has it, as "Linux X.Y".
  public var minimumKernel: String { MinimumKernel.of(self) }

  /// The BTF kinds this feature is about, for the BTF cases.
  var btfKinds: [BTF.Kind] {
    switch self {
    case .btf: [.integer, .struct]
    case .btfFunctions: [.function, .functionPrototype]
    case .btfDataSections: [.variable, .dataSection]
    case .btfFloat: [.float]
    case .btfDeclarationTags: [.declarationTag]
    case .btfTypeTags: [.typeTag]
    case .btfEnum64: [.enum64]
    default: []
    }
  }
}
