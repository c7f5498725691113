import SwiftBPF

/// The C layout a generated type must have, read straight from the object's
/// BTF: sizes from the type records, alignment from `BTF.alignment(of:)`,
/// member positions from the member records' bit offsets (through
/// anonymous members, as C names reach them).
public struct LayoutCheck {
  public let btf: BTF

  public init(btf: BTF) { self.btf = btf }

  /// Every difference between `entry` and the BTF, as readable lines (none when they agree).
  public func problems(_ entry: LayoutManifestEntry) throws -> [String] {
    let id = BTF.TypeID(entry.btfID)
    var problems: [String] = []
    let size = try btf.size(of: id)
    let alignment = try btf.alignment(of: id)
    let name = entry.swiftName
    if entry.size != size { problems.append("\(name): size \(entry.size), BTF \(size)") }
    // An empty C struct has size 0 and its members' alignment; no Swift type
    // has a stride of 0, and a zero-size member adds no alignment.
    if size > 0 {
      if entry.stride != size { problems.append("\(name): stride \(entry.stride), BTF size \(size)") }
      if entry.alignment != alignment { problems.append("\(name): alignment \(entry.alignment), BTF \(alignment)") }
    }
    guard !entry.isEnum else { return problems }

    let expected = try flattenedMembers(of: id)
    let measured = Set(entry.members.map(\.cName))
    for member in expected where member.bitWidth > 0 && !measured.contains(member.name) {
      problems.append("\(name): C member \(member.name) has no accessor in the listing")
    }
    for measurement in entry.members {
      guard let member = expected.first(where: { $0.name == measurement.cName }) else {
        problems.append("\(name): listing has \(measurement.cName), BTF has no such member")
        continue
      }
      problems += check(measurement, against: member, size: size, in: name)
    }
    return problems
  }

  func check(_ measurement: MemberMeasurement, against member: FlatMember, size: Int, in name: String) -> [String] {
    var problems: [String] = []
    let label = "\(name).\(member.name)"
    let mask = Self.mask(bitOffset: member.bitOffset, width: member.bitWidth, size: size, order: btf.byteOrder)
    switch measurement.role {
    case .stored:
      if measurement.offset != member.bitOffset / 8 || member.bitOffset % 8 != 0 {
        problems.append("\(label): stored at \(measurement.offset.map(String.init) ?? "nil"), BTF bit offset \(member.bitOffset)")
      }
    case .computed, .bitfield:
      if measurement.offset != nil { problems.append("\(label): listed as computed but stored") }
    }
    if measurement.onesWritten != mask {
      problems.append("\(label): setting all ones wrote \(hex(measurement.onesWritten)), BTF bits are \(hex(mask))")
    }
    if !measurement.isBool {
      let pattern = layoutPattern(size)
      let expected = zip(pattern, mask).map { $0 & $1 }
      if measurement.patternCopied != expected {
        problems.append("\(label): copying from a pattern gave \(hex(measurement.patternCopied)), expected \(hex(expected))")
      }
    }
    return problems
  }

  /// A member as C reaches it: members of anonymous members are the
  /// record's own, at the sum of the offsets.
  public struct FlatMember {
    public var name: String
    public var bitOffset: Int
    /// The bitfield width, or the member's size in bits.
    public var bitWidth: Int
    public var isBitfield: Bool
  }

  public func flattenedMembers(of id: BTF.TypeID, base: Int = 0) throws -> [FlatMember] {
    var result: [FlatMember] = []
    for member in try btf.members(of: id) {
      let name = try btf.string(of: member.name)
      let offset = base + Int(member.bitOffset)
      if name.isEmpty {
        result += try flattenedMembers(of: try btf.resolved(member.type), base: offset)
        continue
      }
      let width = member.isBitfield ? Int(member.bitfieldSize) : 8 * (try btf.size(of: member.type))
      result.append(FlatMember(name: name, bitOffset: offset, bitWidth: width, isBitfield: member.isBitfield))
    }
    return result
  }

  /// The record's bytes with exactly the member's bits set, in the object's
  /// bit numbering (little-endian: bit n is bit n % 8 of byte n / 8 from the
  /// least significant; big-endian: from the most significant).
  public static func mask(bitOffset: Int, width: Int, size: Int, order: ByteOrder) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: size)
    for bit in bitOffset ..< bitOffset + width where bit / 8 < size {
      bytes[bit / 8] |= order == .little ? 1 << (bit % 8) : 0x80 >> (bit % 8)
    }
    return bytes
  }
}

func hex(_ bytes: [UInt8]) -> String {
  bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}
