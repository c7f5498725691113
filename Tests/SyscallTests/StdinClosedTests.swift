import Foundation
import Glibc
import Testing
import TestSupport
@testable import Syscall

/// Descriptors stay above 2 when a process runs with standard streams closed.
///
/// Closing stdin inside this test process would race with every test that
/// opens a file or spawns a tool, so the parent test re-runs this test bundle
/// limited to the serialized `StdinClosedChildTests`, where nothing else runs:
/// the child closes its stdin, checks, and restores it. (Closing stdin before
/// exec does not work: the runtime's own epoll descriptor then lands on 0 —
/// the very hazard `OwnedFD.adopt` guards against.) The child records what it
/// saw in a report file; the parent checks the report.
@Suite struct StdinClosedTests {
  static let reportVariable = "SWIFTBPF_STDIO_CLOSED_REPORT"

  @Test func descriptorsStayAboveTwoWithStandardStreamsClosed() throws {
    let bundle = try #require(Bundle.main.executablePath ?? CommandLine.arguments.first)
    let report = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftbpf-stdio-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: report) }
    var environment = ProcessInfo.processInfo.environment
    environment[Self.reportVariable] = report.path
    let run = try runProcess(
      bundle, ["--testing-library", "swift-testing", "--filter", "StdinClosedChildTests"],
      environment: environment)
    #expect(run.status == 0, "child failed:\n\(run.stdout)")
    let text = try String(contentsOf: report, encoding: .utf8)
    var facts: [String: Int] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: "=")
      if parts.count == 2, let v = Int(parts[1]) { facts[String(parts[0])] = v }
    }
    let raw = try #require(facts["adopt.raw"], "child report: \(text)")
    #expect(raw == 0, "the child's open() should have landed on the closed stdin")
    #expect(try #require(facts["adopt.result"]) > 2)
    #expect(facts["adopt.cloexec"] == 1)
    #expect(facts["adopt.lowClosedAfter"] == 1, "the low descriptor is closed again")
    // The child inherits the environment: under SWIFTBPF_REQUIRE_KERNEL=1 it
    // runs the map test even unprivileged, and a missing report fails here.
    if Kernel.canLoad || Kernel.isRequired {
      #expect(try #require(facts["map.result"], "child report: \(text)") > 2)
      #expect(facts["map.lowClosedAfter"] == 1)
    }
  }
}

/// Runs only in the child started above.
@Suite(.serialized,
       .enabled(if: ProcessInfo.processInfo.environment[StdinClosedTests.reportVariable] != nil,
                "runs in a child process with stdin and stderr closed"))
struct StdinClosedChildTests {
  func record(_ line: String) throws {
    let path = try #require(ProcessInfo.processInfo.environment[StdinClosedTests.reportVariable])
    let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    try (existing + line + "\n").write(toFile: path, atomically: false, encoding: .utf8)
  }

  /// Runs `body` with descriptor 0 closed, then restores stdin.
  func withStdinClosed<R>(_ body: () throws -> R) throws -> R {
    let saved = fcntl(0, F_DUPFD_CLOEXEC, 10)
    try #require(saved >= 0)
    defer {
      dup2(saved, 0)
      close(saved)
    }
    close(0)
    return try body()
  }

  @Test func adoptMovesDescriptorOffStandardStreams() throws {
    let (raw, result, cloexec, closedAfter) = try withStdinClosed {
      let raw = open("/dev/null", O_RDONLY | O_CLOEXEC)
      let fd = try OwnedFD.adopt(raw)
      return (raw, fd.rawValue, fcntl(fd.rawValue, F_GETFD) & FD_CLOEXEC != 0,
              fcntl(0, F_GETFD) == -1)
    }
    try record("adopt.raw=\(raw)")
    try record("adopt.result=\(result)")
    try record("adopt.cloexec=\(cloexec ? 1 : 0)")
    try record("adopt.lowClosedAfter=\(closedAfter ? 1 : 0)")
  }

  @Test(.kernel)
  func newMapIsAboveTwo() throws {
    let (result, closedAfter) = try withStdinClosed {
      let map = try BPF.createMap(MapCreateAttributes(type: .array, keySize: 4, valueSize: 4,
                                                      maxEntries: 1))
      return (map.rawValue, fcntl(0, F_GETFD) == -1)
    }
    try record("map.result=\(result)")
    try record("map.lowClosedAfter=\(closedAfter ? 1 : 0)")
  }
}
