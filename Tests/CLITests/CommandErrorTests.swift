import Foundation
import Testing
import TestSupport

/// Failures: a non-zero exit, one line on stderr — or, with `--json`, an
/// `{"error": {"kind", "message"}}` object on stdout — naming the file.
@Suite("swiftbpf errors")
struct CommandErrorTests {
  /// Bad objects written to a temporary directory.
  static func badObjects() throws -> [(label: String, url: URL)] {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftbpf-cli-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var generator = SystemRandomNumberGenerator()
    let fixture = try Data(contentsOf: Fixture.object("programs.bpf.o"))
    let cases: [(String, Data)] = [
      ("empty", Data()),
      ("random", Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })),
      ("truncated", fixture.prefix(fixture.count / 2)),
      ("host-elf", try Data(contentsOf: URL(fileURLWithPath: "/bin/true"))),
    ]
    return try cases.map { label, bytes in
      let url = dir.appendingPathComponent("\(label).o")
      try bytes.write(to: url)
      return (label, url)
    }
  }

  @Test("bad objects fail with one line naming the file")
  func plainErrors() throws {
    for (label, url) in try Self.badObjects() {
      for command in ["inspect", "disasm"] {
        let run = try swiftbpf([command, url.path])
        #expect(run.status != 0, "\(command) \(label)")
        #expect(run.stdout.isEmpty, "\(command) \(label)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(command) \(label): \(run.stderr)")
        #expect(run.stderr.contains(url.path), "\(command) \(label): \(run.stderr)")
      }
    }
  }

  @Test("with --json, failures are an error object on stdout")
  func jsonErrors() throws {
    for (label, url) in try Self.badObjects() {
      let run = try swiftbpf(["inspect", "--json", url.path])
      #expect(run.status != 0, "\(label)")
      let json = try jsonObject(run.stdout)
      let error = try #require(json["error"] as? [String: Any], "\(label): \(run.stdout)")
      let kind = try #require(error["kind"] as? String)
      let message = try #require(error["message"] as? String)
      #expect(kind.hasPrefix("ELFError"), "\(label): \(kind)")
      #expect(message.contains(url.path), "\(label): \(message)")
    }
  }

  @Test("a missing file is an error, not a crash")
  func missingFile() throws {
    let run = try swiftbpf(["inspect", "/nonexistent/x.bpf.o"])
    #expect(run.status != 0)
    #expect(run.stderr.contains("/nonexistent/x.bpf.o"))
  }
}
