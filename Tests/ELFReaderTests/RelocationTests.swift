import Foundation
import Testing
import TestSupport
import UAPI

@testable import ELFReader

/// Relocation targets computed from the symbol and the immediate clang
/// wrote, compared with llvm-objdump's symbols and disassembly.
@Suite struct RelocationTests {
  /// Global data: offset = st_value + the ld_imm64 immediate (a section
  /// symbol carries the offset in the immediate, a named one in st_value).
  /// Calls: callee = st_value + (imm + 1) * 8. Callbacks: st_value + imm.
  @Test(.enabled(if: Objdump.shouldRun, "needs llvm-objdump"), arguments: Fixture.objects)
  func targetsFollowSymbolAndImmediate(_ url: URL) throws {
    let object = try ObjectFile(path: url.path)
    let symbols = try Objdump.symbols(url.path)
    let lines = try Objdump.disassembly(url.path)
    for relocation in object.relocations {
      let symbol = symbols[relocation.symbolIndex - 1]
      let line = try #require(lines.first { $0.section == relocation.sectionName && $0.slot == relocation.slot })
      let immediate = try #require(line.immediate, "no immediate in '\(line.text)'")
      switch relocation.target {
      case .globalData(let section, _, let offset, let variable):
        #expect(Int64(offset) == Int64(symbol.value) + immediate)
        #expect(section == symbol.section)
        // The variable is the named symbol of that section covering the offset.
        let owner = symbols.first { $0.section == section && $0.typeFlag == "O" && $0.value <= offset && offset < $0.value + max($0.size, 1) }
        #expect(variable == owner?.name)
      case .subprogramCall(let callee):
        #expect(Int64(callee.offset) == Int64(symbol.value) + (immediate + 1) * 8)
      case .callbackAddress(let callee):
        #expect(Int64(callee.offset) == Int64(symbol.value) + immediate)
        #expect(line.text.hasSuffix(" ll"))
      case .map(let name, _, let offset):
        #expect(name == symbol.name)
        #expect(offset == symbol.value)
        #expect(immediate == 0)
      case .extern(let name, let usage):
        #expect(name == symbol.name)
        #expect(usage == (line.text.hasPrefix("call ") ? .call : .load))
      case .none, .unsupported:
        Issue.record("\(relocation.target)")
      }
    }
  }

  @Test func findsRelocationsOfOneProgram() throws {
    let object = try ObjectFile(path: Fixture.object("programs.bpf.o").path)
    for program in object.programs {
      let mine = object.relocations(of: program)
      let expected = object.relocations.filter { $0.sectionIndex == program.section.index && $0.offset >= program.offset && $0.offset < program.offset + program.size }
      #expect(Array(mine) == expected)
    }
  }
}
