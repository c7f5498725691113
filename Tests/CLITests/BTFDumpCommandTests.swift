import Foundation
import Testing
import TestSupport

/// `swiftbpf btf dump`: the raw form reads as bpftool's, the C form compiles
/// with clang and has the kernel's layout.
@Suite("swiftbpf btf dump")
struct BTFDumpCommandTests {
  static let vmlinux = "/sys/kernel/btf/vmlinux"

  static func bpftool() throws -> String? {
    if let tool = Toolchain.systemTool("bpftool") { return tool }
    try #require(!TestEnvironment.mustNotSkip, "bpftool missing (apt-get install bpftool)")
    return nil
  }

  static func hasVmlinux() throws -> Bool {
    if FileManager.default.isReadableFile(atPath: vmlinux) { return true }
    try #require(!TestEnvironment.mustNotSkip, "\(vmlinux) missing")
    return false
  }

  /// Our raw form, with the one thing bpftool 7.1 does not print: the
  /// kind_flag of attribute-style tags (`TYPE_TAG ... kind_flag=1`).
  static func comparable(_ text: String) -> String {
    text.replacingOccurrences(of: " kind_flag=1\n", with: "\n")
  }

  @Test("raw form equals bpftool btf dump file, for every fixture and vmlinux",
        arguments: Fixture.objects.map(\.path) + [vmlinux])
  func rawMatchesBpftool(file: String) throws {
    guard let tool = try Self.bpftool() else { return }
    if file == Self.vmlinux, try !Self.hasVmlinux() { return }
    let expected = try runTool(tool, ["btf", "dump", "file", file])
    try #require(expected.status == 0)
    let run = try swiftbpf(["btf", "dump", file])
    try #require(run.status == 0, "\(run.stderr)")
    #expect(Self.comparable(run.stdout) == expected.output)
  }

  @Test("--type task_struct --format c compiles with clang -target bpf and has the kernel's size")
  func cSubsetCompiles() throws {
    guard try Self.hasVmlinux(), let tool = try Self.bpftool() else { return }
    guard let clang = Toolchain.tool("clang") else {
      try #require(!TestEnvironment.mustNotSkip, "clang missing at /opt/swift/usr/bin")
      return
    }
    // The kernel's numbers, from bpftool's reading of its BTF.
    let raw = try runTool(tool, ["btf", "dump", "file", Self.vmlinux]).output
    let line = try #require(raw.split(separator: "\n").first { $0.contains("] STRUCT 'task_struct' size=") })
    let size = try #require(line.split(separator: " ").first { $0.hasPrefix("size=") }.flatMap { Int($0.dropFirst(5)) })

    let run = try swiftbpf(["btf", "dump", Self.vmlinux, "--format", "c", "--type", "task_struct"])
    try #require(run.status == 0, "\(run.stderr)")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swiftbpf-dump-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try run.stdout.write(to: dir.appendingPathComponent("vmlinux.h"), atomically: true, encoding: .utf8)
    let source = """
      #include "vmlinux.h"
      _Static_assert(sizeof(struct task_struct) == \(size), "task_struct size");
      """
    try source.write(to: dir.appendingPathComponent("check.c"), atomically: true, encoding: .utf8)
    let compile = try runProcess(clang, ["-target", "bpf", "-fsyntax-only", "-I", dir.path,
                                         dir.appendingPathComponent("check.c").path])
    #expect(compile.status == 0, "\(compile.stderr.prefix(2000))")
  }

  @Test("an unknown --type is an error naming it")
  func unknownType() throws {
    let run = try swiftbpf(["btf", "dump", Fixture.object("maps.bpf.o").path, "--type", "no_such_type"])
    #expect(run.status != 0)
    #expect(run.stderr.contains("no_such_type"))
  }

  @Test("-o writes what stdout would show, and an unwritable path is a one-line error")
  func writesToOutputFile() throws {
    let object = Fixture.object("maps.bpf.o").path
    let printed = try swiftbpf(["btf", "dump", object, "--format", "c"])
    try #require(printed.status == 0)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("btf-dump-\(getpid()).h").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let written = try swiftbpf(["btf", "dump", object, "--format", "c", "-o", path])
    #expect(written.status == 0)
    #expect(written.stdout.isEmpty)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == printed.stdout)

    let refused = try swiftbpf(["btf", "dump", object, "-o", "/nonexistent-dir/x.h"])
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("cannot write /nonexistent-dir/x.h"))
  }
}
