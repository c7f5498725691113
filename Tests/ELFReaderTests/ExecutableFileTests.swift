import Foundation
import Testing
import TestSupport
@testable import ELFReader

/// Host executables for uprobes: symbols, PIE and non-PIE file offsets,
/// checked against llvm-nm, llvm-objdump and binutils readelf.
@Suite struct ExecutableFileTests {
  static let attachDirectory = Fixture.directory.appendingPathComponent("attach")
  static let pie = attachDirectory.appendingPathComponent("attach_target").path
  static let noPIE = attachDirectory.appendingPathComponent("attach_target_nopie").path
  static let usdtTarget = Fixture.object("usdt_target").path

  /// A tool, or nil (recording a failure when tests must not skip).
  static func tool(_ name: String, onPath: Bool = false) throws -> String {
    let found: String? = onPath ? Toolchain.systemTool(name) : Toolchain.tool(name)
    guard let path = found else {
      if TestEnvironment.mustNotSkip { Issue.record("\(name) is missing") }
      try Test.cancel("skipped: \(name) is missing")
    }
    return path
  }

  @Test func readsKindOfPIEAndNonPIE() throws {
    #expect(try ExecutableFile.open(path: Self.pie).kind == .sharedObject)
    #expect(try ExecutableFile.open(path: Self.noPIE).kind == .executable)
    #expect(try ExecutableFile.open(path: Self.pie).machine == 62)
  }

  /// Every defined function llvm-nm lists (static and dynamic) is found at
  /// the address llvm-nm prints.
  @Test(arguments: [pie, noPIE, usdtTarget])
  func symbolAddressesMatchLLVMNm(path: String) throws {
    let nm = try Self.tool("llvm-nm")
    let file = try ExecutableFile.open(path: path)
    var checked = 0
    for arguments in [["--defined-only"], ["-D", "--defined-only"]] {
      let run = try runTool(nm, arguments + [path])
      #expect(run.status == 0)
      for line in run.output.split(separator: "\n") {
        let fields = line.split(separator: " ")
        guard fields.count == 3, fields[1] == "T" || fields[1] == "t",
          let address = UInt64(fields[0], radix: 16)
        else { continue }
        let name = String(fields[2])
        let found = file.symbols.filter { $0.name == name && $0.isFunction }.map(\.address)
        #expect(found.contains(address), "\(name) at \(String(address, radix: 16)) in \(path)")
        checked += 1
      }
    }
    #expect(checked > 2)
  }

  /// The file offset of a function holds the bytes llvm-objdump shows at its start.
  @Test(arguments: [(pie, "swiftbpf_attach_function"), (noPIE, "swiftbpf_attach_function"),
                    (usdtTarget, "swiftbpf_uprobe_target"), (pie, "main")])
  func functionFileOffsetHoldsItsCode(path: String, function: String) throws {
    let objdump = try Self.tool("llvm-objdump")
    let file = try ExecutableFile.open(path: path)
    let offset = try file.fileOffset(ofFunction: function)
    let run = try runTool(objdump, ["-d", "--disassemble-symbols=\(function)", path])
    // First instruction line: "     9e0: 8d 47 64   leal ..."
    let line = try #require(run.output.split(separator: "\n").first { $0.contains(":") && $0.hasPrefix(" ") })
    let afterColon = line[line.index(after: try #require(line.firstIndex(of: ":")))...]
    let hex = afterColon.split(separator: "\t").first ?? ""
    let expected = hex.split(separator: " ").compactMap { UInt8($0, radix: 16) }
    try #require(!expected.isEmpty)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let start = Int(offset)
    try #require(start + expected.count <= bytes.count)
    #expect(Array(bytes[start..<(start + expected.count)]) == expected)
  }

  /// A data address maps to the offset binutils readelf gives its section.
  @Test func semaphoreSectionOffsetMatchesReadelf() throws {
    let readelf = try Self.tool("readelf", onPath: true)
    let file = try ExecutableFile.open(path: Self.pie)
    let run = try runTool(readelf, ["-S", "-W", Self.pie])
    let line = try #require(run.output.split(separator: "\n").first { $0.contains(" .probes ") })
    let fields = line.split(separator: " ").filter { !$0.isEmpty }
    let nameIndex = try #require(fields.firstIndex(of: ".probes"))
    let address = try #require(UInt64(fields[nameIndex + 2], radix: 16))
    let offset = try #require(UInt64(fields[nameIndex + 3], radix: 16))
    #expect(file.fileOffset(ofAddress: address) == offset)
    #expect(file.section(named: ".probes")?.fileOffset == offset)
  }

  /// `.dynsym` of the C library: `getpid` resolves, and its bytes are those
  /// llvm-objdump prints for it.
  @Test func libraryDynamicSymbol() throws {
    let libc = "/lib/x86_64-linux-gnu/libc.so.6"
    guard FileManager.default.fileExists(atPath: libc) else {
      if TestEnvironment.mustNotSkip { Issue.record("no \(libc)") }
      try Test.cancel("skipped: no \(libc)")
    }
    let objdump = try Self.tool("llvm-objdump")
    let table = try runTool(objdump, ["-T", libc]).output
    let entry = try #require(table.split(separator: "\n").first { $0.hasSuffix(" getpid") })
    let address = try #require(UInt64(entry.prefix { $0 != " " }, radix: 16))
    let run = try runTool(objdump, ["-d", "--debug-file-directory=/nonexistent", "--start-address=0x\(String(address, radix: 16))",
                                    "--stop-address=0x\(String(address + 8, radix: 16))", libc])
    let line = try #require(run.output.split(separator: "\n").first { $0.contains(":") && $0.hasPrefix(" ") })
    let afterColon = line[line.index(after: try #require(line.firstIndex(of: ":")))...]
    let expected = (afterColon.split(separator: "\t").first ?? "").split(separator: " ").compactMap { UInt8($0, radix: 16) }
    try #require(!expected.isEmpty)
    let file = try ExecutableFile.open(path: libc)
    let offset = Int(try file.fileOffset(ofFunction: "getpid"))
    let bytes = try Data(contentsOf: URL(fileURLWithPath: libc))
    #expect(Array(bytes[offset..<(offset + expected.count)]) == expected)
    #expect(file.functions(named: "getpid").contains { $0.isDynamic })
    #expect(file.functions(named: "malloc@GLIBC_2.2.5").count >= 1)
  }

  @Test func missingSymbolIsNamed() throws {
    let file = try ExecutableFile.open(path: Self.pie)
    #expect(throws: ExecutableError.symbolNotFound(file: Self.pie, symbol: "no_such_function")) {
      try file.fileOffset(ofFunction: "no_such_function")
    }
  }

  @Test func refusesBPFObjectsAndText() throws {
    #expect(throws: ExecutableError.self) { try ExecutableFile.open(path: Fixture.object("maps.bpf.o").path) }
    #expect(throws: ExecutableError.self) {
      try ExecutableFile.open(path: Fixture.directory.appendingPathComponent("README.md").path)
    }
    #expect(throws: ExecutableError.self) { try ExecutableFile.open(path: "/nonexistent/swiftbpf") }
  }

  /// Truncated and bit-flipped copies never crash: each one opens or throws
  /// an `ExecutableError`. Truncations below the ELF header must be refused
  /// (so some are); the seed makes the flipped bytes reproducible.
  @Test func damagedCopiesThrowOrOpen() throws {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.pie))
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftbpf-exec-\(getpid())-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var generator = SplitMix64(seed: 0x5EED_E1F0)
    var opened = 0
    var refused = 0
    for i in 0..<40 {
      var copy = bytes
      if i < 20 {
        copy = copy.prefix(bytes.count * i / 20)
      } else {
        for _ in 0..<16 { copy[Int.random(in: 0..<copy.count, using: &generator)] ^= 0xff }
      }
      let path = directory.appendingPathComponent("copy\(i)").path
      try copy.write(to: URL(fileURLWithPath: path))
      let file: ExecutableFile
      // Typed throws: every failure here is an ExecutableError by construction;
      // what matters is that damaged files end in one instead of a crash.
      do {
        file = try ExecutableFile.open(path: path)
      } catch {
        #expect(!error.description.isEmpty, "copy \(i)")
        refused += 1
        continue
      }
      opened += 1
      do {
        _ = try file.fileOffset(ofFunction: "swiftbpf_attach_function")
      } catch {
        #expect(!error.description.isEmpty, "copy \(i)")
      }
      for probe in file.usdtProbes {
        do {
          _ = try probe.arguments()
        } catch {
          #expect(!String(describing: error).isEmpty, "copy \(i) probe")
        }
      }
    }
    // The empty copy (i == 0) has no ELF header at all.
    #expect(refused > 0, "opened \(opened), refused \(refused)")
    #expect(opened > 0, "opened \(opened), refused \(refused)")
    #expect(opened + refused == 40)
  }
}
