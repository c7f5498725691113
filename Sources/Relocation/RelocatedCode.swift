import Instructions

/// What CO-RE leaves at one instruction besides the patch.
public enum RelocationNote: Sendable, Equatable {
  /// The instruction was poisoned (`call 0xbad2310`): the relocation, as a
  /// verifier report names it, `struct s.f (byte_off 0:1 @ offset 4): <reason>`.
  case poisoned(String)
  /// The record failed and the instruction was left as compiled: a program
  /// holding it must not be loaded. `record` is the record's index in its
  /// section's list, to report the first failure of a function.
  case failed(RelocationError, record: Int)

  /// The error of a failed relocation, nil for a poisoned one.
  public var failure: (error: RelocationError, record: Int)? {
    if case .failed(let error, let record) = self { (error, record) } else { nil }
  }
}

/// The object's code after CO-RE: every code section, patched where the
/// records say, keyed by the same `SectionID` ELFReader gave it, with a note
/// at each instruction (by section slot) whose relocation was poisoned or
/// failed. The notes travel with the code: linking moves them into the
/// program with the instructions they describe.
public struct RelocatedCode: Sendable {
  /// Every code section of the object, patched, by the id ELFReader gave it.
  public var sections: [SectionID: CodeSection]
  /// Section slot → note, per section.
  public var notes: [SectionID: [Int: RelocationNote]]

  /// Relocated sections with their notes.
  public init(sections: [SectionID: CodeSection], notes: [SectionID: [Int: RelocationNote]] = [:]) {
    self.sections = sections
    self.notes = notes
  }
}

extension RelocationPlan {
  /// Phase two for a load: applies every decision that did not fail to
  /// `relocated` (the sections the plan was made for) and notes the poisoned
  /// and failed ones at their instruction. `code` is every code section; it
  /// comes back with the relocated ones replaced.
  ///
  /// A failed decision stops no other section here: it stops the load of a
  /// program that holds its instruction. Throws only when the plan does not
  /// fit the code (`instructionChanged`, `unknownSection`).
  public func applyKeepingFailures(to relocated: [CodeSection], in code: [SectionID: CodeSection])
    throws(RelocationError) -> RelocatedCode
  {
    // `.BTF.ext` names sections; the first section of a name is the one meant.
    var idByName = [String: SectionID]()
    for section in relocated where idByName[section.name] == nil { idByName[section.name] = section.id }
    var notes = [SectionID: [Int: RelocationNote]]()
    var good = [RelocationDecision]()
    for decision in decisions {
      let id = idByName[decision.section]
      switch decision.result {
      case .failed(let error):
        // The first failure at an instruction is the one reported.
        guard let id, notes[id]?[decision.sectionSlot]?.failure == nil else { continue }
        notes[id, default: [:]][decision.sectionSlot] = .failed(error, record: decision.record)
      case .poisoned:
        if let id, notes[id]?[decision.sectionSlot]?.failure == nil {
          notes[id, default: [:]][decision.sectionSlot] =
            .poisoned("\(decision.localAccess) (\(decision.kind) \(decision.localSpec)): \(decision.reason)")
        }
        good.append(decision)
      case .patched:
        good.append(decision)
      }
    }
    var sections = code
    for section in try RelocationPlan(decisions: good).apply(to: relocated) { sections[section.id] = section }
    return RelocatedCode(sections: sections, notes: notes)
  }
}
