/// Why bytes are not a valid instruction stream. Every case names the
/// 8-byte slot index (as the kernel and llvm-objdump number instructions).
public enum InstructionError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The byte count is not a multiple of 8: `slot` is where the partial
  /// slot starts, `byteCount` the total length.
  case truncated(slot: Int, byteCount: Int)
  /// An `ld_imm64` at `slot` is the last slot: its second half is missing.
  case missingSecondHalf(slot: Int)
  /// The second half of the `ld_imm64` at `slot` has a nonzero opcode,
  /// register or offset field (the kernel requires them zero).
  case malformedSecondHalf(slot: Int, opcode: UInt8, registers: UInt8, offset: Int16)
  /// No instruction has this opcode byte.
  case unknownOpcode(UInt8, slot: Int)

  /// The slot index the error is about.
  public var slot: Int {
    switch self {
    case .truncated(let slot, _), .missingSecondHalf(let slot),
      .malformedSecondHalf(let slot, _, _, _), .unknownOpcode(_, let slot):
      slot
    }
  }

  /// The message for a user: the instruction slot and what does not decode. The
  /// CLI prints it after `swiftbpf: ` (on one line), and as `message` in
  /// `--json` errors.
  public var description: String {
    switch self {
    case .truncated(let slot, let count):
      "instruction \(slot): truncated, \(count) bytes is not a multiple of 8"
    case .missingSecondHalf(let slot):
      "instruction \(slot): ld_imm64 is missing its second half"
    case .malformedSecondHalf(let slot, let opcode, let registers, let offset):
      "instruction \(slot): second half of ld_imm64 must have zero opcode, registers and offset"
        + " (found opcode \(Opcode(rawValue: opcode)), registers 0x\(String(registers, radix: 16)), offset \(offset))"
    case .unknownOpcode(let opcode, let slot):
      "instruction \(slot): unknown opcode \(Opcode(rawValue: opcode))"
    }
  }
}
