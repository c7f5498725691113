import Foundation
import Glibc
import Loader
import Syscall
import Testing
import TestSupport
import UAPI

/// Shared pieces of the Attach*Tests: loading chosen fixture programs,
/// the kernel's run counter, helper processes, namespaces and cgroups.
enum AttachKit {
  static let attachDirectory = Fixture.directory.appendingPathComponent("attach")
  static var attachTarget: String { attachDirectory.appendingPathComponent("attach_target").path }
  static var attachTargetNoPIE: String { attachDirectory.appendingPathComponent("attach_target_nopie").path }
  static var netClient: String { attachDirectory.appendingPathComponent("net_client").path }

  /// Loads `fixture` with only `programs` autoloaded.
  static func load(_ fixture: String, only programs: Set<String>) throws -> LoadedObject {
    var object = try Object.open(path: Fixture.object(fixture).path,
                                 options: OpenOptions(pinRoot: "/sys/fs/bpf/swiftbpf-unused"))
    for program in object.programs {
      try object.withProgram(program.name) { $0.autoload = programs.contains(program.name) }
    }
    return try object.load()
  }

  static func program(_ loaded: LoadedObject, _ name: String) throws -> LoadedObject.Program {
    try #require(loaded.program(named: name), "program \(name) not loaded")
  }

  /// How many times the kernel ran the program (`run_cnt`, counted while a
  /// `BPF_ENABLE_STATS` descriptor is open): the independent proof that an
  /// attached program ran.
  static func runCount(_ program: LoadedObject.Program) throws -> UInt64 {
    try program.info().runCount
  }

  /// Keeps run-time statistics on for the test's duration.
  static func enableStats() throws -> OwnedFD { try BPF.enableStats() }

  /// Polls `condition` for up to `seconds`.
  static func eventually(_ seconds: Double = 2, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
      if try condition() { return true }
      usleep(10_000)
    } while Date() < deadline
    return try condition()
  }

  /// A started helper waiting on stdin ("ready <pid>" read).
  final class Helper {
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    var pid: Int32 { process.processIdentifier }

    init(_ path: String, _ arguments: [String]) throws {
      process.executableURL = URL(fileURLWithPath: path)
      process.arguments = arguments
      process.standardInput = input
      process.standardOutput = output
      process.standardError = FileHandle.nullDevice
      try process.run()
      let line = readLine()
      try #require(line.hasPrefix("ready "), "helper said '\(line)'")
    }

    func readLine() -> String {
      var bytes: [UInt8] = []
      while true {
        let chunk = output.fileHandleForReading.readData(ofLength: 1)
        guard let byte = chunk.first, byte != 10 else { break }
        bytes.append(byte)
      }
      return String(decoding: bytes, as: UTF8.self)
    }

    /// Lets it run; returns its last line and exit status.
    func finish() -> (String, Int32) {
      input.fileHandleForWriting.write(Data("go\n".utf8))
      let rest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      return (rest.split(separator: "\n").last.map(String.init) ?? "", process.terminationStatus)
    }

    deinit {
      if process.isRunning { process.terminate() }
    }
  }

  /// Runs a command, requiring success.
  static func run(_ path: String, _ arguments: [String]) throws {
    let result = try runProcess(path, arguments)
    try #require(result.status == 0, "\(path) \(arguments.joined(separator: " ")): \(result.stderr)")
  }

  static func ip() throws -> String {
    guard let ip = Toolchain.systemTool("ip") else {
      if TestEnvironment.mustNotSkip { Issue.record("iproute2 'ip' missing") }
      try Test.cancel("skipped: iproute2 'ip' missing")
    }
    return ip
  }

  /// A network namespace with a veth pair: `outside` stays in this
  /// namespace without an address, `inside` is moved into the new namespace
  /// with 10.213.0.1/24 and lo up. Removed by `close()`.
  final class VethNamespace {
    let name: String
    let outside: String
    let inside = "swbpf-in"
    let ip: String
    let outsideIndex: UInt32

    init() throws {
      ip = try AttachKit.ip()
      let tag = String(UInt32(truncatingIfNeeded: getpid()) % 100_000)
      name = "swiftbpf-\(tag)-\(UInt32.random(in: 0..<1_000_000))"
      outside = "swbpf\(UInt32.random(in: 0..<1_000_000))"
      try AttachKit.run(ip, ["netns", "add", name])
      try AttachKit.run(ip, ["link", "add", outside, "type", "veth", "peer", "name", inside, "netns", name])
      try AttachKit.run(ip, ["link", "set", outside, "up"])
      try AttachKit.run(ip, ["-n", name, "addr", "add", "10.213.0.1/24", "dev", inside])
      try AttachKit.run(ip, ["-n", name, "link", "set", inside, "up"])
      try AttachKit.run(ip, ["-n", name, "link", "set", "lo", "up"])
      outsideIndex = if_nametoindex(outside)
      try #require(outsideIndex != 0)
    }

    var path: String { "/var/run/netns/\(name)" }

    /// Runs `net_client` inside the namespace.
    func client(_ arguments: [String]) throws -> Int32 {
      try runProcess(ip, ["netns", "exec", name, AttachKit.netClient] + arguments).status
    }

    /// UDP to a neighbour that does not exist: ARP requests leave through
    /// `inside` and arrive on `outside`.
    func sendTraffic() throws {
      _ = try client(["udp", "10.213.0.2", "9", "udp", "10.213.0.2", "9"])
    }

    func close() {
      _ = try? runProcess(ip, ["link", "del", outside])
      _ = try? runProcess(ip, ["netns", "del", name])
    }
  }

  /// The cgroup v2 mount point (mounting one at /sys/fs/cgroup/unified or a
  /// temporary directory if there is none).
  static func cgroup2Root() throws -> String {
    let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
    for line in mounts.split(separator: "\n") {
      let f = line.split(separator: " ")
      if f.count > 2, f[2] == "cgroup2" { return String(f[1]) }
    }
    let directory = "/tmp/swiftbpf-cgroup2"
    mkdir(directory, 0o755)
    try run("/bin/mount", ["-t", "cgroup2", "none", directory])
    return directory
  }

  /// A fresh child cgroup (removed by the caller with `rmdir`).
  static func childCgroup() throws -> String {
    let path = "\(try cgroup2Root())/swiftbpf-attach-\(getpid())-\(UInt32.random(in: 0..<1_000_000))"
    try #require(mkdir(path, 0o755) == 0, "mkdir \(path): \(Errno.current)")
    return path
  }
}

/// The support above is only used by the other Attach*Tests; this suite
/// checks the one piece of it whose correctness they depend on.
@Suite struct AttachSupportTests {
  @Test(.kernel) func runCountIsCountedByTheKernel() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let loaded = try AttachKit.load("programs.bpf.o", only: ["test_subprogs"])
    let program = try AttachKit.program(loaded, "test_subprogs")
    let before = try AttachKit.runCount(program)
    _ = try program.testRun()
    _ = try program.testRun()
    #expect(try AttachKit.runCount(program) == before + 2)
  }
}
