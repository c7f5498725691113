import UAPI

/// Decoded instructions of one code section (or program) with the map
/// between instruction indexes and 8-byte slot indexes.
///
/// Users see slot indexes, as the kernel, the verifier log and
/// llvm-objdump number instructions; `ld_imm64` takes two slots, so the two
/// numberings drift apart after the first one.
public struct InstructionSequence: Hashable, Sendable, RandomAccessCollection {
  /// The instructions, one per logical instruction.
  public private(set) var instructions: [Instruction]
  /// `slotStarts[i]` = slot index of instruction `i`; one extra entry at the
  /// end holds the total slot count.
  private var slotStarts: [Int32]

  /// The instructions in order, with their slot indexes computed (`ld_imm64`
  /// takes two slots).
  public init(_ instructions: [Instruction]) {
    self.instructions = instructions
    var starts: [Int32] = []
    starts.reserveCapacity(instructions.count + 1)
    var slot: Int32 = 0
    for insn in instructions {
      starts.append(slot)
      slot &+= Int32(insn.slotCount)
    }
    starts.append(slot)
    self.slotStarts = starts
  }

  /// Decodes code-section bytes.
  public init(decoding bytes: RawSpan, order: ByteOrder) throws(InstructionError) {
    self.init(try Instruction.decode(bytes, order: order))
  }

  /// Decodes code-section bytes from an array.
  public init(decoding bytes: [UInt8], order: ByteOrder) throws(InstructionError) {
    self.init(try Instruction.decode(bytes, order: order))
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { instructions.count }
  public subscript(index: Int) -> Instruction { instructions[index] }

  /// Total 8-byte slots (byte size / 8).
  public var slotCount: Int { Int(slotStarts[instructions.count]) }

  /// The slot index of instruction `index` (`index == count` gives `slotCount`).
  public func slot(ofInstruction index: Int) -> Int { Int(slotStarts[index]) }

  /// The instruction that starts at `slot`, or nil when `slot` is outside the
  /// sequence or is the second half of an `ld_imm64`. Binary search.
  public func instructionIndex(atSlot slot: Int) -> Int? {
    guard slot >= 0, slot < slotCount else { return nil }
    var low = 0
    var high = instructions.count
    while low < high {
      let mid = (low + high) / 2
      if Int(slotStarts[mid]) < slot { low = mid + 1 } else { high = mid }
    }
    return low < instructions.count && Int(slotStarts[low]) == slot ? low : nil
  }

  /// The bytes again, exactly as decoded.
  public func encoded(order: ByteOrder) -> [UInt8] {
    Instruction.encode(instructions, order: order)
  }

  /// Replaces an instruction with one of the same slot count (patching a
  /// relocation keeps the slot map valid). Returns false, changing nothing,
  /// when the slot counts differ or the index is out of range.
  @discardableResult
  public mutating func replace(at index: Int, with instruction: Instruction) -> Bool {
    guard instructions.indices.contains(index),
      instructions[index].slotCount == instruction.slotCount
    else { return false }
    instructions[index] = instruction
    return true
  }
}
