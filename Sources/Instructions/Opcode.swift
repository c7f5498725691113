/// The opcode byte of an instruction, kept exactly as encoded, with typed
/// accessors for its fields.
///
/// ALU and jump classes split the byte as `operation:4 | source:1 | class:3`;
/// load and store classes as `mode:3 | size:2 | class:3`.
public struct Opcode: RawRepresentable, Hashable, Sendable, BitwiseCopyable, CustomStringConvertible {
  public var rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// The instruction class, the low 3 bits.
  public var instructionClass: InstructionClass {
    InstructionClass(rawValue: rawValue & 0x07) ?? .ld  // 3 bits: always a case
  }

  /// Access size of a load or store class opcode (bits 3-4).
  public var size: AccessSize { AccessSize(rawValue: rawValue & 0x18) ?? .word }

  /// Mode of a load or store class opcode (bits 5-7).
  public var mode: Mode { Mode(rawValue: rawValue & 0xe0) }

  /// For ALU and jump classes: the operand is the source register
  /// (`BPF_X`) rather than the immediate (`BPF_K`). For `BPF_END` the same
  /// bit selects big endian (`BPF_TO_BE`).
  public var usesRegisterSource: Bool { rawValue & 0x08 != 0 }

  /// The operation nibble of an ALU or jump class opcode (bits 4-7).
  public var operationCode: UInt8 { rawValue >> 4 }

  /// The ALU operation, for ALU and ALU64 class opcodes.
  public var aluOperation: ALUOperation? {
    instructionClass.isALU ? ALUOperation(rawValue: rawValue & 0xf0) : nil
  }

  /// The jump operation, for JMP and JMP32 class opcodes.
  public var jumpOperation: JumpOperation? {
    instructionClass.isJump ? JumpOperation(rawValue: rawValue & 0xf0) : nil
  }

  /// The 16-byte `ld_imm64` (`BPF_LD | BPF_IMM | BPF_DW`, 0x18).
  public var isWideLoad: Bool { self == .loadImmediate64 }

  /// `ld_imm64`. Kernel: `BPF_LD | BPF_IMM | BPF_DW`.
  public static let loadImmediate64 = Opcode(rawValue: 0x18)
  /// `call` with an immediate target. Kernel: `BPF_JMP | BPF_CALL`.
  public static let call = Opcode(rawValue: 0x85)
  /// `exit`. Kernel: `BPF_JMP | BPF_EXIT`.
  public static let exit = Opcode(rawValue: 0x95)

  /// Whether llvm (and the kernel's instruction set) gives this opcode byte
  /// a meaning. The decoder rejects the others.
  ///
  /// Kernel: the opcode table in `Documentation/bpf/standardization/instruction-set.rst`.
  public var isKnown: Bool {
    let op = operationCode
    let x = usesRegisterSource
    switch instructionClass {
    case .alu, .alu64:
      switch op {
      case 0x0...0x7, 0x9...0xc: return true
      case 0x8: return !x  // neg has only the K form
      case 0xd: return instructionClass == .alu || !x  // le/be; bswap has only K
      default: return false
      }
    case .jmp:
      switch op {
      case 0x0, 0x9, 0xe: return !x  // ja, exit, jcond (may_goto)
      case 0x1...0x8, 0xa...0xd: return true  // conditions, call/callx
      default: return false
      }
    case .jmp32:
      switch op {
      case 0x0: return !x  // gotol
      case 0x1...0x7, 0xa...0xd: return true
      default: return false
      }
    case .ld:
      switch mode {
      case .immediate: return size == .doubleWord
      case .absolute, .indirect: return size != .doubleWord
      default: return false
      }
    case .ldx:
      return mode == .memory || (mode == .memorySignExtend && size != .doubleWord)
    case .st:
      return mode == .memory
    case .stx:
      return mode == .memory || mode == .atomic
    }
  }

  public var description: String {
    let hex = String(rawValue, radix: 16)
    return "0x" + (hex.count < 2 ? "0" + hex : hex)
  }
}

extension Opcode {
  /// The instruction class. Kernel: `BPF_LD`...`BPF_ALU64`.
  public enum InstructionClass: UInt8, Sendable, Hashable, BitwiseCopyable {
    /// Loads with an immediate or packet address (`ld_imm64`, legacy
    /// `BPF_ABS`/`BPF_IND`). Kernel: `BPF_LD`.
    case ld = 0
    /// Loads from memory into a register. Kernel: `BPF_LDX`.
    case ldx = 1
    /// Stores of an immediate to memory. Kernel: `BPF_ST`.
    case st = 2
    /// Stores of a register to memory, and atomics. Kernel: `BPF_STX`.
    case stx = 3
    /// 32-bit arithmetic (results zero-extended to 64 bits). Kernel: `BPF_ALU`.
    case alu = 4
    /// 64-bit comparisons and jumps, calls and exit. Kernel: `BPF_JMP`.
    case jmp = 5
    /// Jumps comparing the low 32 bits (cpu v3). Kernel: `BPF_JMP32`.
    case jmp32 = 6
    /// 64-bit arithmetic. Kernel: `BPF_ALU64`.
    case alu64 = 7

    /// `alu` or `alu64`: the opcode's high nibble is an `ALUOperation`.
    public var isALU: Bool { self == .alu || self == .alu64 }
    /// `jmp` or `jmp32`: the opcode's high nibble is a `JumpOperation`.
    public var isJump: Bool { self == .jmp || self == .jmp32 }
    /// `ld`, `ldx`, `st` or `stx`: the opcode carries a `Mode` and an `AccessSize`.
    public var isLoadStore: Bool { rawValue < 4 }
  }

  /// Access size of loads and stores. Kernel: `BPF_W`, `BPF_H`, `BPF_B`, `BPF_DW`.
  public enum AccessSize: UInt8, Sendable, Hashable, BitwiseCopyable {
    /// 4 bytes. Kernel: `BPF_W`.
    case word = 0x00
    /// 2 bytes. Kernel: `BPF_H`.
    case halfWord = 0x08
    /// 1 byte. Kernel: `BPF_B`.
    case byte = 0x10
    /// 8 bytes. Kernel: `BPF_DW`.
    case doubleWord = 0x18

    /// Width in bytes.
    public var byteCount: Int {
      switch self {
      case .byte: 1
      case .halfWord: 2
      case .word: 4
      case .doubleWord: 8
      }
    }
  }

  /// Addressing mode of loads and stores (the high 3 bits).
  ///
  /// A raw value: modes 0xa0 and 0xe0 have no meaning but still round-trip.
  public struct Mode: RawRepresentable, Sendable, Hashable, BitwiseCopyable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0xe0 }
    /// Kernel: `BPF_IMM` (only `ld_imm64`).
    public static let immediate = Mode(rawValue: 0x00)
    /// Kernel: `BPF_ABS` (legacy packet access).
    public static let absolute = Mode(rawValue: 0x20)
    /// Kernel: `BPF_IND` (legacy packet access).
    public static let indirect = Mode(rawValue: 0x40)
    /// Kernel: `BPF_MEM`.
    public static let memory = Mode(rawValue: 0x60)
    /// Kernel: `BPF_MEMSX` (sign-extending loads, cpu v4).
    public static let memorySignExtend = Mode(rawValue: 0x80)
    /// Kernel: `BPF_ATOMIC`.
    public static let atomic = Mode(rawValue: 0xc0)
  }

  /// The operation nibble of ALU and ALU64 opcodes.
  public enum ALUOperation: UInt8, Sendable, Hashable, BitwiseCopyable {
    /// `dst += src`. Kernel: `BPF_ADD`.
    case add = 0x00
    /// `dst -= src`. Kernel: `BPF_SUB`.
    case sub = 0x10
    /// `dst *= src`. Kernel: `BPF_MUL`.
    case mul = 0x20
    /// `dst /= src`, unsigned (signed `sdiv` when the offset is 1, cpu v4).
    /// Kernel: `BPF_DIV`.
    case div = 0x30
    /// `dst |= src`. Kernel: `BPF_OR`.
    case or = 0x40
    /// `dst &= src`. Kernel: `BPF_AND`.
    case and = 0x50
    /// `dst <<= src`. Kernel: `BPF_LSH`.
    case lsh = 0x60
    /// `dst >>= src`, logical. Kernel: `BPF_RSH`.
    case rsh = 0x70
    /// `dst = -dst` (immediate form only). Kernel: `BPF_NEG`.
    case neg = 0x80
    /// `dst %= src`, unsigned (signed `smod` when the offset is 1, cpu v4).
    /// Kernel: `BPF_MOD`.
    case mod = 0x90
    /// `dst ^= src`. Kernel: `BPF_XOR`.
    case xor = 0xa0
    /// `dst = src` (sign-extending `movsx` when the offset is 8, 16 or 32,
    /// cpu v4). Kernel: `BPF_MOV`.
    case mov = 0xb0
    /// `dst >>= src`, arithmetic (sign-filling). Kernel: `BPF_ARSH`.
    case arsh = 0xc0
    /// Byte swap. Kernel: `BPF_END`.
    case end = 0xd0
  }

  /// The operation nibble of JMP and JMP32 opcodes.
  public enum JumpOperation: UInt8, Sendable, Hashable, BitwiseCopyable {
    /// Jump always (`gotol` with a 32-bit offset in `jmp32`). Kernel: `BPF_JA`.
    case ja = 0x00
    /// Jump if `dst == src`. Kernel: `BPF_JEQ`.
    case jeq = 0x10
    /// Jump if `dst > src`, unsigned. Kernel: `BPF_JGT`.
    case jgt = 0x20
    /// Jump if `dst >= src`, unsigned. Kernel: `BPF_JGE`.
    case jge = 0x30
    /// Jump if `dst & src` is not zero. Kernel: `BPF_JSET`.
    case jset = 0x40
    /// Jump if `dst != src`. Kernel: `BPF_JNE`.
    case jne = 0x50
    /// Jump if `dst > src`, signed. Kernel: `BPF_JSGT`.
    case jsgt = 0x60
    /// Jump if `dst >= src`, signed. Kernel: `BPF_JSGE`.
    case jsge = 0x70
    /// Call a helper, a BPF function or a kfunc (by immediate; `callx` by
    /// register). Kernel: `BPF_CALL`.
    case call = 0x80
    /// Return `r0`. Kernel: `BPF_EXIT`.
    case exit = 0x90
    /// Jump if `dst < src`, unsigned. Kernel: `BPF_JLT`.
    case jlt = 0xa0
    /// Jump if `dst <= src`, unsigned. Kernel: `BPF_JLE`.
    case jle = 0xb0
    /// Jump if `dst < src`, signed. Kernel: `BPF_JSLT`.
    case jslt = 0xc0
    /// Jump if `dst <= src`, signed. Kernel: `BPF_JSLE`.
    case jsle = 0xd0
    /// Kernel: `BPF_JCOND` (`may_goto`).
    case jcond = 0xe0
  }
}
