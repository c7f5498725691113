import BTF

/// An undefined symbol the loader must resolve before loading: a Kconfig
/// value, a kernel variable (ksym) or a kernel function (kfunc).
///
/// Kernel: ksyms become `ld_imm64` with `BPF_PSEUDO_BTF_ID`, kfunc calls
/// `call` with `BPF_PSEUDO_KFUNC_CALL`; both need the kernel's BTF id.
public struct Extern: Sendable, Hashable {
  /// The symbol name (`CONFIG_HZ`, `bpf_prog_active`, `bpf_cast_to_kern_ctx`).
  public let name: String
  /// The symbol table index.
  public let symbolIndex: Int
  /// What kind of extern it is.
  public let kind: Kind
  /// Declared `__weak`: the loader may leave it unresolved (zero / never-taken call).
  public let isWeak: Bool
  /// The BTF type id of its `VAR` or `FUNC` in the object's BTF, when there is one.
  public let btfTypeID: BTF.TypeID?

  /// An extern as the object declares it.
  public init(name: String, symbolIndex: Int, kind: Kind, isWeak: Bool, btfTypeID: BTF.TypeID?) {
    self.name = name
    self.symbolIndex = symbolIndex
    self.kind = kind
    self.isWeak = isWeak
    self.btfTypeID = btfTypeID
  }

  /// The kinds of extern.
  public enum Kind: Sendable, Hashable, CustomStringConvertible {
    /// A `__kconfig` variable (in the BTF `DATASEC` `.kconfig`).
    case kconfig
    /// A `__ksym` variable (in `DATASEC` `.ksyms`); `typed` when its BTF type
    /// is not `void`, so the loader needs its kernel BTF id.
    case ksymVariable(typed: Bool)
    /// A `__ksym` function called from the code.
    case kfunc
    /// A variable whose kind cannot be told without BTF (only `ld_imm64` uses it).
    case unknownVariable

    public var description: String {
      switch self {
      case .kconfig: "kconfig"
      case .ksymVariable(let typed): typed ? "ksym" : "ksym (untyped)"
      case .kfunc: "kfunc"
      case .unknownVariable: "variable (no BTF)"
      }
    }
  }
}
