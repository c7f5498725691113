import Foundation
import TestSupport

/// `bpftool btf dump file <path>` (raw form), the independent reference for
/// kernel BTF: kinds per id, struct sizes and member offsets.
enum Bpftool {
  static let path = Toolchain.systemTool("bpftool")
  static let vmlinux = "/sys/kernel/btf/vmlinux"
  static var hasVmlinux: Bool { FileManager.default.isReadableFile(atPath: vmlinux) }

  /// The raw dump, split in lines; nil when bpftool or the file is missing.
  static let vmlinuxDump: [Substring]? = {
    guard let path, hasVmlinux,
          let result = try? runTool(path, ["btf", "dump", "file", vmlinux]), result.status == 0
    else { return nil }
    return result.output.split(separator: "\n", omittingEmptySubsequences: false)
  }()

  /// Counts of `[id] KIND` lines per kind name.
  static func kindCounts(_ lines: [Substring]) -> [String: Int] {
    var counts = [String: Int]()
    for line in lines where line.hasPrefix("[") {
      let parts = line.split(separator: " ", maxSplits: 2)
      guard parts.count >= 2, parts[0].hasSuffix("]") else { continue }
      counts[String(parts[1]), default: 0] += 1
    }
    return counts
  }

  struct StructLine {
    var id: UInt32
    var size: Int
    var members: [(name: String, bitOffset: Int, bitfieldSize: Int)]
  }

  /// The `[id] STRUCT 'name' size=N vlen=M` block and its member lines.
  static func structBlock(_ lines: [Substring], name: String) -> StructLine? {
    let prefix = "STRUCT '\(name)' size="
    guard let start = lines.firstIndex(where: { $0.hasPrefix("[") && $0.contains(" " + prefix) }) else { return nil }
    let header = lines[start]
    let id = UInt32(header.dropFirst().prefix { $0 != "]" }) ?? 0
    let size = Int(value(of: "size", in: header) ?? "") ?? -1
    var members = [(String, Int, Int)]()
    var i = start + 1
    while i < lines.count, lines[i].hasPrefix("\t") {
      let line = lines[i]
      let memberName = line.split(separator: "'").dropFirst().first.map(String.init) ?? ""
      let bitOffset = Int(value(of: "bits_offset", in: line) ?? "") ?? -1
      let bitfield = Int(value(of: "bitfield_size", in: line) ?? "0") ?? 0
      members.append((memberName, bitOffset, bitfield))
      i += 1
    }
    return StructLine(id: id, size: size, members: members)
  }

  static func value(of key: String, in line: Substring) -> Substring? {
    guard let range = line.range(of: " \(key)=") else { return nil }
    return line[range.upperBound...].prefix { $0 != " " }
  }
}
