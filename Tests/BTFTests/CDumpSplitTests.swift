import Foundation
import Testing
import TestSupport
import UAPI
@testable import BTF

/// Split BTF (a module on a base): the header holds the base's types and the
/// module's; the raw dump, like bpftool's, only the module's.
@Suite struct CDumpSplitTests {
  @Test func splitHeaderCompilesWithTheLayouts() throws {
    let (baseBytes, moduleBytes) = SplitTests.blobs(.little)
    let module = try BTF(bytes: moduleBytes, base: try BTF(bytes: baseBytes))
    let (header, writer) = try CDumpCheck.header(module)
    #expect(header.contains("struct mod_s {"))
    guard CDumpCheck.clangAvailable() else { return }
    let (source, counts) = try CDumpCheck.assertions(module, writer)
    #expect(counts.sizes >= 2)
    let (status, messages) = try CDumpCheck.compile(header: header, source: source)
    #expect(status == 0, "\(CDumpCheck.excerpt(messages))\n\(header)")
  }

  @Test func splitRawDumpIsBpftools() throws {
    let (baseBytes, moduleBytes) = SplitTests.blobs(.little)
    let module = try BTF(bytes: moduleBytes, base: try BTF(bytes: baseBytes))
    guard Bpftool.path != nil else {
      #expect(!TestEnvironment.mustNotSkip, "bpftool missing")
      return
    }
    let dir = try FixtureBTF.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let basePath = dir.appendingPathComponent("base.btf").path
    try Data(baseBytes).write(to: URL(fileURLWithPath: basePath))
    let expected = try #require(try FixtureBTF.bpftoolDump(moduleBytes, base: basePath))
    let ours = try BTF.RawDump.render(module).split(separator: "\n")
    #expect(ours.map { CDumpRawTests.normalized($0) } == expected)
    #expect(ours.first?.hasPrefix("[20] STRUCT 'mod_s'") == true)
  }
}
