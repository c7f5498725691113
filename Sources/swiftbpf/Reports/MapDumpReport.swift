import SwiftBPF

/// What `map dump` prints: in JSON, one object per entry as
/// `bpftool map dump -j` prints it (hex byte strings, a `values` list for
/// per-CPU maps, `formatted` from the map's BTF); in text, one line per
/// entry, decoded where the map has BTF.
struct MapDumpReport {
  let contents: MapContents

  struct CPUValue<Value: Encodable>: Encodable {
    var cpu: Int
    var value: Value
  }

  struct Formatted: Encodable {
    var key: BTF.FormattedValue
    var value: BTF.FormattedValue?
    var values: [CPUValue<BTF.FormattedValue>]?
  }

  /// One entry; absent fields are left out, as bpftool leaves them out.
  struct JSONEntry: Encodable {
    var key: [String]
    var value: [String]?
    var values: [CPUValue<[String]>]?
    var formatted: Formatted?
  }

  var json: [JSONEntry] {
    contents.entries.map { entry in
      var out = JSONEntry(key: Self.hexStrings(entry.key))
      switch entry.value {
      case .single(let bytes): out.value = Self.hexStrings(bytes)
      case .perCPU(let slots):
        out.values = slots.enumerated().map { CPUValue(cpu: $0.offset, value: Self.hexStrings($0.element)) }
      }
      out.formatted = formatted(entry)
      return out
    }
  }

  /// The entry decoded from the map's BTF; nil without BTF, or when this
  /// entry's bytes do not read as its types (then only the bytes are shown).
  func formatted(_ entry: MapContents.Entry) -> Formatted? {
    guard let (btf, keyType, valueType) = contents.btf else { return nil }
    func decode(_ bytes: [UInt8], _ type: BTF.TypeID) -> BTF.FormattedValue? {
      bytes.withUnsafeBytes { try? btf.format($0, as: type) }
    }
    // A map without keys (none here: they are not walked) would have key type 0.
    guard let key = keyType.isVoid ? .list([]) : decode(entry.key, keyType) else { return nil }
    switch entry.value {
    case .single(let bytes):
      guard let value = decode(bytes, valueType) else { return nil }
      return Formatted(key: key, value: value)
    case .perCPU(let slots):
      var values: [CPUValue<BTF.FormattedValue>] = []
      for (cpu, bytes) in slots.enumerated() {
        guard let value = decode(bytes, valueType) else { return nil }
        values.append(CPUValue(cpu: cpu, value: value))
      }
      return Formatted(key: key, values: values)
    }
  }

  /// `map 'NAME' (id N, TYPE): K entries`, then the entries, indented:
  /// `key: 7  value: 42` with BTF, hex bytes without; per-CPU values one per line.
  var text: String {
    let info = contents.info
    let count = contents.entries.count
    var out = "map '\(contents.name)' (id \(info.id), \(info.type.kernelName)): \(count) entr\(count == 1 ? "y" : "ies")\n"
    for entry in contents.entries {
      let decoded = formatted(entry)
      let key = decoded.map(\.key.compactJSON) ?? Self.hexLine(entry.key)
      switch entry.value {
      case .single(let bytes):
        out += "  key: \(key)  value: \(decoded?.value?.compactJSON ?? Self.hexLine(bytes))\n"
      case .perCPU(let slots):
        out += "  key: \(key)\n"
        for (cpu, bytes) in slots.enumerated() {
          let value = decoded?.values.map { $0[cpu].value.compactJSON } ?? Self.hexLine(bytes)
          out += "    cpu \(cpu): \(value)\n"
        }
      }
    }
    return out
  }

  /// `["0x07", "0x00", ...]`: bpftool's JSON form of bytes.
  static func hexStrings(_ bytes: [UInt8]) -> [String] {
    bytes.map { "0x" + ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }
  }

  /// `07 00 00 00`.
  static func hexLine(_ bytes: [UInt8]) -> String {
    bytes.withUnsafeBytes { hex($0) }
  }
}
