import Foundation
import TestSupport

/// llvm-objdump -d output, parsed into sections, symbol headers and
/// instruction lines (the independent data the disassembler is checked
/// against: bytes from its hex column, text from its last column).
struct ObjdumpListing {
  struct Line {
    var slot: Int
    var bytes: [UInt8]
    var text: String
    /// The whole line as printed.
    var raw: String
  }

  struct Section {
    var name: String
    /// `(name, slot)` of each symbol header, in output order.
    var symbols: [(name: String, slot: Int)] = []
    var lines: [Line] = []
    /// Every output line after `Disassembly of section NAME:`, verbatim.
    var rawLines: [String] = []
    /// llvm-objdump skipped a block of zero bytes (`...`): the bytes
    /// column is then incomplete.
    var skippedZeros = false

    var bytes: [UInt8] { lines.flatMap(\.bytes) }
  }

  var sections: [Section] = []

  init(parsing output: String) {
    var current: Section?
    for rawLine in output.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = String(rawLine)
      if line.hasPrefix("Disassembly of section ") {
        if let section = current { sections.append(section) }
        current = Section(name: String(line.dropFirst("Disassembly of section ".count).dropLast()))
        continue
      }
      guard current != nil else { continue }
      current?.rawLines.append(line)
      if line == "\t\t..." {
        current?.skippedZeros = true
      } else if let header = Self.header(line) {
        current?.symbols.append(header)
      } else if let instruction = Self.instruction(line) {
        current?.lines.append(instruction)
      }
    }
    if let section = current { sections.append(section) }
    // Trailing empty lines belong to no section.
    for index in sections.indices {
      while sections[index].rawLines.last == "" { sections[index].rawLines.removeLast() }
    }
  }

  /// `0000000000000090 <g>:` → ("g", 18).
  static func header(_ line: String) -> (name: String, slot: Int)? {
    guard line.count > 20, line.hasSuffix(">:") else { return nil }
    let address = line.prefix(16)
    guard address.allSatisfy(\.isHexDigit), line.dropFirst(16).hasPrefix(" <"),
      let value = UInt64(address, radix: 16)
    else { return nil }
    let name = line.dropFirst(18).dropLast(2)
    return (String(name), Int(value / 8))
  }

  /// `      19:\t18 01 ... 00\tr1 = 0x0 ll`.
  static func instruction(_ line: String) -> Line? {
    let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
    guard fields.count == 3, fields[0].hasSuffix(":"),
      let slot = Int(fields[0].dropLast().trimmingCharacters(in: .whitespaces))
    else { return nil }
    let hex = fields[1].split(separator: " ")
    var bytes: [UInt8] = []
    for pair in hex {
      guard let byte = UInt8(pair, radix: 16) else { return nil }
      bytes.append(byte)
    }
    return Line(slot: slot, bytes: bytes, text: String(fields[2]), raw: line)
  }
}

/// Reads the ELF byte order from `e_ident[EI_DATA]` (1 little, 2 big).
func elfByteOrderIsLittle(_ url: URL) throws -> Bool {
  let handle = try FileHandle(forReadingFrom: url)
  defer { try? handle.close() }
  let ident = try handle.read(upToCount: 6) ?? Data()
  return ident.count < 6 || ident[5] != 2
}
