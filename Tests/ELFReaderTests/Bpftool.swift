import Foundation
import TestSupport

/// `bpftool btf dump file <object>` (raw format): an independent BTF reader
/// the map and extern tests compare against.
struct BpftoolBTF {
  static let path = Toolchain.systemTool("bpftool")
  static var shouldRun: Bool { path != nil || TestEnvironment.mustNotSkip }

  struct TypeLine {
    var kind: String
    var name: String
    /// `key=value` attributes of the header line (`type_id`, `size`, `nr_elems`...).
    var attributes: [String: String]
    /// Member / DATASEC entry lines: name (or DATASEC target) and attributes.
    var entries: [(name: String, attributes: [String: String])]
    func int(_ key: String) -> Int? { attributes[key].flatMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: ","))) } }
  }

  var types: [Int: TypeLine] = [:]

  init(file: String) throws {
    guard let path = Self.path else { throw Objdump.ObjdumpMissing() }
    let (text, status) = try runTool(path, ["btf", "dump", "file", file])
    guard status == 0 else { throw Objdump.ObjdumpFailed(arguments: [file], status: status) }
    var current: Int? = nil
    for line in text.split(separator: "\n") {
      if line.hasPrefix("[") {
        // [10] STRUCT 'inner_map' size=32 vlen=4
        guard let close = line.firstIndex(of: "]"), let id = Int(line[line.index(after: line.startIndex)..<close]) else { continue }
        let rest = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
        let kind = String(rest.prefix { $0 != " " })
        let quoted = rest.split(separator: "'", omittingEmptySubsequences: false)
        let name = quoted.count > 1 ? String(quoted[1]) : ""
        let tail = quoted.count > 2 ? quoted[2...].joined(separator: "'") : ""
        types[id] = TypeLine(kind: kind, name: name, attributes: Self.attributes(tail), entries: [])
        current = id
      } else if let id = current, line.hasPrefix("\t") {
        // 	'type' type_id=1 bits_offset=0   or   	type_id=11 offset=0 size=32 (VAR 'inner_a')
        let quoted = line.split(separator: "'", omittingEmptySubsequences: false)
        let name = quoted.count > 1 ? String(quoted[1]) : ""
        let attributes = Self.attributes(line.hasPrefix("\t'") ? (quoted.count > 2 ? quoted[2...].joined() : "") : String(line))
        types[id]?.entries.append((name, attributes))
      }
    }
  }

  static func attributes(_ text: String) -> [String: String] {
    var result: [String: String] = [:]
    for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
      let parts = word.split(separator: "=", maxSplits: 1)
      if parts.count == 2 { result[String(parts[0])] = String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
    }
    return result
  }

  func id(named name: String, kind: String) -> Int? {
    types.first { $0.value.kind == kind && $0.value.name == name }?.key
  }

  /// Skips TYPEDEF, CONST, VOLATILE, RESTRICT, TYPE_TAG.
  func resolved(_ id: Int) -> Int {
    var id = id
    for _ in 0..<64 {
      guard let t = types[id], ["TYPEDEF", "CONST", "VOLATILE", "RESTRICT", "TYPE_TAG"].contains(t.kind), let next = t.int("type_id") else { return id }
      id = next
    }
    return id
  }

  /// Size in bytes, as the BTF spec defines it per kind.
  func size(of id: Int) -> Int? {
    let id = resolved(id)
    guard let t = types[id] else { return nil }
    switch t.kind {
    case "PTR": return 8
    case "ARRAY": return t.int("nr_elems").flatMap { n in t.int("type_id").flatMap { size(of: $0) }.map { n * $0 } }
    default: return t.int("size")
    }
  }
}
