import Foundation
import Testing
import TestSupport
@testable import BTF

/// Finding the kernel's BTF.
@Suite struct KernelTests {
  @Test func searchListStartsWithSysfsAndNamesTheRelease() {
    let paths = BTF.kernelSearchPaths(release: "6.18.0-test")
    #expect(paths.first == "/sys/kernel/btf/vmlinux")
    #expect(paths.contains("/boot/vmlinux-6.18.0-test"))
    #expect(paths.contains("/usr/lib/debug/boot/vmlinux-6.18.0-test"))
    #expect(paths.contains("/lib/modules/6.18.0-test/build/vmlinux"))
  }

  @Test func releaseMatchesUname() throws {
    guard let uname = Toolchain.systemTool("uname") else {
      if TestEnvironment.mustNotSkip { Issue.record("uname is missing") }
      return
    }
    let result = try runTool(uname, ["-r"])
    #expect(BTF.kernelRelease == result.output.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  @Test func missingEverywhereListsWhereItLooked() throws {
    let dir = try FixtureBTF.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let paths = [dir.appendingPathComponent("a").path, dir.appendingPathComponent("b").path]
    #expect(throws: BTFError.kernelBTFNotFound(searched: paths)) { try BTF.locateKernelBTF(in: paths) }
    let error = try #require(throws: BTFError.self) { try BTF.locateKernelBTF(in: paths) }
    #expect(error.description.contains(paths[1]))
  }

  @Test func tellsRawFromELF() throws {
    let dir = try FixtureBTF.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let elf = dir.appendingPathComponent("vmlinux-elf"), raw = dir.appendingPathComponent("vmlinux-raw")
    try Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]).write(to: elf)
    try Data(ParserTests.allKinds(.little).bytes()).write(to: raw)
    let missing = dir.appendingPathComponent("missing").path
    #expect(try BTF.locateKernelBTF(in: [missing, elf.path]) == .init(path: elf.path, format: .elf))
    #expect(try BTF.locateKernelBTF(in: [raw.path, elf.path]) == .init(path: raw.path, format: .raw))
    #expect(throws: BTFError.kernelBTFIsELF(path: elf.path)) { try BTF.kernel(path: elf.path) }
    #expect(try BTF.kernel(path: raw.path).typeCount == 20)
  }

  @Test func loadsTheRunningKernel() throws {
    guard Bpftool.hasVmlinux else {
      #expect(!TestEnvironment.mustNotSkip, "/sys/kernel/btf/vmlinux missing")
      return
    }
    let btf = try BTF.kernel()
    #expect(btf.typeCount > 1000)
    #expect(btf.firstType(named: "task_struct", kind: .struct) != nil)
  }

  @Test func missingFileIsAnIOError() {
    #expect(throws: BTFError.io(path: "/nonexistent/btf", operation: "open", errno: ENOENT)) {
      try BTF(contentsOf: "/nonexistent/btf")
    }
  }
}
