import Foundation
import SwiftBPF
import Testing
import TestSupport

/// The layout corpus's generated types against clang: a host program
/// including Fixtures/include/layout_types.h prints sizeof, _Alignof and
/// offsetof of each named type and member the listing has; Swift's
/// MemoryLayout (and, for computed members, where the accessor writes) must
/// say the same. A missing clang is a skip, except under CI or
/// SWIFTBPF_REQUIRE_KERNEL=1.
@Suite struct ClangLayoutTests {
  /// One query: the C type, the member (nil for the type itself).
  struct Query { var cType: String; var member: String? }

  /// The C spelling of a listed type: its tag, or the typedef naming an anonymous one.
  static func cType(_ btf: BTF, _ raw: UInt32) throws -> String? {
    let id = BTF.TypeID(raw)
    let descriptor = try btf[id]
    let name = try btf.string(of: descriptor.name)
    switch descriptor {
    case .struct where !name.isEmpty: return "struct \(name)"
    case .union where !name.isEmpty: return "union \(name)"
    case .enum where !name.isEmpty, .enum64 where !name.isEmpty: return "enum \(name)"
    default:
      for other in btf.allTypeIDs {
        if case .typedef(let t) = try btf[BTF.TypeID(other)], t.type == id { return try btf.string(of: t.name) }
      }
      return nil
    }
  }

  static func answers(_ queries: [Query]) throws -> [String]? {
    guard let clang = Toolchain.tool("clang") else {
      #expect(!TestEnvironment.mustNotSkip, "clang missing at \(Toolchain.binDirectory)")
      return nil
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swiftbpf-layout-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var program = "#include <stddef.h>\n#include <stdio.h>\n#include \"layout_types.h\"\nint main(void) {\n"
    for query in queries {
      if let member = query.member {
        program += "  printf(\"%zu\\n\", offsetof(\(query.cType), \(member)));\n"
      } else {
        program += "  printf(\"%zu %zu\\n\", sizeof(\(query.cType)), _Alignof(\(query.cType)));\n"
      }
    }
    program += "  return 0;\n}\n"
    let source = dir.appendingPathComponent("layout.c"), binary = dir.appendingPathComponent("layout")
    try program.write(to: source, atomically: true, encoding: .utf8)
    let include = Fixture.directory.appendingPathComponent("include").path
    let build = try runProcess(clang, ["-w", "-I", include, "-o", binary.path, source.path])
    try #require(build.status == 0, "clang: \(build.stderr.prefix(2000))")
    let run = try runProcess(binary.path, [])
    try #require(run.status == 0)
    return run.stdout.split(separator: "\n").map(String.init)
  }

  @Test func generatedLayoutsMatchClang() throws {
    let object = try ObjectFile(path: Fixture.object("layout.bpf.o").path)
    let btf = try BTF(bytes: try #require(object.btf))
    var queries: [Query] = []
    var expectations: [(String, String)] = []  // (what, Swift's answer)
    for entry in layoutManifest {
      guard let cType = try Self.cType(btf, entry.btfID) else { continue }  // nested anonymous: BTF checks them
      queries.append(Query(cType: cType, member: nil))
      #expect(entry.size == entry.stride, "\(entry.swiftName)")
      expectations.append(("\(cType): sizeof _Alignof", "\(entry.stride) \(entry.alignment)"))
      for member in entry.members where member.role != .bitfield {
        queries.append(Query(cType: cType, member: member.cName))
        // A computed member's offset is where its accessor writes.
        let written = member.offset ?? member.onesWritten.firstIndex { $0 != 0 }
        expectations.append(("\(cType).\(member.cName)", written.map(String.init) ?? "nothing written"))
      }
    }
    #expect(queries.count > 80)  // every named type of the corpus and its members
    guard let answers = try Self.answers(queries) else { return }
    try #require(answers.count == expectations.count)
    for (index, (what, swift)) in expectations.enumerated() {
      #expect(swift == answers[index], "\(what): Swift \(swift), clang \(answers[index])")
    }
  }
}
