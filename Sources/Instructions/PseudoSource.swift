/// The kinds a `src_reg` field carries when it names no register: what the
/// immediate of an `ld_imm64` means, and what a `call` calls. Each kernel
/// number is defined here once; code that rewrites instructions sets the
/// field with `Register(_:)` of one of these names, never a literal.
extension Instruction {
  /// The pseudo source kind of an `ld_imm64` (its `src_reg` field).
  public var pseudoSource: PseudoSource? {
    opcode.isWideLoad ? PseudoSource(rawValue: source.rawValue) : nil
  }

  /// The call kind of a `call` with an immediate target (its `src_reg`
  /// field); nil for other instructions and for `callx`.
  public var callSource: CallSource? {
    opcode == .call ? CallSource(rawValue: source.rawValue) : nil
  }

  /// What the 64-bit immediate of `ld_imm64` means, from its `src_reg`.
  ///
  /// A raw value so unknown kinds round-trip.
  public struct PseudoSource: RawRepresentable, Hashable, Sendable, BitwiseCopyable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0f }
    /// A plain 64-bit constant.
    public static let value = PseudoSource(rawValue: 0)
    /// imm is a map fd. Kernel: `BPF_PSEUDO_MAP_FD`.
    public static let mapFD = PseudoSource(rawValue: 1)
    /// imm is a map fd, the high half an offset into its value.
    /// Kernel: `BPF_PSEUDO_MAP_VALUE`.
    public static let mapValue = PseudoSource(rawValue: 2)
    /// imm is a kernel BTF id of a variable (ksym). Kernel: `BPF_PSEUDO_BTF_ID`.
    public static let btfID = PseudoSource(rawValue: 3)
    /// imm is a relative instruction offset of a callback function.
    /// Kernel: `BPF_PSEUDO_FUNC`.
    public static let function = PseudoSource(rawValue: 4)
    /// imm is an index into the fd array. Kernel: `BPF_PSEUDO_MAP_IDX`.
    public static let mapIndex = PseudoSource(rawValue: 5)
    /// Kernel: `BPF_PSEUDO_MAP_IDX_VALUE`.
    public static let mapIndexValue = PseudoSource(rawValue: 6)
  }

  /// What a `call` with an immediate target calls, from its `src_reg`.
  ///
  /// A raw value so unknown kinds round-trip.
  public struct CallSource: RawRepresentable, Hashable, Sendable, BitwiseCopyable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0f }
    /// imm is a kernel helper's number (the field is 0; the kernel has no name for it).
    public static let helper = CallSource(rawValue: 0)
    /// imm is the callee's offset in slots, less one, from the call: a
    /// BPF-to-BPF call. Kernel: `BPF_PSEUDO_CALL`.
    public static let subprogram = CallSource(rawValue: 1)
    /// imm is a kernel function's BTF id, `off` the index of its module's BTF
    /// fd (0: vmlinux). Kernel: `BPF_PSEUDO_KFUNC_CALL`.
    public static let kfunc = CallSource(rawValue: 2)
  }
}

extension Register {
  /// The `src_reg` field value of an `ld_imm64` of this pseudo source kind.
  public init(_ pseudo: Instruction.PseudoSource) { self.init(rawValue: pseudo.rawValue) }

  /// The `src_reg` field value of a `call` of this kind.
  public init(_ call: Instruction.CallSource) { self.init(rawValue: call.rawValue) }
}
