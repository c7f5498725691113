import UAPI

/// llvm-objdump -d's line layout, so `swiftbpf disasm` prints listings
/// identical to it:
///
/// ```
///
/// 0000000000000000 <prog>:
///        0:	b7 01 00 00 00 00 00 00	r1 = 0x0
///       19:	18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00	r1 = 0x0 ll
/// ```
///
/// The slot index is right-aligned in 8 columns, then `:` and a tab, the
/// instruction's bytes as stored (16 for `ld_imm64`), a tab, the text.
/// A symbol starts a block: an empty line, its byte address in 16 hex digits
/// and its name in angle brackets.
extension Disassembler {
  /// One instruction line: `      19:\t18 01 ... 00\tr1 = 0x0 ll`; without
  /// `rawBytes` (llvm-objdump's `--no-show-raw-insn`): `      19:\tr1 = 0x0 ll`.
  public static func line(
    _ insn: Instruction, at slot: Int, order: ByteOrder, rawBytes: Bool = true,
    label: (Int) -> String? = { _ in nil }
  ) -> String {
    var line = String(slot)
    if line.count < 8 { line = String(repeating: " ", count: 8 - line.count) + line }
    line += ":\t"
    if rawBytes {
      var first = true
      for byte in insn.encoded(order: order) {
        if !first { line += " " }
        first = false
        if byte < 0x10 { line += "0" }
        line += String(byte, radix: 16)
      }
      line += "\t"
    }
    line += text(insn, at: slot, label: label)
    return line
  }

  /// The header line of a symbol: `0000000000000090 <g>:` (byte address).
  public static func symbolHeader(name: String, slot: Int) -> String {
    let address = String(UInt64(bitPattern: Int64(slot) &* 8), radix: 16)
    return String(repeating: "0", count: max(0, 16 - address.count)) + address + " <" + name + ">:"
  }

  /// The lines llvm-objdump -d prints for a code section's instructions,
  /// after its `Disassembly of section NAME:` line: each symbol's block
  /// (preceded by an empty line) and its instructions.
  ///
  /// - Parameters:
  ///   - sequence: the section's instructions (slot 0 is the section start).
  ///   - order: the object's byte order, for the raw bytes column.
  ///   - symbols: the section's symbols, as `SymbolTable` takes them. When
  ///     none starts at slot 0, llvm-objdump names the start after the
  ///     section, and so does this.
  ///   - sectionName: that name.
  ///   - rawBytes: print each instruction's bytes before its text, as
  ///     llvm-objdump does unless given `--no-show-raw-insn`.
  public static func sectionLines(
    _ sequence: InstructionSequence, order: ByteOrder, symbols: SymbolTable, sectionName: String,
    rawBytes: Bool = true
  ) -> [String] {
    let table = symbols.withSectionStart(named: sectionName)
    var lines: [String] = []
    lines.reserveCapacity(sequence.count + 2 * table.count)
    var next = 0
    for (index, insn) in sequence.enumerated() {
      let slot = sequence.slot(ofInstruction: index)
      // Every symbol that starts at or before this slot and was not shown yet.
      while next < table.count, table.entries[next].slot <= slot {
        lines.append("")
        lines.append(symbolHeader(name: table.entries[next].name, slot: table.entries[next].slot))
        next += 1
      }
      lines.append(line(insn, at: slot, order: order, rawBytes: rawBytes, label: table.label(forSlot:)))
    }
    return lines
  }
}

extension Disassembler {
  /// A code section to list: its name, instructions and symbols.
  public struct Section: Sendable {
    /// The ELF section name, printed as `Disassembly of section NAME:`.
    public var name: String
    /// The section's instructions, slot 0 at the section start.
    public var instructions: InstructionSequence
    /// Its function and label symbols, for block headers and jump labels.
    public var symbols: SymbolTable
    /// A section to list.
    public init(name: String, instructions: InstructionSequence, symbols: SymbolTable) {
      self.name = name
      self.instructions = instructions
      self.symbols = symbols
    }
  }

  /// Everything `llvm-objdump -d PATH` prints for a BPF object: the file
  /// line, then each non-empty code section (in file order) with its
  /// `Disassembly of section NAME:` line. `path` is printed as given.
  public static func fileListing(
    path: String, order: ByteOrder, sections: [Section], rawBytes: Bool = true
  ) -> String {
    var output = "\n\(path):\tfile format elf64-bpf\n"
    for section in sections where !section.instructions.isEmpty {
      output += "\nDisassembly of section \(section.name):\n"
      let lines = sectionLines(
        section.instructions, order: order, symbols: section.symbols, sectionName: section.name, rawBytes: rawBytes)
      for line in lines {
        output += line
        output += "\n"
      }
    }
    return output
  }
}
