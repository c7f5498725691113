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

  /// An instruction from its fields; `immediate` holds all 64 bits for
  /// `ld_imm64`, else the sign-extended 32-bit `imm` (the encoder keeps its
  /// low 32 bits).
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
      opcode: .loadImmediate64, destination: destination,
      source: Register(pseudo), immediate: value)
  }

  /// `exit`.
  public static var exit: Instruction { Instruction(opcode: .exit) }

  /// `call` of a kernel helper by its number.
  public static func call(helper id: Int32) -> Instruction {
    Instruction(opcode: .call, source: Register(CallSource.helper), immediate: Int64(id))
  }

  /// `call` of a kernel function by its BTF id; `module` is the index of
  /// the module's BTF fd in the program's fd array (0: vmlinux).
  public static func call(kfunc btfID: Int32, module: Int16 = 0) -> Instruction {
    Instruction(opcode: .call, source: Register(CallSource.kfunc), offset: module, immediate: Int64(btfID))
  }

  /// `dst = imm`: a 64-bit move of the sign-extended 32-bit immediate
  /// (`BPF_ALU64 | BPF_MOV | BPF_K`).
  public static func move(_ destination: Register, _ value: Int32) -> Instruction {
    Instruction(
      opcode: Opcode(rawValue: Opcode.InstructionClass.alu64.rawValue | Opcode.ALUOperation.mov.rawValue),
      destination: destination, immediate: Int64(value))
  }

  /// `*(size *)(base + offset) = imm`: a store of the sign-extended 32-bit
  /// immediate (`BPF_ST | BPF_MEM | size`).
  public static func store(
    _ size: Opcode.AccessSize, base: Register, offset: Int16, immediate value: Int32
  ) -> Instruction {
    Instruction(
      opcode: Opcode(rawValue: Opcode.InstructionClass.st.rawValue | Opcode.Mode.memory.rawValue | size.rawValue),
      destination: base, offset: offset, immediate: Int64(value))
  }
}
