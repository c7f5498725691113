import Foundation
import TestSupport
import Testing

extension Trait where Self == ConditionTrait {
  /// Needs the toolchain's clang (to assemble) and llvm-objcopy (to take
  /// the raw `.text` bytes out).
  static var assembler: Self {
    .enabled(
      if: (Toolchain.tool("clang") != nil && Toolchain.tool("llvm-objcopy") != nil) || TestEnvironment.mustNotSkip,
      "needs /opt/swift/usr/bin/clang and llvm-objcopy; CI=true or SWIFTBPF_REQUIRE_KERNEL=1 makes this fail")
  }
}

/// Assembles BPF assembly with clang (`-target bpfel` or `bpfeb`) and
/// returns the bytes of its `.text` section, as llvm encodes them.
func assembleText(_ source: String, target: String) throws -> [UInt8] {
  let clang = try #require(Toolchain.tool("clang"))
  let objcopy = try #require(Toolchain.tool("llvm-objcopy"))
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("swiftbpf-asm-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let input = directory.appendingPathComponent("input.s")
  let object = directory.appendingPathComponent("input.o")
  let raw = directory.appendingPathComponent("text.bin")
  try source.write(to: input, atomically: true, encoding: .utf8)
  let built = try runTool(clang, ["-target", target, "-mcpu=v4", "-c", input.path, "-o", object.path])
  try #require(built.status == 0, "clang -target \(target) could not assemble")
  let copied = try runTool(objcopy, ["-O", "binary", "--only-section=.text", object.path, raw.path])
  try #require(copied.status == 0, "llvm-objcopy failed")
  return Array(try Data(contentsOf: raw))
}
