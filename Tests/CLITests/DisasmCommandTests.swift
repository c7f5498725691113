import Foundation
import Testing
import TestSupport

/// `swiftbpf disasm` prints what the toolchain's `llvm-objdump -d` prints.
@Suite("swiftbpf disasm")
struct DisasmCommandTests {
  @Test("the whole listing equals llvm-objdump -d", arguments: Fixture.objects)
  func wholeListing(object: URL) throws {
    guard let tool = try objdump() else { return }
    let expected = try runTool(tool, ["-d", object.path])
    try #require(expected.status == 0)
    let run = try swiftbpf(["disasm", object.path])
    try #require(run.status == 0, "\(run.stderr)")
    #expect(run.stdout == expected.output)
  }

  @Test("--no-show-raw-insn equals llvm-objdump -d --no-show-raw-insn", arguments: [
    Fixture.object("cpuv4.bpf.o"), Fixture.object("programs.bpfeb.bpf.o"),
  ])
  func withoutRawBytes(object: URL) throws {
    guard let tool = try objdump() else { return }
    let expected = try runTool(tool, ["-d", "--no-show-raw-insn", object.path])
    let run = try swiftbpf(["disasm", "--no-show-raw-insn", object.path])
    try #require(run.status == 0, "\(run.stderr)")
    #expect(run.stdout == expected.output)
  }

  @Test("--program prints that function's block of the llvm-objdump listing", arguments: [
    ("programs.bpf.o", "xdp_dispatch"), ("programs.bpf.o", "add_global"), ("cpuv4.bpf.o", nil),
  ] as [(String, String?)])
  func oneProgram(file: String, name: String?) throws {
    guard let tool = try objdump() else { return }
    let object = Fixture.object(file)
    let listing = try runTool(tool, ["-d", object.path]).output
    let lines = listing.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // Every function block of the objdump listing, or just the one asked for.
    let names = name.map { [$0] } ?? lines.compactMap { line -> String? in
      guard line.hasSuffix(">:"), let open = line.firstIndex(of: "<") else { return nil }
      let symbol = String(line[line.index(after: open)..<line.index(line.endIndex, offsetBy: -2)])
      return symbol.hasPrefix("LBB") ? nil : symbol
    }
    try #require(!names.isEmpty)
    for function in names {
      let start = try #require(lines.firstIndex { $0.hasSuffix(" <\(function)>:") })
      var end = start + 1
      while end < lines.count, !(lines[end].hasSuffix(">:") && !lines[end].contains("<LBB")),
        !lines[end].hasPrefix("Disassembly of section") { end += 1 }
      while end > start + 1, lines[end - 1].isEmpty { end -= 1 }
      let run = try swiftbpf(["disasm", "--program", function, object.path])
      try #require(run.status == 0, "\(run.stderr)")
      #expect(run.stdout == lines[start..<end].joined(separator: "\n") + "\n", "\(function)")
    }
  }

  @Test("an unknown --program names the ones there are")
  func unknownProgram() throws {
    let run = try swiftbpf(["disasm", "--program", "nope", Fixture.object("programs.bpf.o").path])
    #expect(run.status != 0)
    #expect(run.stderr.contains("xdp_dispatch"))
  }
}
