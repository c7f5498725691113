import Foundation

/// What the test run may assume: whether a missing tool or kernel feature is
/// a skip (developer machine) or a failure (CI, SWIFTBPF_REQUIRE_KERNEL=1).
public enum TestEnvironment {
  static let env = ProcessInfo.processInfo.environment

  /// `CI=true`: tools the checks compare against must be present.
  public static var isCI: Bool { env["CI"] == "true" || env["CI"] == "1" }

  /// `SWIFTBPF_REQUIRE_KERNEL=1`: kernel tests fail instead of skipping.
  public static var requiresKernel: Bool { env["SWIFTBPF_REQUIRE_KERNEL"] == "1" }

  /// True when a missing tool or capability must fail the test, not skip it.
  public static var mustNotSkip: Bool { isCI || requiresKernel }

  /// The effective user is root (kernel tests can run).
  public static var isRoot: Bool { geteuid() == 0 }
}

/// The toolchain's tools (LLVM 21 at /opt/swift/usr/bin), preferred over
/// Debian's older LLVM on PATH, which misprints cpu v4 instructions.
public enum Toolchain {
  public static let binDirectory = "/opt/swift/usr/bin"

  /// Path of a toolchain tool (`llvm-objdump`, `clang`, `llvm-nm`), or nil.
  public static func tool(_ name: String) -> String? {
    let candidate = "\(binDirectory)/\(name)"
    return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
  }

  /// Path of a system tool found on PATH (`bpftool`, `cc`), or nil.
  public static func systemTool(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let dirs: [String] = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]
    for dir in dirs {
      let candidate = "\(dir)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}

/// Runs a command and returns its standard output (stderr discarded), and its
/// exit status.
public func runTool(_ path: String, _ arguments: [String]) throws -> (output: String, status: Int32) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: path)
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.nullDevice
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (String(decoding: data, as: UTF8.self), process.terminationStatus)
}

/// The built `swiftbpf` executable: `SWIFTBPF_CLI` when set, else the one
/// beside the running test bundle (SwiftPM puts both in the same bin folder).
public enum BuiltCLI {
  public static var path: String? {
    let env = ProcessInfo.processInfo.environment
    if let explicit = env["SWIFTBPF_CLI"], !explicit.isEmpty { return explicit }
    let beside = URL(fileURLWithPath: CommandLine.arguments[0])
      .deletingLastPathComponent().appendingPathComponent("swiftbpf").path
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    for config in ["debug", "release"] {
      let candidate = Fixture.packageRoot.appendingPathComponent(".build/\(config)/swiftbpf").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}

/// Runs a command with optional standard input, returning stdout, stderr and
/// the exit status (for CLI tests that check all three).
public func runProcess(_ path: String, _ arguments: [String], input: [UInt8]? = nil,
                       environment: [String: String]? = nil)
  throws -> (stdout: String, stderr: String, status: Int32)
{
  let process = Process()
  process.executableURL = URL(fileURLWithPath: path)
  process.arguments = arguments
  if let environment { process.environment = environment }
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  let inPipe = Pipe()
  process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
  try process.run()
  if let input {
    inPipe.fileHandleForWriting.write(Data(input))
    try? inPipe.fileHandleForWriting.close()
  }
  // Read stderr on another thread so a full pipe cannot deadlock the child.
  nonisolated(unsafe) var errData = Data()
  let group = DispatchGroup()
  group.enter()
  DispatchQueue.global().async {
    errData = err.fileHandleForReading.readDataToEndOfFile()
    group.leave()
  }
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  group.wait()
  process.waitUntilExit()
  return (String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self),
          process.terminationStatus)
}
