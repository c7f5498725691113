/// One logical BPF instruction: 8 bytes on disk, or 16 for `ld_imm64`,
/// which stays one value here.
///
/// Every field is kept as encoded (the opcode byte, both register nibbles,
/// the offset, the immediate), so `encode` gives back the input bytes
/// exactly. Meaning comes from `operation` (typed view) and `Disassembler`
/// (llvm-objdump text); symbols and source lines live in side tables keyed
/// by slot index.
///
/// Kernel: `struct bpf_insn` (`code`, `dst_reg:4`, `src_reg:4`, `off`, `imm`).
public struct Instruction: Hashable, Sendable, BitwiseCopyable {
  /// The opcode byte, exact.
  public var opcode: Opcode
  /// The destination register field.
  public var destination: Register
  /// The source register field (for `ld_imm64`: the pseudo source kind;
  /// for `call`: the call kind).
  public var source: Register
  /// The signed 16-bit offset field.
  public var offset: Int16
  /// The immediate: the sign-extended 32-bit `imm` field, or for `ld_imm64`
  /// all 64 bits (low half from the first slot, high half from the second).
  public var immediate: Int64

  public init(
    opcode: Opcode, destination: Register = .r0, source: Register = .r0,
    offset: Int16 = 0, immediate: Int64 = 0
  ) {
    self.opcode = opcode
    self.destination = destination
    self.source = source
    self.offset = offset
    self.immediate = immediate
  }

  /// 8-byte slots this instruction takes: 2 for `ld_imm64`, else 1.
  public var slotCount: Int { opcode.isWideLoad ? 2 : 1 }

  /// The low 32 bits of the immediate, as the `imm` field of the first slot.
  public var immediate32: Int32 { Int32(truncatingIfNeeded: immediate) }
}

extension Instruction: CustomStringConvertible {
  /// The llvm-objdump text (jump offsets relative, no labels).
  public var description: String { Disassembler.text(self, at: 0) }
}

extension Instruction {
  /// `ld_imm64`: `dst = value`, with the pseudo source kind that tells the
  /// loader what `value` means (a map fd, a BTF id...).
  public static func loadImmediate64(
    _ destination: Register, _ value: Int64, pseudo: PseudoSource = .value
  ) -> Instruction {
    Instruction(
      opcode: Opcode(rawValue: 0x18), destination: destination,
      source: Register(rawValue: pseudo.rawValue), immediate: value)
  }

  /// `exit`.
  public static var exit: Instruction { Instruction(opcode: Opcode(rawValue: 0x95)) }

  /// `call` of a kernel helper by its number.
  public static func call(helper id: Int32) -> Instruction {
    Instruction(opcode: Opcode(rawValue: 0x85), immediate: Int64(id))
  }

  /// The pseudo source kind of an `ld_imm64` (its `src_reg` field).
  public var pseudoSource: PseudoSource? {
    opcode.isWideLoad ? PseudoSource(rawValue: source.rawValue) : nil
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
}
