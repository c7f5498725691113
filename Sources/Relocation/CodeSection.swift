import BTF
import Instructions

/// The BTF the program is relocated against: the kernel's (the base) or a
/// module's (split BTF on top of the base), with a name for reports.
public struct TargetBTF: Sendable {
  /// `"vmlinux"`, a module name, or the file it came from.
  public var name: String
  public var btf: BTF

  public init(name: String, btf: BTF) {
    self.name = name
    self.btf = btf
  }
}

/// A function inside a code section: where it starts, in 8-byte slots.
public struct FunctionSymbol: Sendable, Hashable {
  public var name: String
  /// First slot of the function in its section.
  public var slot: Int

  public init(name: String, slot: Int) {
    self.name = name
    self.slot = slot
  }

  /// The functions `.BTF.ext` func_info lists for a section: each record
  /// names a FUNC and its first instruction.
  public static func fromFunctionInfo(_ ext: BTF.Extension, btf: BTF, section: String) -> [FunctionSymbol] {
    guard let info = ext.functionInfo.first(where: { $0.name == section }) else { return [] }
    return info.records.map { record in
      FunctionSymbol(name: (try? btf.nameString(of: record.type)) ?? "func#\(record.type.rawValue)",
                     slot: record.instructionIndex)
    }.sorted { $0.slot < $1.slot }
  }
}

/// One ELF code section's instructions and the functions in it.
public struct CodeSection: Sendable, Hashable {
  /// The ELF section name, as `.BTF.ext` names it (`"raw_tp"`, `".text"`).
  public var name: String
  public var instructions: InstructionSequence
  /// The functions, sorted by start slot; empty means "one function named
  /// after the section".
  public var functions: [FunctionSymbol]

  public init(name: String, instructions: InstructionSequence, functions: [FunctionSymbol] = []) {
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
}
