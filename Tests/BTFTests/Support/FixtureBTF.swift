import Foundation
import Testing
import TestSupport

/// `.BTF`/`.BTF.ext` bytes of a fixture object, extracted with the toolchain's
/// llvm-objcopy into a temporary directory (ELF reading is not this module's).
enum FixtureBTF {
  static let objcopy = Toolchain.tool("llvm-objcopy")

  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("btftests-\(getpid())-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// The named section's bytes, nil when the object has no such section.
  static func section(_ name: String, of object: URL) throws -> [UInt8]? {
    guard let objcopy else { return nil }
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("section.bin")
    let result = try runTool(objcopy, ["--dump-section", "\(name)=\(out.path)", object.path, dir.appendingPathComponent("null.o").path])
    guard result.status == 0, let data = FileManager.default.contents(atPath: out.path) else { return nil }
    return Array(data)
  }

  /// bpftool's raw dump of a BTF blob (written to a temporary file).
  static func bpftoolDump(_ bytes: [UInt8], base: String? = nil) throws -> [Substring]? {
    guard let bpftool = Bpftool.path else { return nil }
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("blob.btf")
    try Data(bytes).write(to: file)
    var arguments = ["btf", "dump", "file", file.path]
    if let base { arguments = ["--base-btf", base] + arguments }
    let result = try runTool(bpftool, arguments)
    guard result.status == 0 else { return nil }
    return result.output.split(separator: "\n")
  }

  /// Whether the tools these tests compare against exist; records a failure
  /// instead when the environment says they must.
  static func toolsAvailable() -> Bool {
    let ok = objcopy != nil && Bpftool.path != nil
    if !ok { #expect(!TestEnvironment.mustNotSkip, "llvm-objcopy or bpftool missing") }
    return ok
  }
}
