import Foundation
import SwiftBPF
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
      _ = FileManager.default.createFile(atPath: out.path, contents: nil)
      _ = FileManager.default.createFile(atPath: err.path, contents: nil)
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

  @Test("a ring buffer that declares its record type is decoded without --event-type")
  func declaredRecordTypeDecodes() throws {
    let run = try Background(["run", Fixture.object("skeleton.bpf.o").path, "--duration", "3"])
    try run.waitUntilRunning()
    // skeleton.bpf.c: each getpid emits { seq, value = caller's tgid, comm "getpid" }.
    for _ in 0 ..< 3 { _ = getpid() }
    #expect(run.waitForExit() == 0, "\(run.stderr)")
    let ours = run.stdout.split(separator: "\n").filter { $0.contains("value=\(getpid()) ") }
    let event = try #require(ours.first, "no event for pid \(getpid()) in: \(run.stdout.prefix(2000))")
    #expect(event.hasPrefix("getpid_events: seq="))
    #expect(event.hasSuffix("comm=\"getpid\""))
    #expect(ours.count >= 3)
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

  /// No fixture program fills a declared map from a hook `run` attaches
  /// (maps.bpf.o's writer is a test-run raw_tp), so the test fills one: it
  /// writes into `pinned_counts` through its pin while the run is going.
  @Test("--maps prints each declared map with its entries decoded when the run ends")
  func printsMaps() throws {
    let pins = "/sys/fs/bpf/swiftbpf-runmaps-\(getpid())"
    try FileManager.default.createDirectory(atPath: pins, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: pins) }
    let run = try Background(["run", Fixture.object("maps.bpf.o").path, "--maps", "--pin", pins, "--duration", "2"])
    try run.waitUntilRunning()
    let map = try BPF.getPinned(at: "\(pins)/pinned_counts")
    for (key, value) in [(UInt32(5), UInt64(99)), (UInt32(6), UInt64(1) << 40)] {
      try withUnsafeBytes(of: key) { k in
        try withUnsafeBytes(of: value) { v in
          try BPF.update(map: map.borrowed, key: k.baseAddress, value: v.baseAddress!)
        }
      }
    }
    #expect(run.waitForExit() == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // The filled map, decoded from clang's BTF (u32 key, u64 value).
    let header = try #require(lines.firstIndex { $0.hasPrefix("map 'pinned_counts' (id ") }, "\(run.stdout)")
    #expect(lines[header].hasSuffix("BPF_MAP_TYPE_HASH): 2 entries"))
    #expect(Set(lines[header + 1 ... header + 2]) == ["  key: 5  value: 99", "  key: 6  value: 1099511627776"])
    // Empty maps print their name and no entries; arrays every index.
    let hash = try #require(lines.firstIndex { $0.hasPrefix("map 'hash_map' (id ") })
    #expect(lines[hash].hasSuffix("): 0 entries"))
    #expect(lines[hash + 1].hasPrefix("map '"))
    let array = try #require(lines.firstIndex { $0.hasPrefix("map 'array_map' (id ") })
    #expect(lines[array + 1 ... array + 8] == ArraySlice((0..<8).map { "  key: \($0)  value: 0" }))
    // Ring and perf buffers by name only; data sections not at all.
    #expect(lines.contains { $0.hasPrefix("map 'ring_buffer' (id ") && $0.hasSuffix(", BPF_MAP_TYPE_RINGBUF)") })
    #expect(lines.contains { $0.hasPrefix("map 'perf_events' (id ") && $0.hasSuffix(", BPF_MAP_TYPE_PERF_EVENT_ARRAY)") })
    #expect(!run.stdout.contains("cannot read"))

    // ringbuf.bpf.o has a .bss: a data section, left out; its rings by name.
    let rings = try swiftbpf(["run", Fixture.object("ringbuf.bpf.o").path, "--maps", "--duration", "0.5"])
    #expect(rings.status == 0, "\(rings.stderr)")
    let ringLines = rings.stdout.split(separator: "\n").filter { $0.hasPrefix("map '") }
    #expect(ringLines.count == 3, "\(rings.stdout)")
    #expect(ringLines.allSatisfy { $0.hasSuffix("RINGBUF)") })
    #expect(!rings.stdout.contains(".bss"))
  }
}
