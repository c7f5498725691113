/// One executable section's instructions, decoded once, and the functions in it.
///
/// ELFReader builds one per executable section; CO-RE returns it patched
/// under the same `id`; the loader links programs from it.
public struct CodeSection: Sendable, Hashable {
  /// The section's header index: the key of this code from ELFReader through
  /// CO-RE to the linker.
  public var id: SectionID
  /// The ELF section name, as `.BTF.ext` names it (`"raw_tp"`, `".text"`).
  public var name: String
  /// The section's instructions, decoded once (slot 0 is the section start).
  public var instructions: InstructionSequence
  /// The functions, sorted by start slot; empty means "one function named
  /// after the section".
  public var functions: [Function]

  /// A section; `functions` are sorted by start slot here, in any order given.
  public init(id: SectionID, name: String, instructions: InstructionSequence, functions: [Function] = []) {
    self.id = id
    self.name = name
    self.instructions = instructions
    self.functions = functions.sorted { $0.slot < $1.slot }
  }

  /// The function holding `slot` and the slot's index inside it.
  public func function(containing slot: Int) -> (name: String, slot: Int) {
    // Binary search for the last function starting at or before `slot`.
    var low = 0, high = functions.count
    while low < high {
      let mid = (low + high) / 2
      if functions[mid].slot <= slot { low = mid + 1 } else { high = mid }
    }
    guard low > 0 else { return (name, slot) }
    let function = functions[low - 1]
    return (function.name, slot - function.slot)
  }

  /// The instructions of `function`, nil when it does not start and end at
  /// instruction boundaries of this section (an end that splits an `ld_imm64`).
  public func instructions(of function: Function) -> ArraySlice<Instruction>? {
    guard let first = instructions.instructionIndex(atSlot: function.slot) else { return nil }
    let endSlot = function.slot + function.slotCount
    let last = endSlot >= instructions.slotCount ? instructions.count : instructions.instructionIndex(atSlot: endSlot)
    guard let last, last >= first else { return nil }
    return instructions.instructions[first ..< last]
  }
}
