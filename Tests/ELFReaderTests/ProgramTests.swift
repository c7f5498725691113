import Foundation
import Instructions
import Testing
import TestSupport
import UAPI

@testable import ELFReader

/// Programs and subprograms: instructions against llvm-objdump's disassembly,
/// SEC() definitions against the libbpf program_types table.
@Suite struct ProgramTests {
  /// Each decoded instruction starts at a slot llvm-objdump prints, and
  /// `ld_imm64` covers two slots (llvm-objdump numbers the next line +2).
  @Test(.enabled(if: Objdump.shouldRun, "needs llvm-objdump"), arguments: Fixture.objects)
  func instructionSlotsMatchDisassembly(_ url: URL) throws {
    let object = try ObjectFile(path: url.path)
    let lines = try Objdump.disassembly(url.path)
    try #require(!lines.isEmpty)
    func check(name: String, section: String, slot: Int, slotCount: Int, instructions: some Collection<Int>) {
      let expected = lines.filter { $0.section == section && $0.slot >= slot && $0.slot < slot + slotCount }.map { $0.slot - slot }
      #expect(Array(instructions) == expected, "\(name)")
    }
    // Programs and subprograms alike: each function's instructions are a
    // range of its section's, decoded once.
    #expect(object.functions.count == object.programs.count + object.subprograms.count)
    for function in object.functions {
      let code = try #require(object.code[function.section], "\(function.name)")
      let instructions = try #require(object.instructions(of: function), "\(function.name)")
      let sequence = code.instructions
      #expect(sequence.slot(ofInstruction: instructions.endIndex) - sequence.slot(ofInstruction: instructions.startIndex)
              == function.slotCount)
      check(name: function.name, section: function.sectionName, slot: function.slot, slotCount: function.slotCount,
            instructions: instructions.indices.map { sequence.slot(ofInstruction: $0) - function.slot })
    }
  }

  /// Section names and their program types as libbpf's program_types table
  /// lists them.
  @Test func definitionsFollowTheSectionTable() throws {
    let object = try ObjectFile(path: Fixture.object("programs.bpf.o").path)
    let xdp = try #require(object.program(named: "xdp_pass"))
    #expect(try #require(xdp.definition).get().programType == .xdp)
    #expect(try #require(xdp.definition).get().expectedAttachType == .xdp)
    let tc = try #require(object.program(named: "count_packets"))
    #expect(try #require(tc.definition).get().programType == .schedCls)

    let globals = try ObjectFile(path: Fixture.object("globals.bpf.o").path)
    let hidden = try #require(globals.program(named: "read_percpu_ksyms"))
    #expect(hidden.sectionName == "?syscall")
    #expect(try #require(hidden.definition).get().programType == .syscall)
    #expect(try #require(hidden.definition).get().autoload == false)
  }

  /// Several programs share a section; each keeps its own offset and code.
  @Test func separatesProgramsOfOneSection() throws {
    let object = try ObjectFile(path: Fixture.object("programs.bpf.o").path)
    let xdp = object.programs.filter { $0.sectionName == "xdp" }
    #expect(xdp.count > 1)
    for (a, b) in zip(xdp, xdp.dropFirst()) {
      #expect(a.offset + a.size <= b.offset)
    }
    let section = try #require(object.section(named: "xdp")?.data)
    for program in xdp {
      let instructions = try #require(object.instructions(of: program))
      #expect(Instruction.encode(Array(instructions), order: object.byteOrder)
              == Array(section[Int(program.offset)..<Int(program.offset + program.size)]))
      #expect(object.relocations(of: program).allSatisfy { $0.function == program.name })
    }
  }

  /// Both byte orders decode to the same instructions.
  @Test func bigEndianTwinHasTheSameInstructions() throws {
    let little = try ObjectFile(path: Fixture.object("programs.bpf.o").path)
    let big = try ObjectFile(path: Fixture.object("programs.bpfeb.bpf.o").path)
    #expect(little.byteOrder == .little)
    #expect(big.byteOrder == .big)
    #expect(little.programs.map(\.name) == big.programs.map(\.name))
    for (a, b) in zip(little.programs, big.programs) {
      #expect(little.instructions(of: a) == big.instructions(of: b), "\(a.name)")
      #expect(little.bytes(of: a) != big.bytes(of: b) || a.size == 0, "\(a.name): raw bytes differ in order")
    }
    #expect(little.relocations.map(\.target) == big.relocations.map(\.target))
  }
}
