import SwiftBPF
import Testing
import LayoutTestSupport
import TestSupport

/// The layout corpus's generated types (`Generated/LayoutTypes.swift`)
/// against the object's BTF: size, stride, alignment, the offset of every
/// stored member, and the bytes every accessor writes and reads.
@Suite struct LayoutManifestTests {
  static func btf() throws -> BTF {
    let object = try ObjectFile(path: Fixture.object("layout.bpf.o").path)
    return try BTF(bytes: try #require(object.btf))
  }

  @Test(arguments: layoutManifest.map(\.swiftName))
  func generatedTypeHasTheBTFLayout(name: String) throws {
    let entry = try #require(layoutManifest.first { $0.swiftName == name })
    let problems = try LayoutCheck(btf: Self.btf()).problems(entry)
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  /// Each case of the corpus is in the listing as the kind of accessor it
  /// must be: stored where C has a member, computed where Swift cannot store.
  @Test func everyCaseGetsItsKindOfAccessor() throws {
    func role(_ type: String, _ member: String) -> MemberMeasurement.Role? {
      layoutManifest.first { $0.swiftName == type }?.members.first { $0.cName == member }?.role
    }
    #expect(role("Padded", "d") == .stored)
    #expect(role("Bits", "tag") == .stored)
    #expect(role("Bits", "across") == .bitfield)
    #expect(role("Value", "halves") == .computed)
    #expect(role("PackedRec", "stamp") == .computed)
    #expect(role("Outer", "point") == .stored)
    #expect(role("Outer", "as_float") == .computed)
    #expect(role("Scalars", "huge") == .stored)
    #expect(role("Keywords", "in") == .stored)
    #expect(role("Keywords", "filenameLen") == .stored)
    #expect(role("FlowKey", "port") == .stored)
  }
}
