import Foundation
import TestSupport

/// The toolchain's `llvm-objdump` (LLVM 21), the independent source the ELF
/// tests compare against, and parsers for the parts of its output they use.
enum Objdump {
  static let path = Toolchain.tool("llvm-objdump")
  /// Tests that need it run when it exists, and fail (rather than skip) without it in CI.
  static var shouldRun: Bool { path != nil || TestEnvironment.mustNotSkip }

  static func run(_ arguments: [String]) throws -> String {
    guard let path else { throw ObjdumpMissing() }
    let (output, status) = try runTool(path, arguments)
    guard status == 0 else { throw ObjdumpFailed(arguments: arguments, status: status) }
    return output
  }

  struct ObjdumpMissing: Error, CustomStringConvertible {
    var description: String { "llvm-objdump not found in \(Toolchain.binDirectory)" }
  }
  struct ObjdumpFailed: Error { var arguments: [String]; var status: Int32 }

  /// One line of `--section-headers`.
  struct SectionLine: Equatable {
    var index: Int
    var name: String
    var size: UInt64
    /// `TEXT`, `DATA`, `BSS`, `DEBUG` or empty.
    var kind: String
  }

  /// One line of `--syms`.
  struct SymbolLine: Equatable {
    var value: UInt64
    /// The 7 flag characters, e.g. `"g     F"`.
    var flags: String
    /// The section name, or `*UND*`, `*ABS*`, `*COM*`.
    var section: String
    var size: UInt64
    var name: String
    var binding: Character { flags.first ?? " " }
    var isWeak: Bool { flags.dropFirst().first == "w" }
    var typeFlag: Character { flags.last ?? " " }
    var isSectionSymbol: Bool { flags.dropFirst(5).first == "d" && typeFlag == " " }
  }

  /// One record of `-r`.
  struct RelocationLine: Equatable {
    var section: String
    var offset: UInt64
    var type: String
    var symbol: String
  }

  static func sections(_ file: String) throws -> [SectionLine] {
    let text = try run(["--section-headers", file])
    var result: [SectionLine] = []
    var inTable = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("Idx ") { inTable = true; continue }
      guard inTable else { continue }
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard let first = fields.first, let index = Int(first) else { if !line.isEmpty { inTable = false }; continue }
      // idx [name] size vma [type]
      if fields.count >= 4, let size = UInt64(fields[2], radix: 16), fields[3].count == 16 {
        result.append(SectionLine(index: index, name: String(fields[1]), size: size, kind: fields.count > 4 ? String(fields[4]) : ""))
      } else if fields.count >= 3, let size = UInt64(fields[1], radix: 16) {
        result.append(SectionLine(index: index, name: "", size: size, kind: fields.count > 3 ? String(fields[3]) : ""))
      }
    }
    return result
  }

  static func symbols(_ file: String) throws -> [SymbolLine] {
    let text = try run(["--syms", file])
    var result: [SymbolLine] = []
    var inTable = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("SYMBOL TABLE:") { inTable = true; continue }
      guard inTable, line.count > 25 else { continue }
      let chars = Array(line)
      guard let value = UInt64(String(chars[0..<16]), radix: 16) else { continue }
      let flags = String(chars[17..<24])
      let rest = String(chars[25...])
      guard let tab = rest.firstIndex(of: "\t") else { continue }
      let section = String(rest[..<tab])
      let after = rest[rest.index(after: tab)...]
      let sizeText = after.prefix { $0 != " " }
      guard let size = UInt64(sizeText, radix: 16) else { continue }
      let name = after.dropFirst(sizeText.count + 1)
      result.append(SymbolLine(value: value, flags: flags, section: section, size: size, name: String(name)))
    }
    return result
  }

  static func relocations(_ file: String) throws -> [RelocationLine] {
    let text = try run(["-r", file])
    var result: [RelocationLine] = []
    var section: String? = nil
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("RELOCATION RECORDS FOR [") {
        section = String(line.dropFirst("RELOCATION RECORDS FOR [".count).dropLast(2))
        continue
      }
      if line.isEmpty { section = nil; continue }
      guard let section else { continue }
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count >= 3, let offset = UInt64(fields[0], radix: 16) else { continue }
      result.append(RelocationLine(section: section, offset: offset, type: String(fields[1]), symbol: fields[2...].joined(separator: " ")))
    }
    return result
  }

  /// `-s -j <section>`: the section's bytes from the hex dump.
  static func contents(_ file: String, section: String) throws -> [UInt8] {
    let text = try run(["-s", "-j", section, file])
    var bytes: [UInt8] = []
    var inSection = false
    for line in text.split(separator: "\n") {
      if line.hasPrefix("Contents of section ") { inSection = line == "Contents of section \(section):"; continue }
      guard inSection, line.hasPrefix(" ") else { continue }
      // " 0000 01000000 04000000 08000000 40000000  ............@..."
      let body = line.dropFirst()
      let hexPart = body.split(separator: " ", maxSplits: 1).dropFirst().first.map { $0.prefix(35) } ?? ""
      for word in hexPart.split(separator: " ") {
        var chars = word.makeIterator()
        while let high = chars.next(), let low = chars.next() {
          guard let byte = UInt8(String([high, low]), radix: 16) else { break }
          bytes.append(byte)
        }
      }
    }
    return bytes
  }

  /// `-f`: `bpfel` or `bpfeb`.
  static func architecture(_ file: String) throws -> String? {
    let text = try run(["-f", file])
    return text.split(separator: "\n").first { $0.hasPrefix("architecture: ") }
      .map { String($0.dropFirst("architecture: ".count)) }
  }
}
