import Foundation
import Testing
import TestSupport

/// Symbols as the toolchain's `llvm-objdump --syms` prints them: the
/// independent source for function sizes and variable offsets.
struct ObjdumpSymbol: Equatable {
  var name: String
  var section: String
  var value: UInt64
  var size: UInt64
  var isFunction: Bool
}

enum Objdump {
  /// Symbols of `object`, or nil (with a recorded issue under CI) when the
  /// tool is missing.
  static func symbols(_ object: URL) throws -> [ObjdumpSymbol]? {
    guard let tool = Toolchain.tool("llvm-objdump") else {
      if TestEnvironment.mustNotSkip { Issue.record("llvm-objdump missing at \(Toolchain.binDirectory)") }
      return nil
    }
    let run = try runTool(tool, ["--syms", object.path])
    try #require(run.status == 0)
    var result = [ObjdumpSymbol]()
    for line in run.output.split(separator: "\n") {
      // 0000000000000060 l     F .text	0000000000000018 add_static
      let parts = line.split(separator: "\t", maxSplits: 1)
      guard parts.count == 2, line.count > 25, let value = UInt64(line.prefix(16), radix: 16) else { continue }
      let head = parts[0]
      let flags = head.dropFirst(17).prefix(7)
      let section = head.dropFirst(25).trimmingCharacters(in: .whitespaces)
      let tail = parts[1].split(separator: " ", maxSplits: 1)
      guard tail.count == 2, let size = UInt64(tail[0], radix: 16) else { continue }
      result.append(ObjdumpSymbol(name: String(tail[1]), section: section, value: value, size: size,
                                  isFunction: flags.contains("F")))
    }
    return result
  }
}
