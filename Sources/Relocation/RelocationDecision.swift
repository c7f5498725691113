import BTF
import Instructions

/// What the engine decided for one CO-RE record: enough to print a report
/// line or a JSON object, and to patch the code.
public struct RelocationDecision: Sendable, Equatable {
  /// How a decision ends.
  public enum Result: Sendable, Equatable {
    /// The instruction gets the target's value.
    case patched
    /// The target cannot satisfy the relocation: the instruction becomes a
    /// call to the invalid helper `0xbad2310`, which the verifier rejects
    /// unless the code is dead (guarded by an existence check).
    case poisoned
    /// A malformed record, an ambiguity, or an instruction that does not
    /// hold what the compiler recorded: loading must stop.
    case failed(RelocationError)

    /// `patched`, `poisoned` or `failed`, as the CLI's JSON spells it.
    public var name: String {
      switch self {
      case .patched: "patched"
      case .poisoned: "poisoned"
      case .failed: "failed"
      }
    }
  }

  /// Where the target type was found.
  public struct TargetMatch: Sendable, Equatable {
    /// The `TargetBTF.name` it came from.
    public var btfName: String
    /// The matching type's id in that BTF.
    public var typeID: BTF.TypeID
    /// `struct task_struct`.
    public var typeName: String
    /// `struct task_struct.pid`, `enum pid_type::PIDTYPE_TGID`.
    public var access: String
    /// The access string in the target, `0:17`; empty for type relocations.
    public var accessString: String
    /// Offset of the field in the target, in bits (field relocations).
    public var bitOffset: Int?
  }

  /// The code section (`raw_tp`, `.text`).
  public var section: String
  /// The function holding the instruction (from the caller's symbols or
  /// `.BTF.ext` func_info; the section name if none is known).
  public var program: String
  /// The instruction's index inside `program`, in 8-byte slots.
  public var instruction: Int
  /// The instruction's index inside the section, in 8-byte slots.
  public var sectionSlot: Int
  /// The record's index in its section's `core_relo` list.
  public var record: Int
  /// The record's kind (field offset, type id, enum value...).
  public var kind: BTF.CORERelocation.Kind
  /// The record's local type.
  public var localType: BTF.TypeID
  /// `struct task_struct` (empty when the id is invalid).
  public var localTypeName: String
  /// The record's access string, `0:1`.
  public var accessString: String
  /// The access in C terms, `struct task_struct.pid`.
  public var localAccess: String
  /// Offset of the field in the local type, in bits (field relocations).
  public var localBitOffset: Int?
  /// The chosen target, nil when none matched (or the kind needs none).
  public var target: TargetMatch?
  /// The value the compiler recorded: what the instruction holds (for a
  /// poisoned one, the value computed from the local BTF); nil when the
  /// record is malformed.
  public var oldValue: UInt64?
  /// The value for the target (nil when poisoned or failed).
  public var newValue: UInt64?
  /// Applied, poisoned (the program may still load if the instruction is
  /// never reached) or failed.
  public var result: Result
  /// Why, in a sentence: `offset 4 -> 2712`, `field not found in vmlinux`.
  public var reason: String
  /// The instruction before, and what replaces it (two calls for a
  /// poisoned `ld_imm64`); nil and empty when failed.
  public var original: Instruction?
  /// What replaces `original`: one instruction, or two for a poisoned
  /// `ld_imm64`.
  public var replacement: [Instruction]

  /// `"0:1 @ offset 4"`: the access string and the byte offset it reaches
  /// (`offset 4.3` for a bit offset inside a byte), as libbpf prints specs.
  public var localSpec: String { Self.spec(accessString, localBitOffset) }

  /// The same for the target, or nil.
  public var targetSpec: String? {
    target.map { Self.spec($0.accessString, $0.bitOffset) }
  }

  static func spec(_ access: String, _ bitOffset: Int?) -> String {
    guard let bits = bitOffset else { return access }
    let at = bits % 8 == 0 ? "\(bits / 8)" : "\(bits / 8).\(bits % 8)"
    return "\(access) @ offset \(at)"
  }
}

extension RelocationDecision: CustomStringConvertible {
  /// One report line: `core_task+12 byte_off struct task_struct.pid (0:1 @ offset 4)
  /// => vmlinux [12] struct task_struct.pid (0:17 @ offset 2712): 4 -> 2712, patched`.
  public var description: String {
    var line = "\(program)+\(instruction) \(kind) \(localAccess) (\(localSpec))"
    if let target {
      line += " => \(target.btfName) \(target.typeID) \(target.access)"
      if let spec = targetSpec, !spec.isEmpty { line += " (\(spec))" }
    }
    let old = oldValue.map(String.init) ?? "?"
    let new = newValue.map(String.init) ?? "-"
    line += ": \(old) -> \(new), \(result.name)"
    if !reason.isEmpty { line += " (\(reason))" }
    return line
  }
}
