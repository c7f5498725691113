import BTF
import ELFReader
import Foundation
import Instructions
import Relocation
import Testing
import TestSupport
import UAPI

@testable import Loader

/// One code model from ELF to the kernel: sections decoded once by
/// ELFReader, shared with CO-RE by `SectionID`, patched with notes that
/// travel into the linked program.
@Suite struct CodeModelTests {
  static let coreObjects = ["obj/core.bpf.o", "core/probe.bpf.o"]

  static func url(_ relative: String) -> URL { Fixture.directory.appendingPathComponent(relative) }

  static func ext(of file: ObjectFile) throws -> BTF.Extension {
    let btf = try BTF(bytes: try #require(file.btf))
    return try BTF.Extension(bytes: try #require(file.btfExt), btf: btf)
  }

  /// CO-RE's input is the object's own decoded sections (equal values under
  /// the same ids, nothing decoded again), in `.BTF.ext` order, with the
  /// functions llvm-objdump lists in each section, by start slot.
  @Test(arguments: coreObjects)
  func coreInputIsTheObjectsDecodedCode(_ relative: String) throws {
    let file = try ObjectFile(path: Self.url(relative).path)
    let ext = try Self.ext(of: file)
    let input = COREInput(file: file, extension: ext)
    #expect(input.unavailable.isEmpty)
    #expect(input.sections.map(\.name) == ext.coreRelocations.map(\.name))
    for section in input.sections {
      #expect(file.code[section.id] == section, "\(section.name)")
      #expect(file.sections[section.id.index].name == section.name)
    }
    guard let symbols = try Objdump.symbols(Self.url(relative)) else { return }
    for section in input.sections {
      let expected = symbols.filter { $0.isFunction && $0.section == section.name }
        .map { "\($0.name)@\($0.value / 8)+\($0.size / 8)" }
      #expect(Set(section.functions.map { "\($0.name)@\($0.slot)+\($0.slotCount)" }) == Set(expected), "\(section.name)")
    }
  }

  /// A relocation the target cannot satisfy (`ld_b`: target_b resizes
  /// `sample.b`, so the oracle compiled against it prints `ld_b poisoned`)
  /// leaves the poison call (`call 0xbad2310`, libbpf's marker) at its
  /// instruction, and a note there that moves with it into the linked program.
  @Test func poisonedNoteTravelsWithItsInstruction() throws {
    let expected = String(decoding: try Fixture.bytes("core/expected/target_b.txt"), as: UTF8.self)
    #expect(expected.split(separator: "\n").contains("ld_b poisoned"))
    let object = try Object.open(
      path: Self.url("core/probe.bpf.o").path,
      options: OpenOptions(targetBTFPath: Self.url("core/btf/target_b.btf").path))
    let context = try LoadContext(object: object, kernel: FakeKernel())
    let code = try context.relocate()
    let program = try #require(object.programs.first { $0.name == "ld_b" })
    let function = program.source
    let poison = Instruction.call(helper: 0xbad2310)

    // In the relocated section, under ELFReader's id for it.
    let notes = code.notes[function.section] ?? [:]
    let inFunction = notes.filter { $0.key >= function.slot && $0.key < function.slot + function.slotCount }
    #expect(inFunction.count == 1)
    let (sectionSlot, note) = try #require(inFunction.first)
    guard case .poisoned(let text) = note else { Issue.record("not poisoned: \(note)"); return }
    // types_local.h: `short b` in `struct sample`, read with a CO-RE byte offset.
    #expect(text.hasPrefix("struct sample.b (byte_off "), "\(text)")
    let section = try #require(code.sections[function.section])
    let index = try #require(section.instructions.instructionIndex(atSlot: sectionSlot))
    #expect(section.instructions[index] == poison)
    // The other notes are where the oracle says the target lacks the field
    // (`key missing`): a byte offset of a missing field is poisoned too.
    let missing = Set(expected.split(separator: "\n").filter { $0.hasSuffix(" missing") }
      .compactMap { $0.split(separator: " ").first.map(String.init) })
    for (id, sectionNotes) in code.notes {
      let holder = try #require(code.sections[id])
      for (slot, other) in sectionNotes where slot != sectionSlot || id != function.section {
        #expect(missing.contains(holder.function(containing: slot).name), "\(other)")
        guard case .poisoned = other else { Issue.record("not poisoned: \(other)"); continue }
      }
    }

    // In the linked program: the same note at the same instruction.
    let btf = PreparedBTF()
    let maps = try context.createMaps(btf: btf)
    let linked = try context.link(program, code: code, maps: maps, btf: btf)
    #expect(linked.notes.count == 1)
    let (programSlot, moved) = try #require(linked.notes.first)
    #expect(moved == note)
    let linkedIndex = try #require(linked.index(ofSlot: programSlot))
    #expect(linked.instructions[linkedIndex] == poison)
    #expect(programSlot == sectionSlot - function.slot)
  }

  /// A failed relocation (`amb_v`: target_ambig has two `struct ambig`
  /// flavors that disagree, the oracle prints `amb_v ambiguous`) is a note
  /// on its instruction: linking the program that holds it stops with the
  /// relocation's error; every other program links.
  @Test func failedNoteStopsOnlyTheProgramHoldingIt() throws {
    let expected = String(decoding: try Fixture.bytes("core/expected/target_ambig.txt"), as: UTF8.self)
    let ambiguous = Set(expected.split(separator: "\n").filter { $0.hasSuffix(" ambiguous") }
      .compactMap { $0.split(separator: " ").first.map(String.init) })
    #expect(ambiguous == ["amb_v"])
    let object = try Object.open(
      path: Self.url("core/probe.bpf.o").path,
      options: OpenOptions(targetBTFPath: Self.url("core/btf/target_ambig.btf").path))
    let context = try LoadContext(object: object, kernel: FakeKernel())
    let code = try context.relocate()
    let btf = PreparedBTF()
    let maps = try context.createMaps(btf: btf)
    for program in object.programs {
      var error: LoadError?
      do throws(LoadError) {
        _ = try context.link(program, code: code, maps: maps, btf: btf)
      } catch let thrown {
        error = thrown
      }
      if ambiguous.contains(program.name) {
        guard case .coreRelocation(let name, let failure)? = error else {
          Issue.record("\(program.name): \(String(describing: error))"); continue
        }
        #expect(name == program.name)
        guard case .ambiguousCandidates = failure else { Issue.record("\(failure)"); continue }
      } else {
        #expect(error == nil, "\(program.name)")
      }
    }
  }
}
