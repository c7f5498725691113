import Foundation
import Testing
import TestSupport

/// `swiftbpf run`: it loads, attaches, prints the events of real hook runs
/// and detaches cleanly on its own or on Ctrl-C. The expected event values
/// come from the processes the test starts (their pid and file), not from
/// our own output.
@Suite("swiftbpf run", .serialized, .kernel)
struct RunCommandTests {
  /// Starts `swiftbpf run` in the background; output goes to files so a
  /// full pipe can never block it.
  final class Background {
    let process = Process()
    let out: URL
    let err: URL

    init(_ arguments: [String]) throws {
      let path = try #require(BuiltCLI.path, "the swiftbpf executable was not built")
      let dir = FileManager.default.temporaryDirectory
      out = dir.appendingPathComponent("swiftbpf-run-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out")
      err = out.appendingPathExtension("err")
      FileManager.default.createFile(atPath: out.path, contents: nil)
      FileManager.default.createFile(atPath: err.path, contents: nil)
      process.executableURL = URL(fileURLWithPath: path)
      process.arguments = arguments
      process.standardOutput = try FileHandle(forWritingTo: out)
      process.standardError = try FileHandle(forWritingTo: err)
      try process.run()
    }

    deinit {
      if process.isRunning { process.terminate() }
      try? FileManager.default.removeItem(at: out)
      try? FileManager.default.removeItem(at: err)
    }

    var stdout: String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }

    /// Waits (up to 30 s) until stderr says the programs are attached.
    func waitUntilRunning() throws {
      let deadline = Date().addingTimeInterval(30)
      while !stderr.contains("running"), process.isRunning, Date() < deadline { usleep(20_000) }
      try #require(stderr.contains("running"), "swiftbpf run did not start: \(stderr)")
    }

    func waitForExit(seconds: Double = 30) -> Int32? {
      let deadline = Date().addingTimeInterval(seconds)
      while process.isRunning, Date() < deadline { usleep(20_000) }
      return process.isRunning ? nil : process.terminationStatus
    }
  }

  /// Runs /bin/true and returns its pid.
  static func spawnTrue() throws -> Int32 {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/true")
    try child.run()
    child.waitUntilExit()
    return child.processIdentifier
  }

  /// The kernel's links whose program is named `program`, as bpftool
  /// (independent of us) lists them.
  static func links(ofProgram program: String) throws -> Set<Int> {
    guard let tool = Toolchain.systemTool("bpftool") else {
      try #require(!TestEnvironment.mustNotSkip, "bpftool missing")
      return []
    }
    let links = try JSONSerialization.jsonObject(with: Data(try runTool(tool, ["link", "list", "-j"]).output.utf8))
    var found: Set<Int> = []
    let linkList = try #require(links as? [[String: Any]], "bpftool link list -j printed no JSON array")
    for link in linkList {
      guard let id = link["id"] as? Int, let programID = link["prog_id"] as? Int else { continue }
      let shown = try runTool(tool, ["prog", "show", "id", String(programID), "-j"]).output
      let info = try? JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any]
      if info?["name"] as? String == program { found.insert(id) }
    }
    return found
  }

  @Test("--event-type prints each exec as pid, comm and filename, then exits 0 when the duration ends")
  func decodedExecEvents() throws {
    let run = try Background(["run", Fixture.object("ringbuf.bpf.o").path, "--duration", "3",
                              "--event-type", "exec_event"])
    try run.waitUntilRunning()
    let pid = try Self.spawnTrue()
    #expect(run.waitForExit() == 0, "\(run.stderr)")
    let line = run.stdout.split(separator: "\n").first { $0.contains("pid=\(pid) ") }
    let event = try #require(line, "no event for pid \(pid) in: \(run.stdout.prefix(2000))")
    #expect(event.hasPrefix("exec_events: "))
    #expect(event.contains("comm=\"true\""))
    #expect(event.contains("filename=\"/bin/true\""))
    #expect(run.stderr.contains("attached handle_exec"))
    #expect(run.stderr.contains("detached 1 link"))
  }

  @Test("by default events are hex bytes: the first four are the pid, little endian")
  func hexEvents() throws {
    let run = try Background(["run", Fixture.object("ringbuf.bpf.o").path, "--duration", "3"])
    try run.waitUntilRunning()
    let pid = try Self.spawnTrue()
    #expect(run.waitForExit() == 0, "\(run.stderr)")
    let bytes = withUnsafeBytes(of: UInt32(pid).littleEndian) { Array($0) }
    let prefix = "exec_events: " + bytes.map { String(format: "%02x", $0) }.joined(separator: " ") + " "
    #expect(run.stdout.split(separator: "\n").contains { $0.hasPrefix(prefix) }, "\(run.stdout.prefix(2000))")
  }

  @Test("Ctrl-C detaches every link and exits 0")
  func interruptDetaches() throws {
    let before = try Self.links(ofProgram: "handle_exec")
    let run = try Background(["run", Fixture.object("ringbuf.bpf.o").path])
    try run.waitUntilRunning()
    let ours = try Self.links(ofProgram: "handle_exec").subtracting(before)
    if Toolchain.systemTool("bpftool") != nil { #expect(ours.count == 1, "the exec tracepoint link") }
    kill(run.process.processIdentifier, SIGINT)
    #expect(run.waitForExit() == 0, "\(run.stderr)")
    #expect(run.stderr.contains("detached 1 link"))
    #expect(try Self.links(ofProgram: "handle_exec").isDisjoint(with: ours), "the link is gone")
  }

  @Test("an unknown --event-type names the struct and fails before loading")
  func unknownEventType() throws {
    let run = try swiftbpf(["run", Fixture.object("ringbuf.bpf.o").path, "--duration", "1", "--event-type", "nope"])
    #expect(run.status != 0)
    #expect(run.stderr.contains("nope"))
  }
}
