import Foundation
import Testing
import TestSupport
@testable import BTF

/// DATASEC fix-up against the objects' own section headers and symbols,
/// as llvm-objdump prints them.
@Suite struct DataSectionTests {
  /// Section sizes and object-symbol values from `llvm-objdump
  /// --section-headers --syms`; nil only when llvm-objdump is missing.
  static func elfLayout(_ object: URL) throws -> [String: BTF.SectionLayout]? {
    guard let objdump = Toolchain.tool("llvm-objdump") else { return nil }
    let output = try runTool(objdump, ["--section-headers", "--syms", object.path]).output
    var layouts = [String: BTF.SectionLayout]()
    var inSymbols = false
    for line in output.split(separator: "\n") {
      if line.hasPrefix("SYMBOL TABLE") { inSymbols = true; continue }
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      if !inSymbols {
        // "  6 .data  00000074 0000000000000000 DATA"
        guard fields.count >= 4, Int(fields[0]) != nil, let size = UInt32(fields[2], radix: 16) else { continue }
        layouts[String(fields[1])] = BTF.SectionLayout(size: size, offsets: [:])
      } else {
        // "0000000000000008 g     O .data	0000000000000004 k_union"
        guard let o = fields.firstIndex(of: "O"), o + 3 < fields.count + 1, fields.count > o + 2,
              let value = UInt32(fields[0], radix: 16)
        else { continue }
        let section = String(fields[o + 1]), name = String(fields[fields.count - 1])
        layouts[section]?.offsets[name] = value
      }
    }
    return layouts
  }

  @Test(arguments: Fixture.objects)
  func fixedSectionsMatchTheELF(object: URL) throws {
    guard FixtureBTF.toolsAvailable() else { return }
    guard let layouts = try Self.elfLayout(object) else {
      if TestEnvironment.mustNotSkip { Issue.record("llvm-objdump is missing") }
      return
    }
    let btf = try BTF(bytes: try #require(try FixtureBTF.section(".BTF", of: object)))
    let fixed = try btf.fixingDataSections(layouts)
    #expect(fixed.typeCount == btf.typeCount)
    var checkedOffsets = 0
    for raw in fixed.localTypeIDs {
      guard case .dataSection(let section) = try fixed[BTF.TypeID(raw)] else { continue }
      let name = try fixed.string(of: section.name)
      guard let layout = layouts[name] else { continue }
      #expect(section.size == layout.size, "\(name)")
      var previousEnd: UInt32 = 0
      for entry in try fixed.variables(of: BTF.TypeID(raw)) {
        let variable = try fixed.nameString(of: entry.type)
        if let offset = layout.offsets[variable] {
          #expect(entry.offset == offset, "\(name) \(variable)")
          checkedOffsets += 1
        }
        #expect(entry.offset >= previousEnd, "\(name): \(variable) overlaps or is out of order")
        previousEnd = entry.offset + entry.size
      }
      #expect(previousEnd <= section.size)
    }
    if object.lastPathComponent == "btf_kinds.bpf.o" {
      // .data (11 vars), .bss (6), .rodata (1), license (1).
      #expect(checkedOffsets == 19)
    }
    // An independent parser reads the fixed blob the same way.
    let bytes = try fixed.encoded()
    let dump = try #require(try FixtureBTF.bpftoolDump(bytes))
    #expect(try BpftoolFormat.dump(BTF(bytes: bytes)) == dump.map(String.init))
  }
}
