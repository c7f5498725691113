import Foundation
import Testing
import TestSupport

/// Builds a small BPF C source with the toolchain's clang into a temporary
/// directory, the way Fixtures/build.sh builds fixtures.
enum CompiledSource {
  /// The object's path, or nil (recording an issue under CI) without clang.
  static func build(_ name: String, _ source: String) throws -> URL? {
    guard let clang = Toolchain.tool("clang") else {
      if TestEnvironment.mustNotSkip { Issue.record("clang missing at \(Toolchain.binDirectory)") }
      return nil
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swiftbpf-loader-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let c = dir.appendingPathComponent("\(name).bpf.c")
    let o = dir.appendingPathComponent("\(name).bpf.o")
    try source.write(to: c, atomically: true, encoding: .utf8)
    let run = try runProcess(clang, ["-target", "bpf", "-g", "-O2", "-I/usr/include/x86_64-linux-gnu",
                                     "-c", c.path, "-o", o.path])
    try #require(run.status == 0, "clang failed: \(run.stderr)")
    return o
  }

  static let prologue = "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n"
}
