import BTF
import ELFReader
import Instructions
import Relocation

/// One program's code as the kernel gets it: the program's own
/// instructions, then every subprogram it reaches (calls and callback
/// addresses, transitively), with call offsets fixed, and the func_info,
/// line_info, relocations and CO-RE notes moved along.
struct LinkedProgram {
  /// A function placed in the program.
  struct Placement {
    var name: String
    var section: SectionID
    var sectionName: String
    /// First slot in its section and in the program.
    var sectionSlot: Int
    var slotCount: Int
    var programSlot: Int
  }

  var instructions: [Instruction]
  /// Slot of each instruction in the program.
  var slots: [Int]
  var placements: [Placement]
  /// Relocations with the program slot of the instruction they patch.
  var relocations: [(slot: Int, relocation: Relocation)]
  /// `(instruction slot, FUNC type id)`.
  var functionInfo: [(slot: Int, type: BTF.TypeID)]
  var lineInfo: [(slot: Int, record: BTF.LineInfo)]
  /// CO-RE notes (poisoned or failed relocations) at program slots.
  var notes: [Int: RelocationNote] = [:]
  /// Failed CO-RE relocations of each placed function, by placement: a
  /// failure belongs to the function starting at or before its slot (a
  /// malformed record may point past the function's end).
  var coreFailures: [(function: String, error: RelocationError, record: Int)] = []

  /// Index of the instruction at `slot`, by binary search.
  func index(ofSlot slot: Int) -> Int? {
    var low = 0, high = slots.count
    while low < high {
      let mid = (low + high) / 2
      if slots[mid] < slot { low = mid + 1 } else { high = mid }
    }
    return low < slots.count && slots[low] == slot ? low : nil
  }
}

/// Links programs with the subprograms they use.
struct ProgramLinker {
  /// Where a function starts: its section and first slot there.
  struct Key: Hashable {
    var section: SectionID
    var slot: Int
  }

  let file: ObjectFile
  /// Code per section, after CO-RE, with its notes.
  let code: RelocatedCode
  let ext: BTF.Extension?
  var functions: [Key: Function] = [:]

  init(file: ObjectFile, code: RelocatedCode, ext: BTF.Extension?) {
    self.file = file
    self.code = code
    self.ext = ext
    // Programs first, then subprograms, as the object lists them: at a slot
    // two symbols share, the later one names the function.
    for f in file.programs + file.subprograms {
      functions[Key(section: f.section, slot: f.slot)] = f
    }
  }

  /// The instructions of `function` from the (relocated) section code.
  func instructions(of function: Function) throws(LoadError) -> ArraySlice<Instruction> {
    guard let section = code.sections[function.section], section.instructions.instructionIndex(atSlot: function.slot) != nil
    else {
      throw .relocation(program: function.name, reason: "its code is not in section \(function.sectionName)")
    }
    guard let instructions = section.instructions(of: function) else {
      throw .relocation(program: function.name, reason: "its end splits an ld_imm64")
    }
    return instructions
  }

  /// `exceptionCallback`: a subprogram to place after all the program
  /// reaches, unless already placed (`ExceptionCallback`).
  func link(program: Function, exceptionCallback: Function? = nil) throws(LoadError) -> LinkedProgram {
    guard let main = functions[Key(section: program.section, slot: program.slot)] else {
      throw .relocation(program: program.name, reason: "not found among the object's functions")
    }
    var result = LinkedProgram(instructions: [], slots: [], placements: [], relocations: [],
                               functionInfo: [], lineInfo: [])
    var placed = [Key: Int]()
    var pending = [main]
    var cursor = 0
    var slot = 0
    /// (instruction index in result, target key) for calls and callbacks to fix.
    var fixups = [(index: Int, target: Key)]()

    func place(_ f: Function) {
      placed[Key(section: f.section, slot: f.slot)] = slot
      result.placements.append(LinkedProgram.Placement(
        name: f.name, section: f.section, sectionName: f.sectionName, sectionSlot: f.slot,
        slotCount: f.slotCount, programSlot: slot))
      slot += f.slotCount
    }
    place(main)
    var appended = exceptionCallback

    while true {
      if cursor == pending.count {
        // All the program reaches is placed: then the exception callback,
        // which nothing calls, and what it calls.
        guard let callback = appended else { break }
        appended = nil
        let key = Key(section: callback.section, slot: callback.slot)
        guard placed[key] == nil, let function = functions[key] else { continue }
        place(function)
        pending.append(function)
      }
      let f = pending[cursor]
      cursor += 1
      let start = placed[Key(section: f.section, slot: f.slot)] ?? 0
      let relocs = file.relocations(of: f)
      var bySlot = [Int: Relocation]()
      for r in relocs { bySlot[r.slot] = r }
      var local = f.slot
      for insn in try instructions(of: f) {
        let programSlot = start + (local - f.slot)
        var target: Key?
        if let r = bySlot[local] {
          switch r.target {
          case .subprogramCall(let ref), .callbackAddress(let ref):
            target = Key(section: SectionID(ref.sectionIndex), slot: ref.slot)
          default:
            result.relocations.append((programSlot, r))
          }
        } else if insn.callSource == .subprogram {
          // A call within the section, already an offset: target = next slot + imm.
          target = Key(section: f.section, slot: local + 1 + Int(insn.immediate32))
        } else if insn.pseudoSource == .function {
          target = Key(section: f.section, slot: local + 1 + Int(insn.immediate32))
        }
        if let target {
          guard let callee = functions[target] else {
            throw .relocation(program: program.name,
                              reason: "\(f.name) calls slot \(target.slot) of section \(f.sectionName), where no function starts")
          }
          if placed[target] == nil {
            place(callee)
            pending.append(callee)
          }
          fixups.append((result.instructions.count, target))
        }
        result.instructions.append(insn)
        result.slots.append(programSlot)
        local += insn.slotCount
      }
    }
    // Instructions were appended function by function in placement order,
    // so slots ascend; fix call and callback offsets now that all are placed.
    for (index, target) in fixups {
      guard let to = placed[target] else { continue }
      var insn = result.instructions[index]
      insn.immediate = Int64(to - result.slots[index] - 1)
      if insn.opcode.isWideLoad {
        insn.source = Register(Instruction.PseudoSource.function)
      } else {
        insn.source = Register(Instruction.CallSource.subprogram)
      }
      result.instructions[index] = insn
    }
    if let ext { moveInfo(ext, into: &result) }
    moveNotes(into: &result)
    return result
  }

  /// The CO-RE notes of every placed function, at program slots; failures
  /// also by function, in placement order.
  private func moveNotes(into result: inout LinkedProgram) {
    for placement in result.placements {
      guard let notes = code.notes[placement.section], !notes.isEmpty else { continue }
      let end = placement.sectionSlot + placement.slotCount
      // The failures of the function are those up to the next function's start.
      let functionsAfter = code.sections[placement.section]?.functions.map(\.slot).filter { $0 > placement.sectionSlot }
      let failureEnd = functionsAfter?.min() ?? Int.max
      var first: (error: RelocationError, record: Int)?
      for (slot, note) in notes where slot >= placement.sectionSlot {
        if slot < end { result.notes[placement.programSlot + slot - placement.sectionSlot] = note }
        if let failure = note.failure, slot < failureEnd, failure.record < first?.record ?? Int.max {
          first = failure
        }
      }
      if let first { result.coreFailures.append((placement.name, first.error, first.record)) }
    }
  }

  /// func_info and line_info of every placed function, at program slots.
  private func moveInfo(_ ext: BTF.Extension, into result: inout LinkedProgram) {
    for placement in result.placements {
      // Byte offsets as .BTF.ext records them (u32); a section past 4 GiB
      // cannot be described there, so clamping loses nothing real.
      let lower = UInt32(clamping: placement.sectionSlot &* 8)
      let upper = UInt32(clamping: (placement.sectionSlot &+ placement.slotCount) &* 8)
      if let section = ext.functionInfo.first(where: { $0.name == placement.sectionName }) {
        for record in section.records where record.instructionOffset >= lower && record.instructionOffset < upper {
          result.functionInfo.append((placement.programSlot + record.instructionIndex - placement.sectionSlot, record.type))
        }
      }
      if let section = ext.lineInfo.first(where: { $0.name == placement.sectionName }) {
        for record in section.records where record.instructionOffset >= lower && record.instructionOffset < upper {
          result.lineInfo.append((placement.programSlot + record.instructionIndex - placement.sectionSlot, record))
        }
      }
    }
  }
}
