import Foundation
import Testing
import TestSupport
@testable import BTF

/// Every fixture object's `.BTF` (clang's description of the fixture's C):
/// the header written from it compiles for the fixture's target and clang's
/// layout of it is the original's; and the raw dump is bpftool's.
@Suite struct CDumpFixtureTests {
  static func btf(_ object: URL) throws -> BTF? {
    guard FixtureBTF.toolsAvailable() else { return nil }
    let bytes = try #require(try FixtureBTF.section(".BTF", of: object), "\(object.lastPathComponent) has no .BTF")
    return try BTF(bytes: bytes)
  }

  @Test(arguments: Fixture.objects.map(\.lastPathComponent))
  func headerKeepsFixtureLayouts(name: String) throws {
    guard CDumpCheck.clangAvailable(), let btf = try Self.btf(Fixture.object(name)) else { return }
    try CDumpRoundTrip.check(btf, label: name, target: btf.byteOrder == .big ? "bpfeb" : "bpfel")
  }

  @Test(arguments: Fixture.objects.map(\.lastPathComponent))
  func rawDumpIsBpftools(name: String) throws {
    let object = Fixture.object(name)
    guard let btf = try Self.btf(object) else { return }
    let bytes = try #require(try FixtureBTF.section(".BTF", of: object))
    let expected = try #require(try FixtureBTF.bpftoolDump(bytes), "bpftool could not dump \(name)")
    let ours = try BTF.RawDump.render(btf).split(separator: "\n")
    #expect(ours.count == expected.count)
    for (line, (a, b)) in zip(ours, expected).enumerated() where CDumpRawTests.normalized(a) != b {
      Issue.record("\(name) line \(line + 1): ours '\(a)', bpftool '\(b)'")
      break
    }
  }
}
