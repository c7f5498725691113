import CBPFSys
import Foundation
import Glibc
import Loader
import Syscall
import Testing
import TestSupport

/// Pieces the kernel tests share.
enum KernelSupport {
  /// A fresh directory in bpffs for this test's pins, mounting bpffs at
  /// /sys/fs/bpf when it is missing. Remove it with `removeBPFFSDirectory`.
  static func bpffsDirectory() throws -> String {
    let root = "/sys/fs/bpf"
    let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
    if !mounts.split(separator: "\n").contains(where: { $0.hasPrefix("bpf \(root) bpf ") }) {
      let run = try runProcess("/bin/mount", ["-t", "bpf", "bpf", root])
      try #require(run.status == 0, "mounting bpffs at \(root) failed: \(run.stderr)")
    }
    let dir = "\(root)/swiftbpf-loader-\(getpid())-\(UUID().uuidString.prefix(8))"
    try #require(mkdir(dir, 0o700) == 0, "mkdir \(dir): \(Errno.current)")
    return dir
  }

  static func removeBPFFSDirectory(_ dir: String) {
    if let names = try? FileManager.default.contentsOfDirectory(atPath: dir) {
      for name in names { unlink("\(dir)/\(name)") }
    }
    rmdir(dir)
  }

  /// Opens and loads a fixture with pins under `pinRoot`.
  static func load(_ fixture: String, pinRoot: String = "/sys/fs/bpf/swiftbpf-unused",
                   configure: (inout Object) throws -> Void = { _ in }) throws -> LoadedObject {
    var object = try Object.open(path: Fixture.object(fixture).path, options: OpenOptions(pinRoot: pinRoot))
    try configure(&object)
    return try object.load()
  }

  /// Runs a loaded program once; its return value.
  static func run(_ loaded: LoadedObject, _ program: String, data: [UInt8] = []) throws -> UInt32 {
    let handle = try #require(loaded.program(named: program), "program \(program) not loaded")
    return try handle.testRun(data: data).returnValue
  }

  /// Runs `body` on a thread whose credentials are uid 65534 without
  /// capabilities (credentials are per thread on Linux).
  static func onUnprivilegedThread<R: Sendable>(_ body: @escaping @Sendable () -> R) -> R? {
    let box = Box<R>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      if swiftbpf_thread_setresuid(65534, 65534, 65534) == 0 { box.value = body() }
      done.signal()
    }
    thread.start()
    done.wait()
    return box.value
  }

  /// Written by one thread before it signals, read by another after waiting.
  final class Box<R>: @unchecked Sendable {
    var value: R?
  }

  /// Number of possible CPUs from the kernel's own file (ranges like `0-3`).
  static func possibleCPUs() throws -> Int {
    let text = try String(contentsOfFile: "/sys/devices/system/cpu/possible", encoding: .utf8)
    let last = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").last ?? ""
    return try #require(Int(last.split(separator: "-").last ?? "")) + 1
  }
}
