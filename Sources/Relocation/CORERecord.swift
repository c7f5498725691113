import BTF

/// One CO-RE relocation record as the engine consumes it: the fields of a
/// `.BTF.ext` `core_relo` entry, with the access string already resolved.
///
/// Built from `BTF.CORERelocation` (the BTF module's parser), or by hand in
/// tests and tools.
///
/// Kernel: `struct bpf_core_relo` (`insn_off`, `type_id`, `access_str_off`, `kind`).
public struct CORERecord: Sendable, Hashable {
  /// Byte offset of the instruction from the start of its section.
  public var instructionOffset: UInt32
  /// The local type the access starts from.
  public var type: BTF.TypeID
  /// `"0:1:2"`: the first number indexes the root as an array, the others
  /// pick members (structs, unions), elements (arrays) or an enumerator.
  public var accessString: String
  /// What the instruction needs: a field's offset, size, existence, a type's
  /// id or size, an enumerator's value...
  public var kind: BTF.CORERelocation.Kind

  /// A record from its fields.
  public init(instructionOffset: UInt32, type: BTF.TypeID, accessString: String, kind: BTF.CORERelocation.Kind) {
    self.instructionOffset = instructionOffset
    self.type = type
    self.accessString = accessString
    self.kind = kind
  }

  /// The record `.BTF.ext` holds, as the engine takes it.
  public init(_ record: BTF.CORERelocation) {
    self.init(instructionOffset: record.instructionOffset, type: record.type,
              accessString: record.accessString, kind: record.kind)
  }
}

/// The CO-RE records of one code section.
public struct CORESection: Sendable, Hashable {
  /// The ELF section name, as `.BTF.ext` names it.
  public var name: String
  /// Its records, in `.BTF.ext` order (a record's index is its position here).
  public var records: [CORERecord]

  /// The records of section `name`.
  public init(name: String, records: [CORERecord]) {
    self.name = name
    self.records = records
  }

  /// Every section's records from a parsed `.BTF.ext`.
  public static func all(in ext: BTF.Extension) -> [CORESection] {
    ext.coreRelocations.map { CORESection(name: $0.name, records: $0.records.map(CORERecord.init)) }
  }
}

/// What a relocation kind relocates.
enum KindFamily {
  /// Offsets, sizes, existence, signedness and shifts of a field.
  case field
  /// Ids, existence, matching and size of a type.
  case type
  /// Existence and value of an enumerator.
  case enumValue
}

extension BTF.CORERelocation.Kind {
  /// Kernel: `BPF_CORE_FIELD_*` (0-5), `BPF_CORE_TYPE_*` (6-9, 12),
  /// `BPF_CORE_ENUMVAL_*` (10-11).
  var family: KindFamily? {
    switch rawValue {
    case 0 ... 5: return .field
    case 6 ... 9, 12: return .type
    case 10, 11: return .enumValue
    default: return nil
    }
  }

}
