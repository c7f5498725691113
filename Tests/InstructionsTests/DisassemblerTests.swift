import Foundation
import Instructions
import TestSupport
import Testing
import UAPI

extension Trait where Self == ConditionTrait {
  /// Needs the toolchain's llvm-objdump; fails instead of skipping under CI.
  static var objdump: Self {
    .enabled(
      if: Toolchain.tool("llvm-objdump") != nil || TestEnvironment.mustNotSkip,
      "needs /opt/swift/usr/bin/llvm-objdump; CI=true or SWIFTBPF_REQUIRE_KERNEL=1 makes this fail")
  }

  /// Needs the toolchain's clang and llvm-objdump.
  static var clangAndObjdump: Self {
    .enabled(
      if: (Toolchain.tool("llvm-objdump") != nil && Toolchain.tool("clang") != nil) || TestEnvironment.mustNotSkip,
      "needs /opt/swift/usr/bin/clang and llvm-objdump; CI=true or SWIFTBPF_REQUIRE_KERNEL=1 makes this fail")
  }
}

@Suite struct DisassemblerTests {
  /// The tests over `Fixture.objects` below run one case per object; with
  /// fewer objects they would pass having checked less (16 committed today).
  @Test func fixtureObjectsArePresent() {
    #expect(Fixture.objects.count >= 16, "\(Fixture.objects.count) objects in Fixtures/obj")
  }

  /// For every fixture object: decode the bytes llvm-objdump shows for each
  /// code section and print them; every instruction's text and every line
  /// of the listing must equal llvm-objdump's.
  @Test(.objdump, arguments: Fixture.objects)
  func printsFixtureLikeObjdump(_ object: URL) throws {
    let objdump = try #require(Toolchain.tool("llvm-objdump"))
    let result = try runTool(objdump, ["-d", object.path])
    try #require(result.status == 0, "llvm-objdump -d \(object.lastPathComponent) failed")
    let listing = ObjdumpListing(parsing: result.output)
    let order: ByteOrder = try elfByteOrderIsLittle(object) ? .little : .big
    var sections: [Disassembler.Section] = []
    for section in listing.sections {
      let where_ = "\(object.lastPathComponent) section \(section.name)"
      let skipped = section.skippedZeros
      #expect(!skipped, "\(where_): llvm-objdump skipped zero bytes")
      let sequence = try InstructionSequence(decoding: section.bytes, order: order)
      #expect(sequence.count == section.lines.count, "\(where_): instruction count")
      let symbols = SymbolTable(section.symbols)
      for (index, line) in zip(sequence.indices, section.lines) {
        #expect(sequence.slot(ofInstruction: index) == line.slot, "\(where_): slot of instruction \(index)")
        let text = Disassembler.text(sequence[index], at: line.slot, label: symbols.label(forSlot:))
        #expect(text == line.text, "\(where_) slot \(line.slot): bytes \(line.bytes)")
      }
      // The whole listing, headers and padding included.
      let ours = Disassembler.sectionLines(sequence, order: order, symbols: symbols, sectionName: section.name)
      #expect(ours == section.rawLines, "\(where_): listing differs")
      #expect(sequence.encoded(order: order) == section.bytes, "\(where_): bytes do not round-trip")
      sections.append(Disassembler.Section(name: section.name, instructions: sequence, symbols: symbols))
    }
    // The whole output, byte for byte.
    let whole = Disassembler.fileListing(path: object.path, order: order, sections: sections)
    #expect(whole == result.output)
    // And without the bytes column, as --no-show-raw-insn prints it.
    let bare = try runTool(objdump, ["-d", "--no-show-raw-insn", object.path])
    #expect(Disassembler.fileListing(path: object.path, order: order, sections: sections, rawBytes: false) == bare.output)
  }

  /// Every opcode byte with many field values, in both byte orders,
  /// assembled by clang from raw bytes and disassembled by llvm-objdump:
  /// the decoder must reject exactly the opcodes llvm does not know, and
  /// print the others (including llvm's `<unknown>` field combinations)
  /// as llvm-objdump does.
  @Test(.clangAndObjdump, arguments: [ByteOrder.little, .big])
  func printsEveryOpcodeLikeObjdump(_ order: ByteOrder) throws {
    let clang = try #require(Toolchain.tool("clang"))
    let objdump = try #require(Toolchain.tool("llvm-objdump"))
    let candidates = Self.probeInstructions()
    // One section per ld_imm64 (llvm-objdump resynchronises after an
    // ld_imm64 it rejects), one for all the rest.
    var assembly = "\t.section .text.plain,\"ax\",@progbits\n\t.globl f\nf:\n"
    let plain = candidates.filter { !$0.opcode.isWideLoad }
    let wide = candidates.filter { $0.opcode.isWideLoad }
    for insn in plain { assembly += byteDirective(insn.encoded(order: order)) }
    for (index, insn) in wide.enumerated() {
      assembly += "\t.section .text.wide\(index),\"ax\",@progbits\n" + byteDirective(insn.encoded(order: order))
    }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftbpf-insn-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = directory.appendingPathComponent("probe.s")
    let object = directory.appendingPathComponent("probe.o")
    try assembly.write(to: source, atomically: true, encoding: .utf8)
    let target = order == .little ? "bpfel" : "bpfeb"
    let built = try runTool(clang, ["-target", target, "-c", source.path, "-o", object.path])
    try #require(built.status == 0, "clang could not assemble the probe")
    let output = try runTool(objdump, ["-d", object.path])
    let listing = ObjdumpListing(parsing: output.output)

    let plainSection = try #require(listing.sections.first { $0.name == ".text.plain" })
    try #require(plainSection.lines.count == plain.count)
    var checked = 0
    var llvmKnows = Set<UInt8>()
    let symbols = SymbolTable([(name: "f", slot: 0)])
    for (insn, line) in zip(plain, plainSection.lines) {
      #expect(line.bytes == insn.encoded(order: order))
      check(insn, slot: line.slot, expected: line.text, symbols: symbols, order: order)
      if line.text != Disassembler.unknown { llvmKnows.insert(insn.opcode.rawValue) }
      checked += 1
    }
    for (index, insn) in wide.enumerated() {
      let section = try #require(listing.sections.first { $0.name == ".text.wide\(index)" })
      let line = try #require(section.lines.first)
      let label = SymbolTable(section.symbols)
      check(insn, slot: 0, expected: line.text, symbols: label, order: order)
      if line.text != Disassembler.unknown { llvmKnows.insert(insn.opcode.rawValue) }
      checked += 1
    }
    #expect(checked == candidates.count)
    // The decoder accepts exactly the opcode bytes llvm prints for some field values.
    let accepted = Set((0...255).map { UInt8($0) }.filter { Opcode(rawValue: $0).isKnown })
    #expect(accepted == llvmKnows)
  }

  private func check(_ insn: Instruction, slot: Int, expected: String, symbols: SymbolTable, order: ByteOrder) {
    let bytes = insn.encoded(order: order)
    do {
      let decoded = try Instruction.decode(bytes, order: order)
      #expect(decoded == [insn], "decode of \(hexString(bytes))")
      let text = Disassembler.text(insn, at: slot, label: symbols.label(forSlot:))
      #expect(text == expected, "\(hexString(bytes)) (\(order))")
    } catch {
      #expect(error == .unknownOpcode(insn.opcode.rawValue, slot: 0))
      #expect(expected == "<unknown>", "we reject \(hexString(bytes)) that llvm prints as \(expected)")
    }
  }

  /// Deterministic probes: each opcode byte with edge and pseudo-random fields.
  static func probeInstructions() -> [Instruction] {
    var state: UInt64 = 0x9e37_79b9_7f4a_7c15
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 16
    }
    let offsets: [Int16] = [0, 1, 8, 16, 32, -1, 2, .max, .min]
    let immediates: [Int64] = [0, 1, 2, 16, 32, 64, 0x100, 0x110, 0x10f, 0x40, 0x41, 0xe1, 0xf1, 0xe0, -1, 0x7fff_ffff]
    let registers: [UInt8] = [0, 1, 10, 11, 12, 15]
    var result: [Instruction] = []
    for code in 0...255 {
      var variants: [Instruction] = []
      for off in offsets {
        variants.append(Instruction(opcode: Opcode(rawValue: UInt8(code)), destination: .r1, source: .r2, offset: off))
      }
      for imm in immediates {
        variants.append(Instruction(opcode: Opcode(rawValue: UInt8(code)), destination: .r1, source: .r2, immediate: imm))
      }
      for reg in registers {
        variants.append(Instruction(opcode: Opcode(rawValue: UInt8(code)), destination: Register(rawValue: reg), source: .r3, immediate: 16))
        variants.append(Instruction(opcode: Opcode(rawValue: UInt8(code)), destination: .r3, source: Register(rawValue: reg), immediate: 16))
      }
      for _ in 0..<8 {
        let bits = next()
        var imm = Int64(Int32(truncatingIfNeeded: bits >> 20))
        if code == 0x18 { imm = Int64(bitPattern: bits &* 0x1_0000_0001) }
        variants.append(
          Instruction(
            opcode: Opcode(rawValue: UInt8(code)), destination: Register(rawValue: UInt8(bits & 0xf)),
            source: Register(rawValue: UInt8((bits >> 4) & 0xf)), offset: Int16(truncatingIfNeeded: bits >> 8),
            immediate: imm))
      }
      // A block of zero bytes makes llvm-objdump print `...` instead.
      result += variants.filter { !($0.opcode.rawValue == 0 && $0.encoded(order: .little).allSatisfy { $0 == 0 }) }
    }
    return result
  }
}

func byteDirective(_ bytes: [UInt8]) -> String {
  "\t.byte " + bytes.map { String($0) }.joined(separator: ",") + "\n"
}

func hexString(_ bytes: [UInt8]) -> String {
  bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
}
