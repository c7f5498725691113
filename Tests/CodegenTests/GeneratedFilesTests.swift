import Foundation
import Testing
import TestSupport

/// The generated Swift checked in for the layout test targets must be what
/// the generator writes today, or those targets test yesterday's output.
@Suite struct GeneratedFilesTests {
  static let regenerate = ProcessInfo.processInfo.environment["SWIFTBPF_REGENERATE"] == "1"
  static let hint = "regenerate with: SWIFTBPF_REGENERATE=1 swift test --filter GeneratedFilesTests"

  @Test func checkedInFilesAreCurrent() throws {
    for file in try GeneratedLayoutFiles.all {
      let url = Fixture.packageRoot.appendingPathComponent(file.path)
      let expected = try file.render()
      if Self.regenerate {
        try expected.write(to: url, atomically: true, encoding: .utf8)
        continue
      }
      let current = try? String(contentsOf: url, encoding: .utf8)
      #expect(current == expected, "\(file.path) is stale or missing; \(Self.hint)")
    }
  }

  @Test func noOtherFilesInTheGeneratedDirectories() throws {
    let expected = Set(try GeneratedLayoutFiles.all.map(\.path))
    for directory in [GeneratedLayoutFiles.layoutDirectory, GeneratedLayoutFiles.fixtureDirectory] {
      let url = Fixture.packageRoot.appendingPathComponent(directory)
      for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".swift") {
        let path = "\(directory)/\(name)"
        if Self.regenerate && !expected.contains(path) {
          try FileManager.default.removeItem(at: url.appendingPathComponent(name))
          continue
        }
        #expect(expected.contains(path), "\(path) is not generated any more; \(Self.hint)")
      }
    }
  }
}
