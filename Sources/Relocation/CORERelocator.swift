import BTF
import Instructions
import UAPI

/// The CO-RE engine: decides, for every `.BTF.ext` CO-RE record, what the
/// target BTF makes of the instruction, then patches the code.
///
/// Pure: local BTF, records, instructions and target BTFs in; decisions and
/// patched instructions out. The caller picks the targets (the running
/// kernel's BTF, a file, module BTFs) and opens them.
///
/// Two phases: `plan` computes every decision without changing anything,
/// `RelocationPlan.apply` patches the code.
///
/// Candidates for a local type `foo___flavor` are the target types of the
/// same kind named `foo` or `foo___anything`: in the first target first, in
/// the others (modules) only when the first has none. Several candidates
/// may match as long as they agree; once a record has matched some, later
/// records with the same local type only consider those (as libbpf does).
public struct CORERelocator: Sendable {
  /// The object's own BTF (`.BTF`), which the records refer to.
  public let local: BTF
  /// The first is the base (kernel) BTF, the others modules.
  public let targets: [TargetBTF]

  /// A relocator for an object whose BTF is `local`, against `targets`:
  /// the kernel's BTF first, then any module BTF (split on top of it).
  public init(local: BTF, targets: [TargetBTF]) {
    self.local = local
    self.targets = targets
  }

  /// One candidate target type.
  struct Candidate: Equatable {
    var target: Int
    var id: BTF.TypeID
  }

  /// Phase one: a decision for every record, in record order. Nothing is
  /// patched; malformed records become `failed` decisions.
  public func plan(code: [CodeSection], relocations: [CORESection]) -> RelocationPlan {
    var state = PlanState()
    var decisions = [RelocationDecision]()
    let sections = Dictionary(code.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    for group in relocations {
      let section = sections[group.name]
      for (index, record) in group.records.enumerated() {
        let site = RelocationSite(section: group.name, record: index, instructionOffset: record.instructionOffset)
        decisions.append(decide(record, site: site, section: section, state: &state))
      }
    }
    return RelocationPlan(decisions: decisions)
  }

  /// Phase one from a parsed `.BTF.ext`.
  public func plan(code: [CodeSection], extension ext: BTF.Extension) -> RelocationPlan {
    plan(code: code, relocations: CORESection.all(in: ext))
  }

  /// What a plan carries from one record to the next.
  struct PlanState {
    /// Candidates per local root type, pruned to those that matched.
    var candidates: [BTF.TypeID: [Candidate]] = [:]
    /// Instructions already replaced, per section and instruction index.
    var patched: [String: [Int: [Instruction]]] = [:]
  }

  func decide(_ record: CORERecord, site: RelocationSite, section: CodeSection?, state: inout PlanState)
    -> RelocationDecision
  {
    let slot = site.slot
    let place = section?.function(containing: slot) ?? (name: site.section, slot: slot)
    var decision = RelocationDecision(
      section: site.section, program: place.name, instruction: place.slot, sectionSlot: slot,
      record: site.record, kind: record.kind, localType: record.type, localTypeName: "",
      accessString: record.accessString, localAccess: "", localBitOffset: nil, target: nil,
      oldValue: nil, newValue: nil, result: .patched, reason: "", original: nil, replacement: [])
    do throws(RelocationError) {
      try compute(record, site: site, section: section, state: &state, into: &decision)
    } catch {
      decision.result = .failed(error)
      decision.reason = error.reason
      decision.newValue = nil
      decision.replacement = []
    }
    return decision
  }

  private func compute(
    _ record: CORERecord, site: RelocationSite, section: CodeSection?, state: inout PlanState,
    into decision: inout RelocationDecision
  ) throws(RelocationError) {
    guard let family = record.kind.family else { throw .unknownKind(site, kind: record.kind.rawValue) }
    guard Int(record.type.rawValue) < local.typeCount else {
      throw .typeIDOutOfRange(site, typeID: record.type.rawValue, typeCount: local.typeCount)
    }
    guard let section else { throw .unknownSection(site) }
    guard record.instructionOffset % 8 == 0 else {
      throw .notInstructionStart(site, reason: "byte offset \(record.instructionOffset) is not a multiple of 8")
    }
    guard site.slot < section.instructions.slotCount else {
      throw .instructionOutOfRange(site, sectionSlots: section.instructions.slotCount)
    }
    guard let index = section.instructions.instructionIndex(atSlot: site.slot) else {
      throw .notInstructionStart(site, reason: "slot \(site.slot) is the second half of an ld_imm64")
    }
    let names = Naming(btf: local, site: site)
    decision.localTypeName = try names.typeName(record.type)

    let localSpec = try AccessSpec.parse(record, family: family, in: local, site: site)
    decision.localAccess = try names.access(localSpec, family: family)
    if family == .field { decision.localBitOffset = localSpec.bitOffset }

    var (resolution, chosen) = try resolve(record, family: family, localSpec: localSpec, site: site, state: &state)
    if let chosen {
      let target = targets[chosen.target]
      let tn = Naming(btf: target.btf, site: site)
      decision.target = .init(
        btfName: target.name, typeID: chosen.spec.root, typeName: try tn.typeName(chosen.spec.root),
        access: try tn.access(chosen.spec, family: family),
        accessString: chosen.spec.raw.map(String.init).joined(separator: ":"),
        bitOffset: family == .field ? chosen.spec.bitOffset : nil)
    }
    decision.oldValue = resolution.original

    // Patch a working copy (a record may follow another on the same instruction).
    let current = state.patched[site.section]?[index] ?? [section.instructions[index]]
    guard let first = current.first, current.count == 1 else {
      throw .unsupportedInstruction(site, instruction: Instruction.poisonCall.description,
                                    reason: "an earlier record poisoned this ld_imm64")
    }
    decision.original = first
    let patch = try Patcher(site: site).patch(first, with: &resolution)
    decision.replacement = patch.instructions
    // Report what the instruction held: the compiler's value, which differs
    // from ours only where it is not checked (bitfield offsets and sizes).
    if let previous = patch.previous { decision.oldValue = previous }
    state.patched[site.section, default: [:]][index] = patch.instructions
    if resolution.poison {
      decision.result = .poisoned
      decision.newValue = nil
      decision.reason = patch.note ?? poisonReason(record, family: family, decision: decision)
    } else {
      decision.result = .patched
      decision.newValue = resolution.new
      decision.reason = patch.note ?? ""
    }
  }

  private func poisonReason(_ record: CORERecord, family: KindFamily, decision: RelocationDecision) -> String {
    let names = targets.map(\.name).joined(separator: ", ")
    switch family {
    case .field: return "\(decision.localAccess) not found in \(names.isEmpty ? "any target" : names)"
    case .enumValue: return "\(decision.localAccess) not found in \(names.isEmpty ? "any target" : names)"
    case .type: return "\(decision.localTypeName) not found"
    }
  }
}
