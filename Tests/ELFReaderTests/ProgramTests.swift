import Foundation
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
    for program in object.programs {
      #expect(program.instructions.slotCount == program.slotCount)
      check(name: program.name, section: program.sectionName, slot: program.slot, slotCount: program.slotCount,
            instructions: program.instructions.indices.map { program.instructions.slot(ofInstruction: $0) })
    }
    for subprogram in object.subprograms {
      #expect(subprogram.instructions.slotCount == subprogram.slotCount)
      check(name: subprogram.name, section: subprogram.sectionName, slot: subprogram.slot, slotCount: subprogram.slotCount,
            instructions: subprogram.instructions.indices.map { subprogram.instructions.slot(ofInstruction: $0) })
    }
  }

  /// Section names and their program types as libbpf's program_types table
  /// lists them.
  @Test func definitionsFollowTheSectionTable() throws {
    let object = try ObjectFile(path: Fixture.object("programs.bpf.o").path)
    let xdp = try #require(object.program(named: "xdp_pass"))
    #expect(try xdp.definition.get().programType == .xdp)
    #expect(try xdp.definition.get().expectedAttachType == .xdp)
    let tc = try #require(object.program(named: "count_packets"))
    #expect(try tc.definition.get().programType == .schedCls)

    let globals = try ObjectFile(path: Fixture.object("globals.bpf.o").path)
    let hidden = try #require(globals.program(named: "read_percpu_ksyms"))
    #expect(hidden.sectionName == "?syscall")
    #expect(try hidden.definition.get().programType == .syscall)
    #expect(try hidden.definition.get().autoload == false)
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
      #expect(program.code == Array(section[Int(program.offset)..<Int(program.offset + program.size)]))
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
      #expect(a.instructions == b.instructions, "\(a.name)")
      #expect(a.code != b.code || a.code.isEmpty, "\(a.name): raw bytes differ in order")
    }
    #expect(little.relocations.map(\.target) == big.relocations.map(\.target))
  }
}
