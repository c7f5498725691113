import BTF
import Instructions

/// Where a CO-RE relocation record points: its ELF code section, its index
/// among that section's `.BTF.ext` records and the instruction it patches.
public struct RelocationSite: Sendable, Hashable, CustomStringConvertible {
  /// The code section the record belongs to (`"raw_tp"`, `".text"`).
  public var section: String
  /// Index of the record in its section's `core_relo` list.
  public var record: Int
  /// Kernel: `bpf_core_relo.insn_off`, in bytes from the section start.
  public var instructionOffset: UInt32

  /// Record `record` of `section`, patching the instruction at
  /// `instructionOffset` bytes.
  public init(section: String, record: Int, instructionOffset: UInt32) {
    self.section = section
    self.record = record
    self.instructionOffset = instructionOffset
  }

  /// The instruction's 8-byte slot in the section.
  public var slot: Int { Int(instructionOffset / 8) }

  public var description: String { "section \(section), CO-RE record #\(record), instruction \(slot)" }
}

/// Everything that makes a CO-RE relocation impossible to compute or apply.
///
/// Unsatisfiable relocations are not errors (they are poisoned, or yield 0
/// for existence checks); these are malformed records, instructions that do
/// not hold what the compiler recorded, and ambiguous targets. Every case
/// names the record's site.
public enum RelocationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The access string is empty, not `n:n:n`, or walks somewhere it cannot.
  case badAccessString(RelocationSite, access: String, reason: String)
  /// The record's root type id is not in the local BTF.
  case typeIDOutOfRange(RelocationSite, typeID: UInt32, typeCount: Int)
  /// The record's instruction offset lies past the end of its section.
  case instructionOutOfRange(RelocationSite, sectionSlots: Int)
  /// The record's offset is not at the start of an instruction (not a
  /// multiple of 8, or the second half of an `ld_imm64`).
  case notInstructionStart(RelocationSite, reason: String)
  /// No code was given for the record's section.
  case unknownSection(RelocationSite)
  /// The relocation kind number is not one of the 13 known kinds.
  case unknownKind(RelocationSite, kind: UInt32)
  /// Candidate search needs a name; the local type is anonymous.
  case anonymousType(RelocationSite, typeID: UInt32)
  /// The kind cannot apply to what the access string reaches (a shift on
  /// an array element, a bitfield no 8-byte load covers).
  case notApplicable(RelocationSite, reason: String)
  /// Candidate targets disagree: the decision would depend on which one is right.
  case ambiguousCandidates(RelocationSite, candidates: [String], reason: String)
  /// The instruction's class or form cannot carry this relocation.
  case unsupportedInstruction(RelocationSite, instruction: String, reason: String)
  /// The instruction does not hold the value the compiler recorded.
  case unexpectedValue(RelocationSite, instruction: String, found: Int64, expected: UInt64)
  /// The new value does not fit the instruction field.
  case valueOutOfRange(RelocationSite, value: UInt64, field: String)
  /// Reading a local or target type failed.
  case btf(RelocationSite, BTFError)
  /// Applying a plan: the instruction is no longer the one the plan saw.
  case instructionChanged(RelocationSite, expected: String, found: String)
  /// Reaching the field in a target candidate takes more levels (named and
  /// anonymous members, subscripts) than an access spec may hold: the
  /// relocation fails, it is not "not found" (libbpf: `-E2BIG` from
  /// `BPF_CORE_SPEC_MAX_LEN`, 64).
  case accessTooDeep(RelocationSite, candidate: UInt32, limit: Int)

  /// The site of the failing record.
  public var site: RelocationSite {
    switch self {
    case .badAccessString(let s, _, _), .typeIDOutOfRange(let s, _, _), .instructionOutOfRange(let s, _),
      .notInstructionStart(let s, _), .unknownSection(let s), .unknownKind(let s, _), .anonymousType(let s, _),
      .notApplicable(let s, _), .ambiguousCandidates(let s, _, _), .unsupportedInstruction(let s, _, _),
      .unexpectedValue(let s, _, _, _), .valueOutOfRange(let s, _, _), .btf(let s, _),
      .instructionChanged(let s, _, _), .accessTooDeep(let s, _, _):
      return s
    }
  }

  /// The message without the site.
  public var reason: String {
    switch self {
    case let .badAccessString(_, access, reason):
      return "bad access string \"\(access)\": \(reason)"
    case let .typeIDOutOfRange(_, id, count):
      return "type id \(id) is not in the local BTF (\(count) types)"
    case let .instructionOutOfRange(_, slots):
      return "instruction is past the end of the section (\(slots) instructions)"
    case let .notInstructionStart(_, reason):
      return "offset is not the start of an instruction: \(reason)"
    case .unknownSection:
      return "no code for this section"
    case let .unknownKind(_, kind):
      return "unknown CO-RE relocation kind \(kind)"
    case let .anonymousType(_, id):
      return "local type [\(id)] is anonymous: no name to search the target for"
    case let .notApplicable(_, reason):
      return reason
    case let .ambiguousCandidates(_, candidates, reason):
      return "ambiguous targets \(candidates.joined(separator: ", ")): \(reason)"
    case let .unsupportedInstruction(_, insn, reason):
      return "cannot relocate `\(insn)`: \(reason)"
    case let .unexpectedValue(_, insn, found, expected):
      return "`\(insn)` holds \(found), but the compiler recorded \(expected)"
    case let .valueOutOfRange(_, value, field):
      return "value \(value) does not fit the instruction's \(field)"
    case let .btf(_, error):
      return "BTF: \(error)"
    case let .instructionChanged(_, expected, found):
      return "instruction changed since planning: expected `\(expected)`, found `\(found)`"
    case let .accessTooDeep(_, candidate, limit):
      return "reaching the field in target type [\(candidate)] takes more than \(limit) levels of nested members"
        + " (libbpf fails the same way, -E2BIG); access it through a shallower path or use a target BTF"
        + " that nests it less deeply"
    }
  }

  /// The message for a user: the record (section, index, instruction) and why
  /// it cannot be applied. The CLI prints it after `swiftbpf: ` (on one line),
  /// and as `message` in `--json` errors.
  public var description: String { "CO-RE \(site): \(reason)" }
}
