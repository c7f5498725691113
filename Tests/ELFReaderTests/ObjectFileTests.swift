import Foundation
import Testing
import TestSupport
import UAPI

@testable import ELFReader

/// Every fixture, compared with what the toolchain's llvm-objdump reads from
/// the same file.
@Suite struct ObjectFileTests {
  @Test func fixturesArePresent() {
    // Parameterized tests over the objects run one case each: 16 are committed.
    #expect(Fixture.objects.count >= 16, "\(Fixture.objects.count) objects in \(Fixture.directory.path)/obj")
    #expect(Fixture.objects.contains { $0.lastPathComponent.contains("bpfeb") }, "no big-endian fixture")
  }

  @Test(.enabled(if: Objdump.shouldRun, "needs llvm-objdump"), arguments: Fixture.objects)
  func sectionsMatchObjdump(_ url: URL) throws {
    let object = try ObjectFile(path: url.path)
    let expected = try Objdump.sections(url.path)
    try #require(expected.count > 3, "could not parse llvm-objdump --section-headers")
    #expect(object.sections.count == expected.count)
    for (section, line) in zip(object.sections, expected) {
      #expect(section.index == line.index)
      #expect(section.name == line.name)
      #expect(section.size == line.size, "\(section.name)")
      // llvm-objdump's column: TEXT = SHF_EXECINSTR, BSS = SHF_ALLOC + SHT_NOBITS,
      // DATA = other SHF_ALLOC, DEBUG = .debug_* names.
      let kind: String
      if section.flags.contains(.executable) {
        kind = "TEXT"
      } else if section.flags.contains(.allocated) {
        kind = section.type == .nobits ? "BSS" : "DATA"
      } else if section.name.hasPrefix(".debug") {
        kind = "DEBUG"
      } else {
        kind = ""
      }
      #expect(kind == line.kind, "\(section.name)")
      #expect((section.data != nil) == (section.type == .progbits))
      if let data = section.data { #expect(UInt64(data.count) == section.size) }
    }
  }

  @Test(.enabled(if: Objdump.shouldRun, "needs llvm-objdump"), arguments: Fixture.objects)
  func symbolsMatchObjdump(_ url: URL) throws {
    let object = try ObjectFile(path: url.path)
    let expected = try Objdump.symbols(url.path)
    try #require(expected.count > 3, "could not parse llvm-objdump --syms")
    // llvm-objdump lists the table in order, without the null symbol.
    #expect(object.symbols.count == expected.count + 1)
    #expect(object.symbols.first?.name == "")
    for (symbol, line) in zip(object.symbols.dropFirst(), expected) {
      #expect(symbol.name == line.name)
      #expect(symbol.value == line.value, "\(symbol.name)")
      #expect(symbol.size == line.size, "\(symbol.name)")
      let section: String
      switch symbol.sectionIndex {
      case Symbol.undefinedSection: section = "*UND*"
      case Symbol.absoluteSection: section = "*ABS*"
      case Symbol.commonSection: section = "*COM*"
      default: section = object.sections[symbol.sectionIndex].name
      }
      #expect(section == line.section, "\(symbol.name)")
      #expect((symbol.binding == .weak) == line.isWeak, "\(symbol.name)")
      #expect(symbol.visibility.description == line.visibility, "\(symbol.name)")
      if !symbol.isUndefined && symbol.binding != .weak {
        #expect(line.binding == (symbol.binding == .local ? "l" : "g"), "\(symbol.name)")
      }
      switch line.typeFlag {
      case "F": #expect(symbol.kind == .function, "\(symbol.name)")
      case "O": #expect(symbol.kind == .object, "\(symbol.name)")
      case "f": #expect(symbol.kind == .file, "\(symbol.name)")
      default: #expect(symbol.kind == (line.isSectionSymbol ? .section : .none), "\(symbol.name)")
      }
    }
  }

  @Test(.enabled(if: Objdump.shouldRun, "needs llvm-objdump"), arguments: Fixture.objects)
  func programsMatchObjdump(_ url: URL) throws {
    let object = try ObjectFile(path: url.path)
    let sections = try Objdump.sections(url.path)
    let textSections = Set(sections.filter { $0.kind == "TEXT" }.map(\.name))
    let functions = try Objdump.symbols(url.path).filter { $0.typeFlag == "F" && textSections.contains($0.section) }
    struct Key: Hashable { var name, section: String; var offset, size: UInt64 }
    let expectedPrograms = Set(functions.filter { $0.section != ".text" }.map { Key(name: $0.name, section: $0.section, offset: $0.value, size: $0.size) })
    let expectedSubprograms = Set(functions.filter { $0.section == ".text" }.map { Key(name: $0.name, section: $0.section, offset: $0.value, size: $0.size) })
    #expect(Set(object.programs.map { Key(name: $0.name, section: $0.sectionName, offset: $0.offset, size: $0.size) }) == expectedPrograms)
    #expect(Set(object.subprograms.map { Key(name: $0.name, section: $0.sectionName, offset: $0.offset, size: $0.size) }) == expectedSubprograms)
    #expect(object.programs.count == expectedPrograms.count)
    for program in object.programs {
      let bytes = try Objdump.contents(url.path, section: program.sectionName)
      let start = Int(program.offset)
      #expect(Array(object.bytes(of: program)) == Array(bytes[start..<start + Int(program.size)]), "\(program.name)")
      #expect(program.slotCount * 8 == Int(program.size))
    }
  }

  @Test(.enabled(if: Objdump.shouldRun, "needs llvm-objdump"), arguments: Fixture.objects)
  func relocationsMatchObjdump(_ url: URL) throws {
    let object = try ObjectFile(path: url.path)
    let textSections = Set(try Objdump.sections(url.path).filter { $0.kind == "TEXT" }.map(\.name))
    let all = try Objdump.relocations(url.path)
    try #require(!all.isEmpty, "every fixture has relocations (.BTF.ext at least); could not parse llvm-objdump -r")
    let expected = all.filter { textSections.contains($0.section) }
    let actual = object.relocations.map {
      Objdump.RelocationLine(section: $0.sectionName, offset: $0.offset, type: $0.type.description, symbol: $0.symbolName)
    }
    #expect(actual.sorted(by: Self.order) == expected.sorted(by: Self.order))
    // Slot positions: in the section, and in the function objdump places the offset in.
    let functions = try Objdump.symbols(url.path).filter { $0.typeFlag == "F" }
    for relocation in object.relocations {
      #expect(relocation.slot * 8 == Int(relocation.offset))
      let owner = functions.first { $0.section == relocation.sectionName && $0.value <= relocation.offset && relocation.offset < $0.value + $0.size }
      #expect(relocation.function == owner?.name)
      if let owner { #expect(relocation.functionSlot == Int((relocation.offset - owner.value) / 8)) }
      if case .unsupported(let reason) = relocation.target { Issue.record("fixture relocation unsupported: \(reason)") }
    }
  }

  @Test(.enabled(if: Objdump.shouldRun, "needs llvm-objdump"), arguments: Fixture.objects)
  func relocationTargetsFollowSymbolSections(_ url: URL) throws {
    let object = try ObjectFile(path: url.path)
    let sections = try Objdump.sections(url.path)
    let symbols = try Objdump.symbols(url.path)
    for relocation in object.relocations {
      // The symbol as objdump lists it (index - 1: objdump omits the null symbol).
      let line = try #require(symbols.indices.contains(relocation.symbolIndex - 1) ? symbols[relocation.symbolIndex - 1] : nil)
      let kind = sections.first { $0.name == line.section }?.kind
      switch relocation.target {
      case .extern(let name, _):
        #expect(line.section == "*UND*")
        #expect(name == line.name)
      case .subprogramCall(let ref), .callbackAddress(let ref):
        #expect(kind == "TEXT")
        #expect(ref.sectionName == line.section)
        // The callee starts where a function symbol of that section starts.
        #expect(symbols.contains { $0.typeFlag == "F" && $0.section == ref.sectionName && $0.value == ref.offset && $0.name == ref.name })
      case .map(let name, let section, let offset):
        #expect(section == ".maps" || section == "maps")
        #expect(symbols.contains { $0.section == section && $0.name == name && $0.value == offset })
      case .globalData(let section, _, let offset, _):
        #expect(kind == "DATA" || kind == "BSS")
        #expect(section == line.section)
        let size = try #require(sections.first { $0.name == section }?.size)
        #expect(offset <= size)
      case .none, .unsupported:
        Issue.record("unexpected \(relocation.target) at \(relocation.sectionName)+\(relocation.offset)")
      }
    }
  }

  @Test(.enabled(if: Objdump.shouldRun, "needs llvm-objdump"), arguments: Fixture.objects)
  func byteOrderMatchesObjdump(_ url: URL) throws {
    let object = try ObjectFile(path: url.path)
    let architecture = try Objdump.architecture(url.path)
    #expect(architecture == (object.byteOrder == .big ? "bpfeb" : "bpfel"))
  }

  @Test(.enabled(if: Objdump.shouldRun, "needs llvm-objdump"), arguments: Fixture.objects)
  func metadataMatchesSectionContents(_ url: URL) throws {
    let object = try ObjectFile(path: url.path)
    let names = Set(try Objdump.sections(url.path).map(\.name))
    if names.contains("license") {
      let bytes = try Objdump.contents(url.path, section: "license")
      #expect(object.license == String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self))
    } else {
      #expect(object.license == nil)
    }
    #expect(object.btf == (names.contains(".BTF") ? try Objdump.contents(url.path, section: ".BTF") : nil))
    #expect(object.btfExt == (names.contains(".BTF.ext") ? try Objdump.contents(url.path, section: ".BTF.ext") : nil))
  }

  @Test func bytesAndPathGiveTheSameObject() throws {
    let url = try #require(Fixture.objects.first)
    let fromPath = try ObjectFile(path: url.path)
    let fromBytes = try ObjectFile(bytes: Fixture.bytes("obj/\(url.lastPathComponent)"), name: "embedded")
    #expect(fromBytes.name == "embedded")
    #expect(fromPath.sections == fromBytes.sections)
    #expect(fromPath.symbols == fromBytes.symbols)
    #expect(fromPath.relocations == fromBytes.relocations)
  }

  static func order(_ a: Objdump.RelocationLine, _ b: Objdump.RelocationLine) -> Bool {
    (a.section, a.offset) < (b.section, b.offset)
  }
}
