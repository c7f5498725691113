import Foundation
import Testing
import TestSupport

/// The examples package built once per test run, from a clean scratch path,
/// and shared by the tests of this target.
///
/// The package is built from a copy (in a temporary directory removed when
/// the test process exits) whose manifest names this package by absolute
/// path, plus one extra example, `plugincheck`, that the rebuild and
/// clang-error tests edit: the repository's own files are never touched.
actor ExamplesBuild {
  static let shared = ExamplesBuild()

  /// The copy's paths and the first build's output.
  struct Built: Sendable {
    let package: URL
    let scratch: URL
    let firstOutput: String
    let firstBuildSeconds: Double

    var binDirectory: URL { scratch.appendingPathComponent("debug") }
    func executable(_ name: String) -> URL { binDirectory.appendingPathComponent(name) }

    /// The plugin's work directory for an example target.
    func pluginOutputs(_ target: String) -> URL {
      scratch.appendingPathComponent("plugins/outputs/\(package.lastPathComponent.lowercased())/\(target)/destination/SwiftBPFPlugin")
    }

    /// `swift build` of the copy (all targets, or one), its output and status.
    func build(target: String? = nil) async throws -> (output: String, status: Int32) {
      try await ExamplesBuild.swiftBuild(package: package, scratch: scratch, target: target)
    }
  }

  private var building: Task<Built, any Error>?

  /// The build, started by the first caller; later callers wait for it.
  func built() async throws -> Built {
    if let building { return try await building.value }
    let task = Task { try await Self.makeBuild() }
    building = task
    return try await task.value
  }

  /// The examples in the repository (the copy adds `plugincheck`).
  static let exampleNames = ["minimal", "bootstrap", "uprobe", "usdt", "tc", "xdp", "fentry", "ksyscall", "profile"]

  static var examplesDirectory: URL { Fixture.packageRoot.appendingPathComponent("Examples") }

  /// Skips (or, under CI / SWIFTBPF_REQUIRE_KERNEL=1, fails) when what the
  /// build needs is missing; returns the swift driver.
  static func requirements() throws -> String {
    // The unprivileged CI stage runs a copied test bundle without the
    // package's sources: nothing to build there, whatever the environment.
    guard FileManager.default.fileExists(atPath: examplesDirectory.appendingPathComponent("Package.swift").path) else {
      try Test.cancel("skipped: no Examples/Package.swift under \(Fixture.packageRoot.path) (a staged test bundle)")
    }
    var missing: [String] = []
    let swift = Toolchain.tool("swift") ?? Toolchain.systemTool("swift")
    if swift == nil { missing.append("swift") }
    if Toolchain.tool("clang") == nil && Toolchain.systemTool("clang") == nil { missing.append("clang") }
    if !FileManager.default.fileExists(atPath: "/usr/include/bpf/bpf_helpers.h") { missing.append("libbpf-dev (bpf/bpf_helpers.h)") }
    if !FileManager.default.isReadableFile(atPath: "/sys/kernel/btf/vmlinux") { missing.append("/sys/kernel/btf/vmlinux") }
    if let swift, missing.isEmpty { return swift }
    let reason = "examples package needs " + missing.joined(separator: ", ")
    if TestEnvironment.mustNotSkip { Issue.record(Comment(rawValue: reason)) }
    try Test.cancel("skipped: \(reason)")
  }

  private static func makeBuild() async throws -> Built {
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftbpf-examples-\(getpid())-\(UInt32.random(in: 0..<1_000_000))")
    TemporaryDirectories.removeAtExit(root)
    let package = root.appendingPathComponent("Examples")
    try copyExamples(to: package)
    let scratch = root.appendingPathComponent("scratch")
    let start = ContinuousClock.now
    let (output, status) = try await swiftBuild(package: package, scratch: scratch, target: nil)
    let elapsed = start.duration(to: .now)
    try #require(status == 0, "clean build of the examples failed:\n\(output.suffix(4000))")
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Built(package: package, scratch: scratch, firstOutput: output, firstBuildSeconds: seconds)
  }

  /// Copies `Examples/` (sources and manifest, not a `.build`), points its
  /// dependency at this package by absolute path, and adds `plugincheck`.
  private static func copyExamples(to package: URL) throws {
    let files = FileManager.default
    try files.createDirectory(at: package, withIntermediateDirectories: true)
    try copyTree(examplesDirectory.appendingPathComponent("Sources"), to: package.appendingPathComponent("Sources"))
    var manifest = try String(contentsOf: examplesDirectory.appendingPathComponent("Package.swift"), encoding: .utf8)
    let dependency = #".package(name: "SwiftBPF", path: "..")"#
    try #require(manifest.contains(dependency), "Examples/Package.swift no longer has \(dependency)")
    manifest = manifest.replacingOccurrences(
      of: dependency, with: ".package(name: \"SwiftBPF\", path: \"\(Fixture.packageRoot.path)\")")
    manifest = manifest.replacingOccurrences(of: "    example(\"profile\"),", with: "    example(\"profile\"),\n    example(\"plugincheck\"),")
    try #require(manifest.contains("example(\"plugincheck\")"), "could not add plugincheck to the manifest")
    try manifest.write(to: package.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
    let check = package.appendingPathComponent("Sources/plugincheck")
    try files.createDirectory(at: check, withIntermediateDirectories: true)
    try PluginCheck.source(value: 1).write(to: check.appendingPathComponent("plugincheck.bpf.c"), atomically: true, encoding: .utf8)
    try PluginCheck.header(limit: 1).write(to: check.appendingPathComponent("plugincheck.h"), atomically: true, encoding: .utf8)
    try PluginCheck.main.write(to: check.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
  }

  /// Copies the files under `source` to `target` as new files of this user:
  /// `FileManager.copyItem` also copies the owner, which a user other than
  /// the checkout's owner may not set.
  private static func copyTree(_ source: URL, to target: URL) throws {
    let files = FileManager.default
    try files.createDirectory(at: target, withIntermediateDirectories: true)
    for name in try files.contentsOfDirectory(atPath: source.path) {
      let from = source.appendingPathComponent(name)
      let to = target.appendingPathComponent(name)
      var isDirectory: ObjCBool = false
      guard files.fileExists(atPath: from.path, isDirectory: &isDirectory) else { continue }
      if isDirectory.boolValue {
        try copyTree(from, to: to)
      } else {
        try Data(contentsOf: from).write(to: to)
      }
    }
  }

  /// Runs `swift build -j 2` on the copy; output is stdout and stderr together.
  static func swiftBuild(package: URL, scratch: URL, target: String?) async throws -> (output: String, status: Int32) {
    let swift = try requirements()
    var arguments = ["build", "-j", "2", "--package-path", package.path, "--scratch-path", scratch.path]
    if let target { arguments += ["--target", target] }
    return try await runCollectingOutput(swift, arguments, environment: buildEnvironment)
  }

  /// The test's environment, with git's `safe.directory = *` for the build:
  /// the examples resolve their packages from clones another user may own
  /// (a shared package mirror), which git refuses to read for anyone else
  /// unless its global configuration says so (it ignores the setting from
  /// the command line or the environment). A user whose own global
  /// configuration already reads (`~/.gitconfig` exists) keeps it; otherwise
  /// `GIT_CONFIG_GLOBAL` points at a file written for this run.
  static let buildEnvironment: [String: String] = {
    var environment = ProcessInfo.processInfo.environment
    let home = environment["HOME"] ?? "/nonexistent"
    if environment["GIT_CONFIG_GLOBAL"] == nil, !FileManager.default.fileExists(atPath: home + "/.gitconfig") {
      let config = FileManager.default.temporaryDirectory.appendingPathComponent("swiftbpf-gitconfig-\(getpid())")
      if (try? "[safe]\n\tdirectory = *\n".write(to: config, atomically: true, encoding: .utf8)) != nil {
        TemporaryDirectories.removeAtExit(config)
        environment["GIT_CONFIG_GLOBAL"] = config.path
      }
    }
    return environment
  }()
}

/// The extra example the rebuild and error tests edit: a tracepoint
/// program counting getpid() calls in .data, a header with a constant.
enum PluginCheck {
  /// Line 7 is the statement the clang-error test breaks.
  static func source(value: Int, broken: Bool = false) -> String {
    """
    #include "vmlinux.h"
    #include <bpf/bpf_helpers.h>
    #include "plugincheck.h"
    char LICENSE[] SEC("license") = "GPL";
    __u64 seen = \(value);
    SEC("tp/syscalls/sys_enter_getpid") int on_getpid(void *ctx) {
    \(broken ? "  seen += not_declared_anywhere;" : "  seen += PLUGINCHECK_STEP;")
      return 0;
    }

    """
  }

  static let brokenLine = 7

  static func header(limit: Int) -> String { "#define PLUGINCHECK_STEP \(limit)\n" }

  static let main = """
    import SwiftBPF
    // The skeleton generated from plugincheck.bpf.c must be there.
    let skeleton = try? Plugincheck()
    print(skeleton == nil ? "no skeleton" : "skeleton opened")

    """
}

/// Directories removed when the test process exits (the examples' scratch
/// path is about a gigabyte).
enum TemporaryDirectories {
  private static let paths = LockedPaths()

  static func removeAtExit(_ url: URL) {
    if paths.add(url.path) {
      atexit {
        let temporary = FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for path in TemporaryDirectories.paths.all {
          try? FileManager.default.removeItem(atPath: path)
          // SwiftPM's lock files for the scratch path, named after it.
          let lockPrefix = path.replacingOccurrences(of: "/", with: "_")
          for name in names where name.hasPrefix(lockPrefix) {
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
          }
        }
      }
    }
  }

  final class LockedPaths: @unchecked Sendable {
    // @unchecked Sendable: `list` is only touched with `lock` held.
    private let lock = NSLock()
    private var list: [String] = []
    /// Adds `path`; true for the first one (the caller registers the handler).
    func add(_ path: String) -> Bool {
      lock.lock(); defer { lock.unlock() }
      list.append(path)
      return list.count == 1
    }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
  }
}

/// Runs a command without blocking a thread of the concurrency pool:
/// stdout and stderr go to one temporary file, read when it exits.
func runCollectingOutput(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                         onStart: (@Sendable (Process) -> Void)? = nil) async throws -> (output: String, status: Int32) {
  let log = FileManager.default.temporaryDirectory.appendingPathComponent("swiftbpf-run-\(UUID().uuidString).log")
  _ = FileManager.default.createFile(atPath: log.path, contents: nil)
  defer { try? FileManager.default.removeItem(at: log) }
  let handle = try FileHandle(forWritingTo: log)
  defer { try? handle.close() }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: path)
  process.arguments = arguments
  if let environment { process.environment = environment }
  process.standardOutput = handle
  process.standardError = handle
  process.standardInput = FileHandle.nullDevice
  let status: Int32 = try await withCheckedThrowingContinuation { continuation in
    process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
    do {
      try process.run()
      onStart?(process)
    } catch {
      process.terminationHandler = nil
      continuation.resume(throwing: error)
    }
  }
  let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
  return (output, status)
}
