import SwiftBPF

/// The code sections of an object, decoded whole with their symbols, ready
/// to print the way `llvm-objdump -d` does.
struct DisassemblyListing {
  let order: ByteOrder
  let sections: [Disassembler.Section]

  init(file: ObjectFile) throws(InstructionError) {
    order = file.byteOrder
    var sections: [Disassembler.Section] = []
    for section in file.sections where section.isExecutable {
      guard let data = section.data, !data.isEmpty else { continue }
      let instructions = try InstructionSequence(decoding: data, order: file.byteOrder)
      // Function and label symbols of this section, in symbol-table order
      // (llvm-objdump's rule for which name a block and a jump target get).
      let symbols = file.symbols.filter {
        $0.sectionIndex == section.index && ($0.kind == .function || $0.kind == .none)
          && !$0.name.isEmpty
      }
      sections.append(Disassembler.Section(
        name: section.name, instructions: instructions,
        symbols: SymbolTable(symbols.map { (name: $0.name, slot: Int($0.value / 8)) })))
    }
    self.sections = sections
  }

  /// Everything, as `llvm-objdump -d PATH` prints it.
  func whole(path: String, rawBytes: Bool) -> String {
    Disassembler.fileListing(path: path, order: order, sections: sections, rawBytes: rawBytes)
  }

  /// The names of the functions that blocks start with.
  var functionNames: [String] {
    sections.flatMap { $0.symbols.entries.map(\.name) }.filter { !$0.hasPrefix("LBB") }
  }

  /// The block of one function: its header line and instructions, up to the
  /// next function's header (local `LBB` labels stay inside the block).
  func function(named name: String, rawBytes: Bool) -> [String]? {
    for section in sections {
      let lines = Disassembler.sectionLines(
        section.instructions, order: order, symbols: section.symbols,
        sectionName: section.name, rawBytes: rawBytes)
      let header = " <\(name)>:"
      guard let start = lines.firstIndex(where: { $0.hasSuffix(header) }) else { continue }
      var end = start + 1
      while end < lines.count {
        let line = lines[end]
        if line.hasSuffix(">:"), !line.contains(" <LBB") { break }
        end += 1
      }
      // Drop the empty separator that precedes the next block.
      while end > start + 1, lines[end - 1].isEmpty { end -= 1 }
      return Array(lines[start..<end])
    }
    return nil
  }
}
