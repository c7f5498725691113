import Foundation
import Testing
import TestSupport

/// bpftool queries and output parsing for the example runs.
enum RunSupport {
  static func bpftool() throws -> String {
    if let tool = Toolchain.systemTool("bpftool") { return tool }
    if TestEnvironment.mustNotSkip { Issue.record("bpftool missing: the leftover-link check needs it") }
    try Test.cancel("skipped: bpftool missing (the leftover-link check needs it)")
  }

  /// Ids of every BPF link now in the kernel (`bpftool link list -j`).
  static func linkIDs(_ bpftool: String) throws -> Set<Int> {
    let result = try runProcess(bpftool, ["link", "list", "-j"])
    try #require(result.status == 0, "bpftool link list: \(result.stderr)")
    let list = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
    return Set(list.compactMap { $0["id"] as? Int })
  }

  /// The name of the program link `id` runs ("" when the link is gone).
  static func programName(ofLink id: Int, _ bpftool: String) throws -> String {
    let link = try runProcess(bpftool, ["link", "show", "id", "\(id)", "-j"])
    guard link.status == 0,
      let object = try? JSONSerialization.jsonObject(with: Data(link.stdout.utf8)) as? [String: Any],
      let program = object["prog_id"] as? Int
    else { return "" }
    let prog = try runProcess(bpftool, ["prog", "show", "id", "\(program)", "-j"])
    let info = try? JSONSerialization.jsonObject(with: Data(prog.stdout.utf8)) as? [String: Any]
    return info?["name"] as? String ?? ""
  }

  /// Integers right after each occurrence of `prefix`.
  static func numbers(in text: String, after prefix: String) -> [Int] {
    text.components(separatedBy: prefix).dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
  }

  /// Integers right before each occurrence of `suffix`.
  static func numbers(in text: String, before suffix: String) -> [Int] {
    text.components(separatedBy: suffix).dropLast().compactMap { piece in
      Int(String(piece.reversed().prefix { $0.isNumber }.reversed()))
    }
  }
}

/// Activity for the examples that only watch: processes started (bootstrap)
/// and UDP packets sent into the test interface (tc, xdp), every 200 ms
/// while the example runs.
final class Trigger: @unchecked Sendable {
  // @unchecked Sendable: `task` is set in start() and read in stop(), both
  // called from the test's one task, one after the other.
  private var task: Task<Void, Never>?

  func start(example: ExampleCase, network: TestNetwork?) {
    guard example.name == "bootstrap" || network != nil else { return }
    task = Task.detached {
      while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(200))
        if let network { network.sendPacket() } else { _ = try? runProcess("/bin/true", []) }
      }
    }
  }

  func stop() { task?.cancel() }
}

/// A veth pair: `outside` in this namespace with 10.215.0.2/24, its peer
/// in a new network namespace with 10.215.0.1/24 (the address the packets
/// come from).
final class TestNetwork: Sendable {
  let namespace: String
  let outside: String
  let insideAddress = "10.215.0.1"
  let ip: String

  init() throws {
    guard let ip = Toolchain.systemTool("ip") else {
      if TestEnvironment.mustNotSkip { Issue.record("iproute2 'ip' missing") }
      try Test.cancel("skipped: iproute2 'ip' missing")
    }
    self.ip = ip
    let tag = UInt32.random(in: 0..<1_000_000)
    namespace = "swiftbpf-ex-\(tag)"
    outside = "swbpfex\(tag)"
    for arguments in [
      ["netns", "add", namespace],
      ["link", "add", outside, "type", "veth", "peer", "name", "swbpfex-in", "netns", namespace],
      ["addr", "add", "10.215.0.2/24", "dev", outside],
      ["link", "set", outside, "up"],
      ["-n", namespace, "addr", "add", "\(insideAddress)/24", "dev", "swbpfex-in"],
      ["-n", namespace, "link", "set", "swbpfex-in", "up"],
    ] {
      let result = try runProcess(ip, arguments)
      if result.status != 0 {
        close()
        try #require(result.status == 0, "ip \(arguments.joined(separator: " ")): \(result.stderr)")
      }
    }
  }

  /// One UDP datagram from inside the namespace to the outside address
  /// (bash's /dev/udp: no extra tool needed).
  func sendPacket() {
    _ = try? runProcess(ip, ["netns", "exec", namespace, "bash", "-c", "echo x > /dev/udp/10.215.0.2/9"])
  }

  func hasXDPProgram() throws -> Bool {
    try runProcess(ip, ["-d", "link", "show", "dev", outside]).stdout.contains("prog/xdp")
  }

  func close() {
    _ = try? runProcess(ip, ["link", "del", outside])
    _ = try? runProcess(ip, ["netns", "del", namespace])
  }
}
