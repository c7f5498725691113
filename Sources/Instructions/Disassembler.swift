/// Prints instructions exactly as llvm-objdump -d (LLVM 21) prints BPF.
///
/// The text follows llvm's decoder, not the kernel's checks: fields llvm
/// ignores for an instruction (the `src_reg` of `r1 += 5`, the `imm` of
/// `r1 += r2`, the offset of `call`) do not change the text, and field
/// values llvm has no instruction for (a register above r11, an ALU offset
/// other than the sdiv/smod/movsx ones, `exit` with an immediate, an
/// `ld_imm64` with an offset, a byte swap of 8 bits) print `<unknown>` as
/// llvm-objdump does.
///
/// Branch targets get a label from the caller: `label(targetSlot)` returns
/// the text shown between `<` and `>` (such as `prog+0x80` or `LBB0_3`), or
/// nil for none. `SymbolTable.label(forSlot:)` computes the llvm-objdump
/// label from a section's symbols.
public enum Disassembler {
  /// The text llvm-objdump prints for an instruction that it cannot decode.
  public static let unknown = "<unknown>"

  /// The instruction's text, as llvm-objdump prints it after the bytes.
  ///
  /// - Parameters:
  ///   - insn: the decoded instruction (`ld_imm64` as one value).
  ///   - slot: the instruction's slot index in its section (jump targets
  ///     are computed from it).
  ///   - label: the label for a jump target slot, without the angle brackets.
  public static func text(
    _ insn: Instruction, at slot: Int, label: (Int) -> String? = { _ in nil }
  ) -> String {
    let opcode = insn.opcode
    switch opcode.instructionClass {
    case .alu, .alu64: return alu(insn)
    case .jmp, .jmp32: return jump(insn, at: slot, label: label)
    case .ld: return ld(insn)
    case .ldx: return ldx(insn)
    case .st: return st(insn)
    case .stx: return stx(insn)
    }
  }

  // MARK: ALU

  static func alu(_ insn: Instruction) -> String {
    let opcode = insn.opcode
    let wide = opcode.instructionClass == .alu64
    let d = insn.destination.rawValue
    let s = insn.source.rawValue
    let x = opcode.usesRegisterSource
    let imm = insn.immediate32
    let off = insn.offset
    guard d <= 11 else { return unknown }
    let dst = reg(d, wide)
    guard let operation = opcode.aluOperation else { return unknown }
    switch operation {
    case .neg:
      return x ? unknown : "\(dst) = -\(dst)"
    case .end:
      guard imm == 16 || imm == 32 || imm == 64 else { return unknown }
      let name: String
      if wide {
        guard !x else { return unknown }
        name = "bswap"
      } else {
        name = x ? "be" : "le"
      }
      return "r\(d) = \(name)\(imm) r\(d)"
    case .mov:
      guard x else { return off == 0 ? "\(dst) = \(hex(imm))" : unknown }
      guard s <= 11 else { return unknown }
      let src = reg(s, wide)
      switch off {
      case 0: return "\(dst) = \(src)"
      case 8, 16: return "\(dst) = (s\(off))\(src)"
      case 32 where wide: return "\(dst) = (s32)\(src)"
      case 1 where wide:
        let bits = UInt32(bitPattern: imm)
        return "\(dst) = addr_space_cast(\(src), \(hex(UInt64(bits >> 16))), \(hex(UInt64(bits & 0xffff))))"
      default: return unknown
      }
    default:
      let symbol: String
      switch (operation, off) {
      case (.add, 0): symbol = "+="
      case (.sub, 0): symbol = "-="
      case (.mul, 0): symbol = "*="
      case (.div, 0): symbol = "/="
      case (.div, 1): symbol = "s/="
      case (.or, 0): symbol = "|="
      case (.and, 0): symbol = "&="
      case (.lsh, 0): symbol = "<<="
      case (.rsh, 0): symbol = ">>="
      case (.mod, 0): symbol = "%="
      case (.mod, 1): symbol = "s%="
      case (.xor, 0): symbol = "^="
      case (.arsh, 0): symbol = "s>>="
      default: return unknown
      }
      if x {
        guard s <= 11 else { return unknown }
        return "\(dst) \(symbol) \(reg(s, wide))"
      }
      return "\(dst) \(symbol) \(hex(imm))"
    }
  }

  // MARK: Jumps

  static func jump(_ insn: Instruction, at slot: Int, label: (Int) -> String?) -> String {
    let opcode = insn.opcode
    let wide = opcode.instructionClass == .jmp
    let d = insn.destination.rawValue
    let s = insn.source.rawValue
    let x = opcode.usesRegisterSource
    let imm = insn.immediate32
    let off = Int(insn.offset)
    guard let operation = opcode.jumpOperation else { return unknown }

    func target(_ delta: Int) -> String {
      let text = delta < 0 ? "-0x" + String(delta.magnitude, radix: 16) : "+0x" + String(delta, radix: 16)
      if let name = label(slot &+ 1 &+ delta) { return text + " <" + name + ">" }
      return text
    }

    let condition: String
    switch operation {
    case .ja:
      guard !x else { return unknown }
      return wide ? "goto " + target(off) : "gotol " + target(Int(imm))
    case .call:
      guard wide else { return unknown }
      if x { return d <= 11 ? "callx r\(d)" : unknown }
      return "call \(hex(imm))"
    case .exit:
      return wide && !x && imm == 0 ? "exit" : unknown
    case .jcond:
      return wide && !x ? "may_goto " + target(off) : unknown
    case .jeq: condition = "=="
    case .jgt: condition = ">"
    case .jge: condition = ">="
    case .jset: condition = "&"
    case .jne: condition = "!="
    case .jsgt: condition = "s>"
    case .jsge: condition = "s>="
    case .jlt: condition = "<"
    case .jle: condition = "<="
    case .jslt: condition = "s<"
    case .jsle: condition = "s<="
    }
    guard d <= 11 else { return unknown }
    let rhs: String
    if x {
      guard s <= 11 else { return unknown }
      rhs = reg(s, wide)
    } else {
      rhs = hex(imm)
    }
    return "if \(reg(d, wide)) \(condition) \(rhs) goto " + target(off)
  }

  // MARK: Loads and stores

  static func ld(_ insn: Instruction) -> String {
    let opcode = insn.opcode
    let d = insn.destination.rawValue
    let s = insn.source.rawValue
    if opcode.isWideLoad {
      guard insn.offset == 0, d <= 11 else { return unknown }
      if s == 0 { return "r\(d) = \(hex(insn.immediate)) ll" }
      let low = UInt32(truncatingIfNeeded: insn.immediate)
      return "ld_pseudo\tr\(d), \(hex(UInt64(s))), \(hex(UInt64(low)))"
    }
    guard opcode.size != .doubleWord else { return unknown }
    let size = unsignedName(opcode.size)
    switch opcode.mode {
    case .absolute:
      return "r0 = *(\(size) *)skb[\(hex(insn.immediate32))]"
    case .indirect:
      return s <= 11 ? "r0 = *(\(size) *)skb[r\(s)]" : unknown
    default:
      return unknown
    }
  }

  static func ldx(_ insn: Instruction) -> String {
    let opcode = insn.opcode
    let d = insn.destination.rawValue
    let s = insn.source.rawValue
    guard d <= 11, s <= 11 else { return unknown }
    let address = memory(s, insn.offset)
    switch opcode.mode {
    case .memory:
      let dst = opcode.size == .doubleWord ? "r\(d)" : "w\(d)"
      return "\(dst) = *(\(unsignedName(opcode.size)) *)(\(address))"
    case .memorySignExtend where opcode.size != .doubleWord:
      return "r\(d) = *(s\(opcode.size.byteCount * 8) *)(\(address))"
    default:
      return unknown
    }
  }

  static func st(_ insn: Instruction) -> String {
    let opcode = insn.opcode
    let d = insn.destination.rawValue
    guard opcode.mode == .memory, d <= 11 else { return unknown }
    return "*(\(unsignedName(opcode.size)) *)(\(memory(d, insn.offset))) = \(hex(insn.immediate32))"
  }

  static func stx(_ insn: Instruction) -> String {
    let opcode = insn.opcode
    let d = insn.destination.rawValue
    let s = insn.source.rawValue
    guard d <= 11, s <= 11 else { return unknown }
    let size = opcode.size
    let sizeName = unsignedName(size)
    let r = size == .doubleWord ? "r" : "w"
    let address = memory(d, insn.offset)
    if opcode.mode == .memory {
      return "*(\(sizeName) *)(\(address)) = \(r)\(s)"
    }
    guard opcode.mode == .atomic else { return unknown }
    // llvm decodes the atomic operation from imm bits 4-7 (operation),
    // 0-3 (fetch when exactly 1) and 8 (acquire/release); other bits are
    // ignored.
    let bits = UInt32(bitPattern: insn.immediate32)
    let operation = (bits >> 4) & 0xf
    let fetch = bits & 0xf == 1
    let ordered = bits & 0x100 != 0
    let acquire = "\(r)\(d) = load_acquire((\(sizeName) *)(\(memory(s, insn.offset))))"
    let release = "store_release((\(sizeName) *)(\(address)), \(r)\(s))"
    guard size == .word || size == .doubleWord else {
      guard ordered else { return unknown }
      switch operation {
      case 0: return acquire
      case 1: return release
      default: return unknown
      }
    }
    let value = "\(r)\(s)"
    func arithmetic(_ symbol: String, _ name: String) -> String {
      fetch
        ? "\(value) = atomic_fetch_\(name)((\(sizeName) *)(\(address)), \(value))"
        : "lock *(\(sizeName) *)(\(address)) \(symbol)= \(value)"
    }
    let wide = size == .doubleWord
    switch operation {
    case 0x0:
      if fetch { return arithmetic("+", "add") }
      return ordered ? acquire : arithmetic("+", "add")
    case 0x1: return ordered ? release : unknown
    case 0x4: return arithmetic("|", "or")
    case 0x5: return arithmetic("&", "and")
    case 0xa: return arithmetic("^", "xor")
    case 0xe:
      guard fetch else { return unknown }
      return wide ? "r\(s) = xchg_64(\(address), r\(s))" : "w\(s) = xchg32_32(\(address), w\(s))"
    case 0xf:
      guard fetch else { return unknown }
      return wide
        ? "r0 = cmpxchg_64(\(address), r0, r\(s))" : "w0 = cmpxchg32_32(\(address), w0, w\(s))"
    default: return unknown
    }
  }

  // MARK: Formatting pieces

  @inline(__always)
  static func reg(_ number: UInt8, _ wide: Bool) -> String { wide ? "r\(number)" : "w\(number)" }

  static func unsignedName(_ size: Opcode.AccessSize) -> String { "u\(size.byteCount * 8)" }

  /// `r1 + 0x8` / `r10 - 0x8`.
  static func memory(_ base: UInt8, _ offset: Int16) -> String {
    offset < 0
      ? "r\(base) - 0x" + String(offset.magnitude, radix: 16)
      : "r\(base) + 0x" + String(offset, radix: 16)
  }

  /// llvm's signed hex: `0x5`, `-0x5`.
  static func hex(_ value: Int64) -> String {
    value < 0 ? "-0x" + String(value.magnitude, radix: 16) : "0x" + String(value, radix: 16)
  }

  static func hex(_ value: Int32) -> String { hex(Int64(value)) }

  static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}
