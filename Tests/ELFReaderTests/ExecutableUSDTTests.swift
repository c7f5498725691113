import Foundation
import Testing
import TestSupport
@testable import ELFReader

/// USDT notes and argument specs, checked against binutils readelf and
/// clang's `offsetof(struct pt_regs, ...)`.
@Suite struct ExecutableUSDTTests {
  struct ReadelfProbe: Equatable {
    var provider = "", name = "", location: UInt64 = 0, base: UInt64 = 0, semaphore: UInt64 = 0, arguments = ""
  }

  /// `readelf -n` (binutils) for the stapsdt notes.
  static func readelfProbes(_ path: String) throws -> [ReadelfProbe] {
    guard let readelf = Toolchain.systemTool("readelf") else {
      if TestEnvironment.mustNotSkip { Issue.record("binutils readelf missing") }
      try Test.cancel("skipped: binutils readelf missing")
    }
    let run = try runTool(readelf, ["-n", "-W", path])
    var probes: [ReadelfProbe] = []
    var current: ReadelfProbe? = nil
    func hex(_ text: Substring) -> UInt64 { UInt64(text.replacingOccurrences(of: "0x", with: ""), radix: 16) ?? .max }
    for raw in run.output.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = raw.trimmingCharacters(in: .whitespaces)
      // With -W the provider shares the note's header line.
      if let r = line.range(of: "Provider: ") {
        if let c = current { probes.append(c) }
        current = ReadelfProbe(provider: String(line[r.upperBound...]))
      } else if line.hasPrefix("Name: ") {
        current?.name = String(line.dropFirst("Name: ".count))
      } else if line.hasPrefix("Location: ") {
        for part in line.split(separator: ",") {
          let kv = part.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
          guard kv.count == 2 else { continue }
          switch kv[0] {
          case "Location": current?.location = hex(Substring(kv[1]))
          case "Base": current?.base = hex(Substring(kv[1]))
          case "Semaphore": current?.semaphore = hex(Substring(kv[1]))
          default: break
          }
        }
      } else if line.hasPrefix("Arguments:") {
        current?.arguments = line.dropFirst("Arguments:".count).trimmingCharacters(in: .whitespaces)
      }
    }
    if let c = current { probes.append(c) }
    return probes
  }

  @Test(arguments: [ExecutableFileTests.pie, ExecutableFileTests.noPIE, ExecutableFileTests.usdtTarget])
  func notesMatchReadelf(path: String) throws {
    let expected = try Self.readelfProbes(path)
    let file = try ExecutableFile.open(path: path)
    let ours = file.usdtProbes.map {
      ReadelfProbe(provider: $0.provider, name: $0.name, location: $0.address, base: $0.noteBase,
                   semaphore: $0.semaphoreAddress, arguments: $0.argumentText)
    }
    #expect(!expected.isEmpty)
    #expect(ours == expected)
    // The .stapsdt.base section is where the notes say: no adjustment in these files.
    #expect(file.section(named: ".stapsdt.base")?.address == expected.first?.base)
  }

  @Test func semaphoreIsInProbesSection() throws {
    let file = try ExecutableFile.open(path: ExecutableFileTests.pie)
    let sema = try #require(file.usdtProbes(provider: "swiftbpf_attach", name: "sema").first)
    #expect(sema.semaphoreAddress == file.section(named: ".probes")?.address)
    #expect(file.usdtProbes(provider: "swiftbpf_attach", name: "args").first?.semaphoreAddress == 0)
  }

  /// x86-64 `struct pt_regs` offsets as clang lays out <asm/ptrace.h>.
  static func clangPtRegsOffsets() throws -> [String: Int] {
    guard let clang = Toolchain.tool("clang") else {
      if TestEnvironment.mustNotSkip { Issue.record("clang missing") }
      try Test.cancel("skipped: clang missing")
    }
    let names = X86Register.layout
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftbpf-ptregs-\(getpid())-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = directory.appendingPathComponent("p.c")
    let body = names.map { "printf(\"\($0) %zu\\n\", offsetof(struct pt_regs, \($0)));" }.joined(separator: "\n")
    try """
    #include <stddef.h>
    #include <stdio.h>
    #include <asm/ptrace.h>
    int main(void) { \(body) return 0; }
    """.write(to: source, atomically: true, encoding: .utf8)
    let binary = directory.appendingPathComponent("p").path
    let build = try runProcess(clang, ["-I/usr/include/x86_64-linux-gnu", "-o", binary, source.path])
    try #require(build.status == 0, "clang: \(build.stderr)")
    let run = try runProcess(binary, [])
    var result: [String: Int] = [:]
    for line in run.stdout.split(separator: "\n") {
      let f = line.split(separator: " ")
      if f.count == 2, let v = Int(f[1]) { result[String(f[0])] = v }
    }
    return result
  }

  @Test func registerOffsetsMatchClang() throws {
    let offsets = try Self.clangPtRegsOffsets()
    #expect(offsets.count == X86Register.layout.count)
    for (alias, full) in [("eax", "rax"), ("rax", "rax"), ("al", "rax"), ("r8d", "r8"), ("r15", "r15"),
                          ("esp", "rsp"), ("rip", "rip"), ("dil", "rdi"), ("rbp", "rbp"), ("cx", "rcx")] {
      let reg = try #require(X86Register(name: Substring(alias)))
      #expect(Int(reg.ptRegsOffset) == offsets[full], "\(alias)")
    }
    #expect(X86Register(name: "ah") == nil)
  }

  /// The forms of the SDT spec (sizes and signs per the SystemTap SDT notes
  /// documentation: N@operand, negative N = signed).
  @Test func parsesArgumentForms() throws {
    let rax = try #require(X86Register(name: "rax")), rbp = try #require(X86Register(name: "rbp"))
    let rdx = try #require(X86Register(name: "rdx"))
    let cases: [(String, USDTArgument)] = [
      ("-4@%eax", .init(size: 4, isSigned: true, location: .register(rax))),
      ("8@-8(%rbp)", .init(size: 8, isSigned: false, location: .memory(base: rbp, offset: -8))),
      ("-4@$5", .init(size: 4, isSigned: true, location: .constant(5))),
      ("-4@$-9", .init(size: 4, isSigned: true, location: .constant(-9))),
      ("8@(%rax,%rdx,8)", .init(size: 8, isSigned: false, location: .indexed(base: rax, index: rdx, scale: 8, offset: 0))),
      ("-1@-96(%rbp,%rax)", .init(size: 1, isSigned: true, location: .indexed(base: rbp, index: rax, scale: 1, offset: -96))),
      ("2@0x10(%rax)", .init(size: 2, isSigned: false, location: .memory(base: rax, offset: 16))),
      ("8@(%rax)", .init(size: 8, isSigned: false, location: .memory(base: rax, offset: 0))),
    ]
    for (text, expected) in cases {
      #expect(try USDTArgument.parse(Substring(text)) == expected, "\(text)")
    }
    for bad in ["4", "3@%eax", "0@%eax", "4@%zz", "4@foo(%rip)", "4@(%rax,%rdx,3)", "x@%eax", "4@"] {
      #expect(throws: USDTArgument.ParseError.self, "\(bad)") { try USDTArgument.parse(Substring(bad)) }
    }
  }

  @Test func fixtureArgumentsParse() throws {
    let file = try ExecutableFile.open(path: ExecutableFileTests.pie)
    let args = try #require(file.usdtProbes(provider: "swiftbpf_attach", name: "args").first).arguments()
    #expect(args.count == 4)
    #expect(args.first?.location == .constant(5))
  }

  @Test func damagedNotesThrow() {
    // A header promising more bytes than the section has.
    let bytes: [UInt8] = [8, 0, 0, 0, 200, 0, 0, 0, 3, 0, 0, 0] + Array("stapsdt\0".utf8)
    #expect(throws: ExecutableError.self) { try USDTProbe.parseNotes(bytes, stapsdtBase: nil, file: "x") }
    let truncated: [UInt8] = [8, 0, 0]
    #expect(throws: ExecutableError.self) { try USDTProbe.parseNotes(truncated, stapsdtBase: nil, file: "x") }
  }
}
