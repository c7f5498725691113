import BTF
import UAPI

/// The values one relocation computes before touching an instruction:
/// the compiler's (local) value, the target's value, and what patching must
/// know (poison, whether to check the instruction, load size change).
struct Resolution {
  /// The value computed from the local BTF: what the instruction holds.
  var original: UInt64 = 0
  /// The value for the target.
  var new: UInt64 = 0
  /// The target cannot satisfy the relocation.
  var poison = false
  /// Check that the instruction holds `original` before patching. Off for
  /// bitfield offsets and sizes (the compiler may pick another load) and
  /// type ids (linking may renumber them).
  var validate = true
  /// Byte sizes of the field in the local and target types, for plain
  /// (non-bitfield) `byte_off` relocations: the load size may follow.
  var originalSize = 0
  var newSize = 0
  /// A load/store size change that would read a wrong value (signed, or
  /// neither integer nor pointer): the load/store is poisoned.
  var badSizeChange = false
}

/// A field's relocatable numbers in one BTF.
struct FieldValues {
  var value: UInt64
  /// Whether the instruction can be checked against this value.
  var validate: Bool
  /// Byte size of a whole field reached by `byte_off` (0 otherwise).
  var size: Int
  /// Its type, modifiers and typedefs skipped (for the load size check).
  var type: BTF.TypeID?
}

extension Resolution {
  /// Field relocations: offset, size, existence, signedness, shifts.
  ///
  /// Bitfields: the load is the smallest power-of-two size, at least the
  /// member's type size and at most 8, aligned to itself, that covers all
  /// the bits. After loading it into the low bytes of a u64, shifting left
  /// by `lshift_u64` then right by `rshift_u64` (arithmetic when `signed`)
  /// leaves the value: that is what `BPF_CORE_READ_BITFIELD` does.
  static func field(
    _ kind: BTF.CORERelocation.Kind, _ spec: AccessSpec?, in btf: BTF, order: ByteOrder, site: RelocationSite
  ) throws(RelocationError) -> FieldValues? {
    if kind == .fieldExists { return FieldValues(value: spec == nil ? 0 : 1, validate: true, size: 0, type: nil) }
    guard let spec, let last = spec.accessors.last else { return nil }
    guard spec.bitOffset >= 0 else { throw .notApplicable(site, reason: "negative bit offset \(spec.bitOffset)") }
    guard last.name != nil else {
      // An array element (or the root itself): only offset and size make sense.
      let size = try call(site) { () throws(BTFError) in try btf.size(of: last.type) }
      switch kind {
      case .fieldByteOffset:
        return FieldValues(value: UInt64(spec.bitOffset / 8), validate: true, size: size, type: last.type)
      case .fieldByteSize:
        return FieldValues(value: UInt64(size), validate: true, size: 0, type: nil)
      default:
        throw .notApplicable(site, reason: "\(kind) cannot apply to an array element")
      }
    }
    let member = try call(site) { () throws(BTFError) in try btf.members(of: last.type)[last.index] }
    let fieldType = try call(site) { () throws(BTFError) in try btf.resolved(member.type) }
    let descriptor = try call(site) { () throws(BTFError) in try btf[fieldType] }
    let bitOffset = spec.bitOffset
    var bitSize = Int(member.bitfieldSize)
    let isBitfield = bitSize > 0
    // Offsets and sizes come from file data: every step below is checked,
    // so a crafted blob ends in `.notApplicable` rather than an overflow trap.
    let bad = { (reason: String) in RelocationError.notApplicable(site, reason: reason) }
    var byteSize = try call(site) { () throws(BTFError) in try btf.size(of: fieldType) }
    var byteOffset: Int
    if isBitfield {
      guard byteSize > 0 else { throw bad("bitfield of a zero-sized type") }
      byteOffset = bitOffset / 8 / byteSize * byteSize
      while try Self.bitsPast(bitOffset, bitSize, byteOffset, bad) > Self.bits(byteSize, bad) {
        guard byteSize < 8 else {
          throw bad("bitfield at bit \(bitOffset), \(bitSize) bits wide, needs more than an 8-byte load")
        }
        byteSize *= 2
        byteOffset = bitOffset / 8 / byteSize * byteSize
      }
    } else {
      byteOffset = bitOffset / 8
      bitSize = try Self.bits(byteSize, bad)
    }
    switch kind {
    case .fieldByteOffset:
      return FieldValues(value: UInt64(byteOffset), validate: !isBitfield,
                         size: isBitfield ? 0 : byteSize, type: isBitfield ? nil : fieldType)
    case .fieldByteSize:
      return FieldValues(value: UInt64(byteSize), validate: !isBitfield, size: 0, type: nil)
    case .fieldSigned:
      let signed: Bool
      switch descriptor {
      case .integer(let i): signed = i.isSigned
      case .enum(let e), .enum64(let e): signed = e.isSigned
      default: signed = false
      }
      return FieldValues(value: signed ? 1 : 0, validate: true, size: 0, type: nil)
    case .fieldLeftShift:
      // Little endian: the field's top bit goes to bit 63. Big endian: the
      // load sits in the low `byteSize` bytes, most significant byte first.
      let shift: Int
      if order == .little {
        shift = 64 - (try Self.bitsPast(bitOffset, bitSize, byteOffset, bad))
      } else {
        // Only loads of at most 8 bytes have a shift; larger sizes are refused
        // before `(8 - byteSize) * 8` could overflow.
        guard byteSize <= 8 else { throw bad("lshift_u64 on a \(byteSize)-byte field") }
        shift = (8 - byteSize) * 8 + (bitOffset - byteOffset * 8)
      }
      guard shift >= 0, shift < 64 else {
        throw .notApplicable(site, reason: "lshift_u64 on a \(byteSize)-byte field")
      }
      return FieldValues(value: UInt64(shift), validate: !isBitfield, size: 0, type: nil)
    case .fieldRightShift:
      guard bitSize <= 64 else { throw .notApplicable(site, reason: "rshift_u64 on a \(byteSize)-byte field") }
      return FieldValues(value: UInt64(64 - bitSize), validate: true, size: 0, type: nil)
    default:
      throw .unknownKind(site, kind: kind.rawValue)
    }
  }

  /// Type relocations; a missing target gives 0 (never poison).
  static func type(_ kind: BTF.CORERelocation.Kind, _ spec: AccessSpec?, in btf: BTF, site: RelocationSite)
    throws(RelocationError) -> (value: UInt64, validate: Bool)
  {
    guard let spec else { return (0, true) }
    switch kind {
    case .typeIDTarget, .typeIDLocal:
      return (UInt64(spec.root.rawValue), false)
    case .typeExists, .typeMatches:
      return (1, true)
    case .typeSize:
      let size = try call(site) { () throws(BTFError) in try btf.size(of: spec.root) }
      return (UInt64(size), true)
    default:
      throw .unknownKind(site, kind: kind.rawValue)
    }
  }

  /// Enumerator relocations; a missing `enumval_value` is poisoned.
  static func enumValue(_ kind: BTF.CORERelocation.Kind, _ spec: AccessSpec?, in btf: BTF, site: RelocationSite)
    throws(RelocationError) -> UInt64?
  {
    switch kind {
    case .enumValueExists:
      return spec == nil ? 0 : 1
    case .enumValue:
      guard let spec, let accessor = spec.accessors.first else { return nil }
      let item = try call(site) { () throws(BTFError) in try btf.enumerators(of: accessor.type)[accessor.index] }
      return item.bits
    default:
      throw .unknownKind(site, kind: kind.rawValue)
    }
  }
}

extension Resolution {
  /// `byteSize * 8`, refusing overflow.
  static func bits(_ byteSize: Int, _ bad: (String) -> RelocationError) throws(RelocationError) -> Int {
    let (product, overflow) = byteSize.multipliedReportingOverflow(by: 8)
    guard !overflow else { throw bad("field of \(byteSize) bytes is too large") }
    return product
  }

  /// `bitOffset + bitSize - byteOffset * 8`: the end of the field in bits,
  /// counted from the start of the load at `byteOffset`; refusing overflow.
  static func bitsPast(_ bitOffset: Int, _ bitSize: Int, _ byteOffset: Int, _ bad: (String) -> RelocationError)
    throws(RelocationError) -> Int
  {
    let (end, o1) = bitOffset.addingReportingOverflow(bitSize)
    let (start, o2) = byteOffset.multipliedReportingOverflow(by: 8)
    let (past, o3) = end.subtractingReportingOverflow(start)
    guard !o1, !o2, !o3 else { throw bad("bit offset \(bitOffset) is too large") }
    return past
  }
}
