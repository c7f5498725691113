import Foundation
import Glibc
import Testing
import TestSupport
import UAPI
@testable import Syscall

/// Small pieces the kernel tests share.
enum KernelHelpers {
  /// A value's bytes, for keys and values.
  static func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value) { Array($0) }
  }

  static func lookupU64(_ map: BorrowedFD, key: UInt32) throws -> UInt64? {
    var k = key
    var v: UInt64 = 0
    let found = try withUnsafePointer(to: &k) { kp in
      try withUnsafeMutablePointer(to: &v) { vp in
        try BPF.lookup(map: map, key: kp, value: vp)
      }
    }
    return found ? v : nil
  }

  static func update<V>(_ map: BorrowedFD, key: UInt32, value: V, flags: ElementFlags = .any) throws {
    var k = key
    var v = value
    try withUnsafePointer(to: &k) { kp in
      try withUnsafePointer(to: &v) { vp in
        try BPF.update(map: map, key: kp, value: vp, flags: flags)
      }
    }
  }

  /// `bpftool <args> --json` parsed as a JSON object, or nil only when
  /// bpftool is missing (an issue under `mustNotSkip`); output that is not a
  /// JSON object fails the test.
  static func bpftoolJSON(_ args: [String]) throws -> [String: Any]? {
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool missing") }
      return nil
    }
    let run = try runProcess(bpftool, args + ["--json"])
    try #require(run.status == 0, "bpftool \(args) failed: \(run.stderr)")
    let parsed = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
    return try #require(parsed as? [String: Any], "bpftool \(args) printed no JSON object: \(run.stdout.prefix(500))")
  }

  /// A bpffs directory for this test, mounting bpffs at /sys/fs/bpf if needed.
  static func bpffsDirectory() throws -> String {
    let root = "/sys/fs/bpf"
    let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
    let mounted = mounts.split(separator: "\n").contains { $0.hasPrefix("bpf \(root) bpf ") }
    if !mounted {
      let run = try runProcess("/bin/mount", ["-t", "bpf", "bpf", root])
      try #require(run.status == 0, "mounting bpffs at \(root) failed: \(run.stderr)")
    }
    let dir = "\(root)/swiftbpf-syscall-\(getpid())-\(UUID().uuidString.prefix(8))"
    try #require(mkdir(dir, 0o700) == 0, "mkdir \(dir): \(Errno.current)")
    return dir
  }

  /// Runs `body` on a fresh thread whose credentials are uid/gid 65534 with no
  /// capabilities (Linux credentials are per thread; only this thread changes).
  static func onUnprivilegedThread<R: Sendable>(_ body: @escaping @Sendable () -> R) -> R? {
    let box = ResultBox<R>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      if CBPFSysBridge.dropThreadToNobody() { box.value = body() }
      done.signal()
    }
    thread.start()
    done.wait()
    return box.value
  }
}

/// Written by one thread before it signals, read by another after waiting.
final class ResultBox<R>: @unchecked Sendable {
  var value: R?
  init() {}
}
