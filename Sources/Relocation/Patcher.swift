import BTF
import Instructions

/// Writes one resolution into one instruction, after checking that the
/// instruction holds what the compiler recorded.
///
/// Relocatable instructions: an ALU immediate (`r1 = 8`, `r1 += 8`), the
/// offset of a load or store (`r1 = *(u32 *)(r2 + 8)`, whose size also
/// follows the field's when that is safe), and the value of a plain
/// `ld_imm64`.
struct Patcher {
  let site: RelocationSite

  struct Patch {
    var instructions: [Instruction]
    /// What changed, for the report (or why it was poisoned).
    var note: String?
    /// The value the instruction held (nil when poisoned).
    var previous: UInt64? = nil
  }

  func patch(_ insn: Instruction, with r: inout Resolution) throws(RelocationError) -> Patch {
    if r.poison { return Self.poisoned(insn, note: nil) }
    var out = insn
    let text = insn.description
    switch insn.opcode.instructionClass {
    case .alu, .alu64:
      guard !insn.opcode.usesRegisterSource else {
        throw .unsupportedInstruction(site, instruction: text, reason: "the value must be an immediate operand")
      }
      if r.validate && !Self.immediate(insn.immediate32, holds: r.original) {
        throw .unexpectedValue(site, instruction: text, found: Int64(insn.immediate32), expected: r.original)
      }
      guard Self.fitsImmediate(r.new) else { throw .valueOutOfRange(site, value: r.new, field: "32-bit immediate") }
      out.immediate = Int64(Int32(truncatingIfNeeded: r.new))
      return Patch(instructions: [out], note: "imm \(insn.immediate32) -> \(out.immediate32)",
                   previous: UInt64(bitPattern: Int64(insn.immediate32)))
    case .ldx, .st, .stx:
      if r.validate && Int64(insn.offset) != Int64(bitPattern: r.original) {
        throw .unexpectedValue(site, instruction: text, found: Int64(insn.offset), expected: r.original)
      }
      guard r.new <= UInt64(Int16.max) else { throw .valueOutOfRange(site, value: r.new, field: "16-bit offset") }
      if r.badSizeChange {
        r.poison = true
        return Self.poisoned(insn, note: "the field is \(r.newSize) bytes in the target, \(r.originalSize) here, "
          + "and is not an unsigned integer or a pointer: a resized access would read a wrong value")
      }
      out.offset = Int16(r.new)
      var note = "off \(insn.offset) -> \(out.offset)"
      if r.newSize != r.originalSize {
        guard insn.opcode.size.byteCount == r.originalSize else {
          throw .unsupportedInstruction(
            site, instruction: text,
            reason: "accesses \(insn.opcode.size.byteCount) bytes of a \(r.originalSize)-byte field")
        }
        guard let size = Self.accessSize(bytes: r.newSize) else {
          throw .valueOutOfRange(site, value: UInt64(r.newSize), field: "access size (1, 2, 4 or 8 bytes)")
        }
        out.opcode = Opcode(rawValue: insn.opcode.rawValue & ~0x18 | size.rawValue)
        note += ", size \(r.originalSize) -> \(r.newSize)"
      }
      return Patch(instructions: [out], note: note, previous: UInt64(bitPattern: Int64(insn.offset)))
    case .ld:
      guard insn.pseudoSource == .value, insn.offset == 0 else {
        throw .unsupportedInstruction(site, instruction: text, reason: "only a plain ld_imm64 carries a value")
      }
      if r.validate && !Self.wide(insn.immediate, holds: r.original) {
        throw .unexpectedValue(site, instruction: text, found: insn.immediate, expected: r.original)
      }
      out.immediate = Int64(bitPattern: r.new)
      return Patch(instructions: [out], note: "imm64 \(UInt64(bitPattern: insn.immediate)) -> \(r.new)",
                   previous: UInt64(bitPattern: insn.immediate))
    case .jmp, .jmp32:
      throw .unsupportedInstruction(site, instruction: text, reason: "jumps and calls carry no relocatable value")
    }
  }

  /// The invalid-helper call(s) replacing `insn`: two for an `ld_imm64`,
  /// so the slot count (and every jump) stays the same.
  static func poisoned(_ insn: Instruction, note: String?) -> Patch {
    let call = Instruction.poisonCall
    return Patch(instructions: insn.opcode.isWideLoad ? [call, call] : [call], note: note)
  }

  /// The 32-bit immediate, sign-extended as the machine does, equals the
  /// value (or, for values that fit 32 unsigned bits, its low half does).
  static func immediate(_ imm: Int32, holds value: UInt64) -> Bool {
    if Int64(imm) == Int64(bitPattern: value) { return true }
    return value <= UInt64(UInt32.max) && UInt32(bitPattern: imm) == UInt32(value)
  }

  /// The 64-bit immediate equals the value; a 32-bit value also matches
  /// its sign extension (BTF before Linux 6.0 did not say whether an enum
  /// is signed, and compilers extended accordingly).
  static func wide(_ imm: Int64, holds value: UInt64) -> Bool {
    if UInt64(bitPattern: imm) == value { return true }
    return value <= UInt64(UInt32.max) && imm == Int64(Int32(truncatingIfNeeded: value))
  }

  /// Fits a 32-bit immediate as an unsigned or a negative signed value.
  static func fitsImmediate(_ value: UInt64) -> Bool {
    value <= UInt64(UInt32.max) || Int64(bitPattern: value) >= Int64(Int32.min)
  }

  static func accessSize(bytes: Int) -> Opcode.AccessSize? {
    switch bytes {
    case 1: .byte
    case 2: .halfWord
    case 4: .word
    case 8: .doubleWord
    default: nil
    }
  }
}
