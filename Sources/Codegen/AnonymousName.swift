import BTF

/// A name for an anonymous struct, union or enum reached with nothing to name
/// it after (no typedef, no parent member): `AnonymousStruct_` and eight hex
/// digits of a hash of its contents (member names, offsets, member types by
/// name or, for nested anonymous ones, by contents). Type ids take no part,
/// so the name does not change when types are added elsewhere in the BTF.
struct AnonymousName {
  let btf: BTF

  func name(for id: BTF.TypeID) throws(CodegenError) -> String {
    var signature = ""
    try describe(id, depth: 0, into: &signature)
    let prefix: String
    switch try btf.descriptor(id) {
    case .union: prefix = "AnonymousUnion_"
    case .enum, .enum64: prefix = "AnonymousEnum_"
    default: prefix = "AnonymousStruct_"
    }
    let hash = Self.fnv1a(signature)
    let hex = String(UInt32(truncatingIfNeeded: hash ^ hash >> 32), radix: 16)
    return prefix + String(repeating: "0", count: 8 - hex.count) + hex
  }

  /// FNV-1a, 64 bits: stable across runs and platforms (unlike `Hasher`).
  static func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return hash
  }

  private func describe(_ id: BTF.TypeID, depth: Int, into out: inout String) throws(CodegenError) {
    guard depth < 32 else { out += "…"; return }
    let descriptor = try btf.descriptor(id)
    let name = try btf.text(descriptor.name, of: id)
    switch descriptor {
    case .struct(let c), .union(let c):
      out += descriptor.kind == .union ? "union " : "struct "
      if !name.isEmpty && depth > 0 { out += name; return }
      out += "\(c.size){"
      for member in try btf.membersOrThrow(id) {
        out += try btf.text(member.name, of: id) + "@\(member.bitOffset):\(member.bitfieldSize) "
        try describe(member.type, depth: depth + 1, into: &out)
        out += ";"
      }
      out += "}"
    case .enum(let e), .enum64(let e):
      out += "enum "
      if !name.isEmpty && depth > 0 { out += name; return }
      out += "\(e.size)\(e.isSigned ? "s" : "u"){"
      let values: BTF.Enumerators
      do { values = try btf.enumerators(of: id) } catch { throw .btf(error, context: "enumerators of \(id.rawValue)") }
      for value in values { out += try btf.text(value.name, of: id) + "=\(value.bits);" }
      out += "}"
    case .array(let a):
      out += "[\(a.count)]"
      try describe(a.element, depth: depth + 1, into: &out)
    case .pointer:
      out += "*"
    default:
      out += descriptor.kind.kernelName + " " + name
      if let next = descriptor.referencedType { try describe(next, depth: depth + 1, into: &out) }
    }
  }
}
