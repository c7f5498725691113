import UAPI

/// Decoding instructions from the bytes of a code section, and encoding them
/// back, in either byte order.
///
/// Little endian (`bpfel`) puts `dst_reg` in the low nibble of byte 1;
/// big endian (`bpfeb`) puts it in the high nibble, and stores `off` and
/// `imm` big endian. Encoding gives back the decoded bytes exactly.
extension Instruction {
  /// Decodes a whole code section.
  ///
  /// Allocates the result array once; nothing per instruction.
  public static func decode(_ bytes: RawSpan, order: ByteOrder) throws(InstructionError) -> [Instruction] {
    let count = bytes.byteCount
    guard count % 8 == 0 else { throw .truncated(slot: count / 8, byteCount: count) }
    var result: [Instruction] = []
    result.reserveCapacity(count / 8)
    var slot = 0
    let slots = count / 8
    while slot < slots {
      let insn = try decodeOne(bytes, slot: slot, slotsAvailable: slots - slot, order: order)
      result.append(insn)
      slot += insn.slotCount
    }
    return result
  }

  /// Decodes a whole code section from an array.
  public static func decode(_ bytes: [UInt8], order: ByteOrder) throws(InstructionError) -> [Instruction] {
    try decode(bytes.span.bytes, order: order)
  }

  /// Decodes a whole code section from memory someone else owns (a libelf
  /// buffer, a mapped file).
  public static func decode(
    _ buffer: UnsafeRawBufferPointer, order: ByteOrder
  ) throws(InstructionError) -> [Instruction] {
    try decode(buffer.bytes, order: order)
  }

  /// Decodes the instruction that starts at `slot` (an 8-byte slot index).
  public static func decode(
    _ bytes: RawSpan, atSlot slot: Int, order: ByteOrder
  ) throws(InstructionError) -> Instruction {
    let count = bytes.byteCount
    guard slot >= 0, slot < count / 8 else {
      throw .truncated(slot: max(slot, 0), byteCount: count)
    }
    return try decodeOne(bytes, slot: slot, slotsAvailable: count / 8 - slot, order: order)
  }

  /// The caller guarantees `slotsAvailable >= 1` whole slots at `slot`.
  @inline(__always)
  static func decodeOne(
    _ bytes: RawSpan, slot: Int, slotsAvailable: Int, order: ByteOrder
  ) throws(InstructionError) -> Instruction {
    let base = slot &* 8
    let (code, regs, off, imm) = fields(bytes, at: base, order)
    let opcode = Opcode(rawValue: code)
    guard opcode.isKnown else { throw .unknownOpcode(code, slot: slot) }
    let (dst, src) = order == .little ? (regs & 0x0f, regs >> 4) : (regs >> 4, regs & 0x0f)
    var value = Int64(imm)
    if opcode.isWideLoad {
      guard slotsAvailable >= 2 else { throw .missingSecondHalf(slot: slot) }
      let (code2, regs2, off2, imm2) = fields(bytes, at: base &+ 8, order)
      guard code2 == 0, regs2 == 0, off2 == 0 else {
        throw .malformedSecondHalf(slot: slot, opcode: code2, registers: regs2, offset: off2)
      }
      value = Int64(bitPattern: UInt64(UInt32(bitPattern: imm2)) << 32 | UInt64(UInt32(bitPattern: imm)))
    }
    return Instruction(
      opcode: opcode, destination: Register(rawValue: dst), source: Register(rawValue: src),
      offset: off, immediate: value)
  }

  /// The four raw fields of the 8-byte slot at byte `offset` (in bounds).
  @inline(__always)
  static func fields(_ bytes: RawSpan, at offset: Int, _ order: ByteOrder) -> (UInt8, UInt8, Int16, Int32) {
    let code = bytes.unsafeLoad(fromByteOffset: offset, as: UInt8.self)
    let regs = bytes.unsafeLoad(fromByteOffset: offset &+ 1, as: UInt8.self)
    let off = bytes.unsafeLoadUnaligned(fromByteOffset: offset &+ 2, as: UInt16.self)
    let imm = bytes.unsafeLoadUnaligned(fromByteOffset: offset &+ 4, as: UInt32.self)
    if order == .little {
      return (code, regs, Int16(bitPattern: UInt16(littleEndian: off)), Int32(bitPattern: UInt32(littleEndian: imm)))
    } else {
      return (code, regs, Int16(bitPattern: UInt16(bigEndian: off)), Int32(bitPattern: UInt32(bigEndian: imm)))
    }
  }

  /// Appends this instruction's 8 or 16 bytes.
  public func encode(into bytes: inout [UInt8], order: ByteOrder) {
    let regs = order == .little
      ? destination.rawValue | source.rawValue << 4
      : destination.rawValue << 4 | source.rawValue
    Self.appendSlot(&bytes, opcode.rawValue, regs, UInt16(bitPattern: offset), UInt32(truncatingIfNeeded: immediate), order)
    if opcode.isWideLoad {
      Self.appendSlot(&bytes, 0, 0, 0, UInt32(truncatingIfNeeded: UInt64(bitPattern: immediate) >> 32), order)
    }
  }

  /// This instruction's bytes.
  public func encoded(order: ByteOrder) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(slotCount * 8)
    encode(into: &bytes, order: order)
    return bytes
  }

  /// Encodes a sequence of instructions back into code-section bytes.
  public static func encode(_ instructions: some Sequence<Instruction>, order: ByteOrder) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(instructions.underestimatedCount * 8)
    for insn in instructions { insn.encode(into: &bytes, order: order) }
    return bytes
  }

  @inline(__always)
  static func appendSlot(
    _ bytes: inout [UInt8], _ code: UInt8, _ regs: UInt8, _ off: UInt16, _ imm: UInt32, _ order: ByteOrder
  ) {
    bytes.append(code)
    bytes.append(regs)
    if order == .little {
      bytes.append(UInt8(truncatingIfNeeded: off))
      bytes.append(UInt8(truncatingIfNeeded: off >> 8))
      for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: imm >> UInt32(shift))) }
    } else {
      bytes.append(UInt8(truncatingIfNeeded: off >> 8))
      bytes.append(UInt8(truncatingIfNeeded: off))
      for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: imm >> UInt32(shift))) }
    }
  }
}
