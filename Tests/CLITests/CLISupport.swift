import Foundation
import Testing
import TestSupport

/// Runs the built `swiftbpf` with `arguments`.
func swiftbpf(_ arguments: [String]) throws -> (stdout: String, stderr: String, status: Int32) {
  let path = try #require(BuiltCLI.path, "the swiftbpf executable was not built")
  return try runProcess(path, arguments)
}

/// Decodes a JSON object printed by the CLI.
func jsonObject(_ text: String) throws -> [String: Any] {
  let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
  return try #require(value as? [String: Any], "not a JSON object: \(text.prefix(200))")
}

/// The toolchain's llvm-objdump, or nil (then the caller skips — or fails
/// under CI / SWIFTBPF_REQUIRE_KERNEL=1).
func objdump() throws -> String? {
  if let tool = Toolchain.tool("llvm-objdump") { return tool }
  try #require(!TestEnvironment.mustNotSkip, "llvm-objdump (LLVM 21) missing at /opt/swift/usr/bin")
  return nil
}

/// One row of `llvm-objdump --syms`: `VALUE FLAGS SECTION\tSIZE NAME`.
struct ObjdumpSymbol: Hashable {
  var value: UInt64
  var isGlobal: Bool
  var kind: Character  // "F" function, "O" object, " " none
  var section: String
  var size: UInt64
  var name: String
}

/// The symbol table as llvm-objdump prints it (the independent reading).
func objdumpSymbols(_ tool: String, _ object: URL) throws -> [ObjdumpSymbol] {
  let (output, status) = try runTool(tool, ["--syms", object.path])
  try #require(status == 0)
  var symbols: [ObjdumpSymbol] = []
  for line in output.split(separator: "\n") where line.count > 25 && line.first?.isHexDigit == true {
    // 16 hex digits, a space, 7 flag characters, a space, section \t size name
    let chars = Array(line)
    guard chars.count > 26, let value = UInt64(String(chars[0..<16]), radix: 16) else { continue }
    let flags = Array(chars[17..<24])
    let rest = String(chars[25...])
    let parts = rest.split(separator: "\t", maxSplits: 1)
    guard parts.count == 2 else { continue }
    let sizeAndName = parts[1].split(separator: " ", maxSplits: 1)
    guard let size = UInt64(sizeAndName[0], radix: 16) else { continue }
    symbols.append(ObjdumpSymbol(
      value: value, isGlobal: flags[0] == "g", kind: flags[6], section: String(parts[0]),
      size: size, name: sizeAndName.count > 1 ? String(sizeAndName[1]) : ""))
  }
  return symbols
}

/// Section names and sizes as `llvm-objdump --section-headers` prints them.
func objdumpSections(_ tool: String, _ object: URL) throws -> [String: UInt64] {
  let (output, status) = try runTool(tool, ["--section-headers", object.path])
  try #require(status == 0)
  var sections: [String: UInt64] = [:]
  for line in output.split(separator: "\n") {
    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
    // Idx Name Size VMA [Type]
    guard fields.count >= 4, Int(fields[0]) != nil, let size = UInt64(fields[2], radix: 16) else { continue }
    sections[String(fields[1])] = size
  }
  return sections
}
