import Foundation
import Testing
import TestSupport

/// `swiftbpf gen skeleton`: the file it writes, and its errors.
@Suite struct GenSkeletonCommandTests {
  static func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swiftbpf-gen-\(getpid())-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test func writesTheSkeletonAndLeavesAnUnchangedFileAlone() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let output = dir.appendingPathComponent("Skeleton.swift").path
    let object = Fixture.object("skeleton.bpf.o").path
    let first = try swiftbpf(["gen", "skeleton", object, "--name", "SkeletonFixture", "--access", "internal", "-o", output])
    try #require(first.status == 0, "\(first.stderr)")
    // The same bytes the tests compile (Tests/LoaderTests/Generated), whose
    // staleness CodegenTests check.
    let written = try String(contentsOfFile: output, encoding: .utf8)
    let checkedIn = try String(
      contentsOf: Fixture.packageRoot.appendingPathComponent("Tests/LoaderTests/Generated/SkeletonFixture.swift"),
      encoding: .utf8)
    #expect(written == checkedIn)

    // A second run with the same input keeps the file (and its mtime), so a
    // build does not recompile what did not change.
    let past = Date(timeIntervalSince1970: 1_000_000)
    try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: output)
    let second = try swiftbpf(["gen", "skeleton", object, "--name", "SkeletonFixture", "--access", "internal", "-o", output])
    try #require(second.status == 0, "\(second.stderr)")
    let attributes = try FileManager.default.attributesOfItem(atPath: output)
    #expect(attributes[.modificationDate] as? Date == past)
  }

  @Test func withoutOutputItPrintsAndDefaultsToPublicAndTheObjectName() throws {
    let run = try swiftbpf(["gen", "skeleton", Fixture.object("skeleton.bpf.o").path])
    try #require(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("public struct Skeleton: Sendable {"))
  }

  @Test func aMissingOrBrokenObjectIsOneClearLine() throws {
    let missing = try swiftbpf(["gen", "skeleton", "/nonexistent/x.bpf.o"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("cannot read /nonexistent/x.bpf.o"))

    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let broken = dir.appendingPathComponent("broken.bpf.o")
    try Data("not an ELF file".utf8).write(to: broken)
    let run = try swiftbpf(["gen", "skeleton", broken.path])
    #expect(run.status == 1)
    #expect(run.stderr.hasPrefix("swiftbpf: "))
    #expect(run.stderr.split(separator: "\n").count == 1)
  }
}
