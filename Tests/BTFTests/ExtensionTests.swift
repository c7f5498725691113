import Foundation
import Testing
import TestSupport
import UAPI
@testable import BTF

/// `.BTF.ext`, hand-encoded from Documentation/bpf/btf.rst section 4.2, and
/// the fixtures' `.BTF.ext` against llvm-objdump's symbols and the C sources.
@Suite struct ExtensionTests {
  struct Part {
    var recordSize: UInt32
    var sections: [(name: UInt32, records: [[UInt32]])]
  }

  /// header (hdr_len 24 or 32) + func_info + line_info (+ core_relo).
  static func extBytes(_ order: ByteOrder, parts: [Part], headerLength: UInt32 = 32) -> [UInt8] {
    let raw = RawBTF(order: order)
    var bodies = [[UInt8]]()
    for part in parts {
      var body = [UInt8]()
      raw.u32(part.recordSize, into: &body)
      for section in part.sections {
        raw.u32(section.name, into: &body)
        raw.u32(UInt32(section.records.count), into: &body)
        for record in section.records {
          for word in record { raw.u32(word, into: &body) }
          // Pad records bigger than the known fields with zeros.
          for _ in record.count ..< Int(part.recordSize / 4) { raw.u32(0, into: &body) }
        }
      }
      bodies.append(body)
    }
    var header = [UInt8]()
    header += order == .little ? [0x9F, 0xEB, 1, 0] : [0xEB, 0x9F, 1, 0]
    raw.u32(headerLength, into: &header)
    var offset: UInt32 = 0
    let slots = headerLength >= 32 ? 3 : 2
    for index in 0 ..< slots {
      let length = index < bodies.count ? UInt32(bodies[index].count) : 0
      raw.u32(length == 0 ? 0 : offset, into: &header)
      raw.u32(length, into: &header)
      offset += length
    }
    return header + bodies.prefix(slots).flatMap { $0 }
  }

  /// BTF with the strings the records refer to.
  struct Strings {
    var section, file, mainLine, returnLine, access: UInt32
  }

  static func btf(_ order: ByteOrder) throws -> (BTF, Strings) {
    var raw = RawBTF(order: order)
    let names = Strings(
      section: raw.string("tp/sched/x"), file: raw.string("prog.c"), mainLine: raw.string("int main(void) {"),
      returnLine: raw.string("  return 0;"), access: raw.string("0:1"))
    raw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])        // [1]
    raw.type(kind: 13, sizeOrType: 1)                                    // [2] int (void)
    raw.type(name: "main", kind: 12, vlen: 1, sizeOrType: 2)             // [3]
    raw.type(name: "s", kind: 4, vlen: 0, sizeOrType: 4)                 // [4]
    return (try BTF(bytes: raw.bytes()), names)
  }

  @Test(arguments: [ByteOrder.little, .big], [UInt32(0), 8])
  func readsAllThreePartsWithLargerRecords(order: ByteOrder, extra: UInt32) throws {
    let (btf, n) = try Self.btf(order)
    let sec = n.section
    let parts = [
      Part(recordSize: 8 + extra, sections: [(sec, [[0, 3]])]),
      Part(recordSize: 16 + extra, sections: [(sec, [[0, n.file, n.mainLine, 3 << 10 | 5],
                                                       [8, n.file, n.returnLine, 4 << 10 | 3]])]),
      Part(recordSize: 16 + extra, sections: [(sec, [[16, 4, n.access, 0]])]),
    ]
    let ext = try BTF.Extension(bytes: Self.extBytes(order, parts: parts), btf: btf)
    #expect(ext.byteOrder == order)
    #expect(ext.functionInfoRecordSize == Int(8 + extra))
    #expect(ext.functionInfo.count == 1 && ext.functionInfo[0].name == "tp/sched/x")
    #expect(ext.functionInfo[0].records == [BTF.FunctionInfo(instructionOffset: 0, type: 3)])
    let lines = try #require(ext.lineInfo.first).records
    #expect(lines.map(\.line) == [3, 4] && lines.map(\.column) == [5, 3])
    #expect(lines.map(\.file) == ["prog.c", "prog.c"])
    #expect(lines.map(\.source) == ["int main(void) {", "  return 0;"])
    #expect(lines[1].instructionIndex == 1)
    let relo = try #require(ext.coreRelocations.first?.records.first)
    #expect(relo.type == 4 && relo.accessString == "0:1" && relo.kind == .fieldByteOffset && relo.instructionIndex == 2)
  }

  @Test func shortHeaderHasNoCORERelocations() throws {
    let (btf, n) = try Self.btf(.little)
    let parts = [Part(recordSize: 8, sections: [(n.section, [[0, 3]])]), Part(recordSize: 16, sections: [])]
    let ext = try BTF.Extension(bytes: Self.extBytes(.little, parts: parts, headerLength: 24), btf: btf)
    #expect(ext.functionInfo.count == 1 && ext.coreRelocations.isEmpty && ext.lineInfo.isEmpty)
  }

  @Test func rejectsRecordSizeSmallerThanTheFormat() throws {
    let (btf, n) = try Self.btf(.little)
    let small = [Part(recordSize: 4, sections: [(n.section, [[0]])]), Part(recordSize: 16, sections: [])]
    // func_info starts right after the 32-byte header.
    #expect(throws: BTFError.recordSizeTooSmall(section: "func_info", offset: 32, recordSize: 4, minimum: 8)) {
      try BTF.Extension(bytes: Self.extBytes(.little, parts: small), btf: btf)
    }
    let smallLines = [Part(recordSize: 8, sections: []), Part(recordSize: 12, sections: [])]
    #expect(throws: BTFError.recordSizeTooSmall(section: "line_info", offset: 36, recordSize: 12, minimum: 16)) {
      try BTF.Extension(bytes: Self.extBytes(.little, parts: smallLines), btf: btf)
    }
  }

  @Test func rejectsBadStringsTypesAndCounts() throws {
    let (btf, n) = try Self.btf(.little)
    let badName = [Part(recordSize: 8, sections: [(9999, [[0, 3]])])]
    #expect(throws: BTFError.self) { try BTF.Extension(bytes: Self.extBytes(.little, parts: badName), btf: btf) }
    let badType = [Part(recordSize: 8, sections: [(n.section, [[0, 77]])])]
    #expect(throws: BTFError.self) { try BTF.Extension(bytes: Self.extBytes(.little, parts: badType), btf: btf) }
    var bytes = Self.extBytes(.little, parts: [Part(recordSize: 8, sections: [(n.section, [[0, 3]])])])
    bytes[40] = 200  // num_info far past the data
    #expect(throws: BTFError.self) { try BTF.Extension(bytes: bytes, btf: btf) }
    for length in 0 ..< bytes.count - 1 {
      #expect(throws: BTFError.self) { try BTF.Extension(bytes: Array(bytes.prefix(length)), btf: btf) }
    }
  }

  /// func_info names the FUNC at each function symbol's offset (llvm-objdump
  /// --syms); line_info's text is the line of the C source it names.
  @Test(arguments: Fixture.objects)
  func fixtureExtensionMatchesSymbolsAndSources(object: URL) throws {
    guard FixtureBTF.toolsAvailable(), let objdump = Toolchain.tool("llvm-objdump") else {
      #expect(!TestEnvironment.mustNotSkip, "llvm-objdump missing")
      return
    }
    let btf = try BTF(bytes: try #require(try FixtureBTF.section(".BTF", of: object)))
    let extBytes = try #require(try FixtureBTF.section(".BTF.ext", of: object), "no .BTF.ext in \(object.lastPathComponent)")
    let ext = try BTF.Extension(bytes: extBytes, btf: btf)
    #expect(!ext.functionInfo.isEmpty)
    // Function symbols: "<value> g F <section> <size> <name>".
    let syms = try runTool(objdump, ["--syms", object.path]).output
    var functions = Set<String>()
    for line in syms.split(separator: "\n") {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard fields.count >= 6, let f = fields.firstIndex(of: "F"), f + 1 < fields.count else { continue }
      guard let value = UInt64(fields[0], radix: 16) else { continue }
      let section = fields[f + 1], name = fields.last ?? ""
      functions.insert("\(section) \(value) \(name)")
    }
    for section in ext.functionInfo {
      for record in section.records {
        let name = try btf.nameString(of: record.type)
        #expect(functions.contains("\(section.name) \(record.instructionOffset) \(name)"),
                "\(object.lastPathComponent): func_info \(section.name)+\(record.instructionOffset) \(name)")
      }
    }
    var sources = [String: [Substring]]()
    var checked = 0
    for section in ext.lineInfo {
      // clang ran from the repository root: "./Fixtures/src/x.bpf.c".
      for record in section.records where record.file.hasPrefix("./Fixtures/") {
        let path = String(record.file.dropFirst(2))
        if sources[path] == nil {
          let text = try String(contentsOf: Fixture.packageRoot.appendingPathComponent(path), encoding: .utf8)
          sources[path] = text.split(separator: "\n", omittingEmptySubsequences: false)
        }
        let lines = try #require(sources[path])
        let index = Int(record.line) - 1
        #expect(index >= 0 && index < lines.count && lines[index] == record.source[...],
                "\(record.file):\(record.line)")
        checked += 1
      }
    }
    #expect(checked > 0)
    for section in ext.coreRelocations {
      for relo in section.records {
        #expect(relo.kind.rawValue <= 12)
        #expect(relo.accessString.allSatisfy { $0.isNumber || $0 == ":" })
      }
    }
  }
}
