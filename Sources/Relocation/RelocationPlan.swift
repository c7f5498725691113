import BTF
import Instructions

/// Phase one's output: every decision, ready to apply.
public struct RelocationPlan: Sendable {
  /// One per CO-RE record, in `.BTF.ext` order.
  public var decisions: [RelocationDecision]

  /// A plan of these decisions (as `CORERelocator.plan` makes it).
  public init(decisions: [RelocationDecision]) { self.decisions = decisions }

  /// The errors of failed decisions, in order.
  public var failures: [RelocationError] {
    decisions.compactMap { if case .failed(let e) = $0.result { e } else { nil } }
  }

  /// Phase two: the code with every decision applied.
  ///
  /// Throws the first failed decision's error (nothing is half-applied), or
  /// `instructionChanged` when the code is not what the plan saw.
  public func apply(to code: [CodeSection]) throws(RelocationError) -> [CodeSection] {
    if let failure = failures.first { throw failure }
    var bySection = [String: [RelocationDecision]]()
    for decision in decisions { bySection[decision.section, default: []].append(decision) }
    var result = code
    for (position, section) in code.enumerated() {
      guard let list = bySection.removeValue(forKey: section.name) else { continue }
      result[position].instructions = try Self.patch(section, list)
    }
    if let (name, list) = bySection.first, let decision = list.first {
      throw .unknownSection(RelocationSite(section: name, record: decision.record,
                                           instructionOffset: UInt32(decision.sectionSlot * 8)))
    }
    return result
  }

  private static func patch(_ section: CodeSection, _ decisions: [RelocationDecision])
    throws(RelocationError) -> InstructionSequence
  {
    let sequence = section.instructions
    var replaced = [Int: [Instruction]]()
    for decision in decisions {
      let site = RelocationSite(section: section.name, record: decision.record,
                                instructionOffset: UInt32(decision.sectionSlot * 8))
      guard let index = sequence.instructionIndex(atSlot: decision.sectionSlot), let original = decision.original else {
        throw .instructionOutOfRange(site, sectionSlots: sequence.slotCount)
      }
      let current = replaced[index] ?? [sequence[index]]
      guard current == [original] else {
        throw .instructionChanged(site, expected: original.description,
                                  found: current.map(\.description).joined(separator: "; "))
      }
      replaced[index] = decision.replacement
    }
    var instructions = [Instruction]()
    instructions.reserveCapacity(sequence.count + replaced.count)
    for (index, insn) in sequence.instructions.enumerated() {
      if let replacement = replaced[index] {
        instructions.append(contentsOf: replacement)
      } else {
        instructions.append(insn)
      }
    }
    return InstructionSequence(instructions)
  }
}

extension CORERelocator {
  /// Both phases for a whole object: decisions for every CO-RE record in
  /// `ext`, and the patched code. Use `plan` and `apply` separately to
  /// report decisions even when one fails.
  ///
  /// - Parameters:
  ///   - code: every code section that has CO-RE records; when a section's
  ///     `functions` is empty, its functions come from `ext`'s func_info.
  ///   - ext: the object's `.BTF.ext`: its CO-RE records, and func_info.
  /// - Throws: the first failed decision's `RelocationError`, as `apply`
  ///   does; nothing is half-applied.
  public func relocate(code: [CodeSection], extension ext: BTF.Extension)
    throws(RelocationError) -> (decisions: [RelocationDecision], code: [CodeSection])
  {
    let named = code.map { section in
      section.functions.isEmpty
        ? CodeSection(id: section.id, name: section.name, instructions: section.instructions,
                      functions: section.functionsFromFunctionInfo(ext, btf: local))
        : section
    }
    let plan = plan(code: named, extension: ext)
    return (plan.decisions, try plan.apply(to: code))
  }
}
