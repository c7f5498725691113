import Foundation
import Testing
import TestSupport
@testable import Loader

/// `KernelSymbols` against `grep` of /proc/kallsyms, and the format's shapes.
@Suite struct KernelInfoSymbolsTests {
  @Test func parsesLinesWithModulesAndRepeats() throws {
    let symbols = KernelSymbols(text: """
      ffffffff81000000 T _stext
      ffffffff81000010 t helper
      ffffffff81000020 t helper
      ffffffffc0025b80 t bpf_dispatcher_xdp\t[bpf]
      ffffffffc0030000 t helper\t[mod]
      not a line
      zzzz T bad_address
      ffffffff81000030 TT bad_type

      """)
    #expect(symbols.symbols.count == 5)
    #expect(symbols.symbols(named: "helper").count == 3)
    #expect(symbols.symbols(named: "helper", module: "mod").first?.address == 0xffff_ffff_c003_0000)
    #expect(try symbols.address(of: "_stext") == 0xffff_ffff_8100_0000)
    #expect(symbols.symbols(named: "bpf_dispatcher_xdp").first?.module == "bpf")
    #expect(symbols.symbols(named: "_stext").first?.type == "T")
    #expect(throws: KernelSymbolsError.ambiguous(name: "helper", count: 2)) { try symbols.address(of: "helper") }
    #expect(try symbols.address(of: "helper", module: "mod") == 0xffff_ffff_c003_0000)
    #expect(throws: KernelSymbolsError.notFound(name: "nope")) { try symbols.address(of: "nope") }
    #expect(!symbols.addressesHidden)
  }

  @Test func zeroAddressesAreReportedAsHidden() {
    let symbols = KernelSymbols(text: "0000000000000000 T _stext\n0000000000000000 T bpf_prog_put\n")
    #expect(symbols.addressesHidden)
    #expect(symbols.contains("bpf_prog_put"))
    #expect(throws: KernelSymbolsError.addressesHidden(name: "bpf_prog_put")) { try symbols.address(of: "bpf_prog_put") }
    #expect(KernelSymbolsError.addressesHidden(name: "x").description.contains("need root/CAP_SYSLOG"))
  }

  /// As root the addresses equal grep's; as a user without CAP_SYSLOG grep
  /// shows zeros and we report them hidden.
  @Test(arguments: ["_stext", "bpf_prog_put", "__x64_sys_bpf"])
  func addressMatchesGrep(name: String) throws {
    guard let grep = Toolchain.systemTool("grep"), FileManager.default.isReadableFile(atPath: "/proc/kallsyms") else {
      if TestEnvironment.mustNotSkip { Issue.record("no grep or /proc/kallsyms") }
      return
    }
    let lines = try runTool(grep, ["-w", name, "/proc/kallsyms"]).output.split(separator: "\n")
      .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }) }
      .filter { $0.count == 3 && $0[2] == name }
    guard let line = lines.first else {
      // _stext and bpf_prog_put are on every kernel; the x86-64 syscall
      // wrapper name only where syscall wrappers exist (x86-64 since 4.17).
      #if arch(x86_64)
      if name != "__x64_sys_bpf" || TestEnvironment.mustNotSkip { Issue.record("\(name) not in kallsyms") }
      #else
      if TestEnvironment.mustNotSkip { Issue.record("\(name) not in kallsyms") }
      #endif
      return
    }
    let symbols = try KernelSymbols.load()
    #expect(symbols.contains(name))
    let expected = try #require(UInt64(line[0], radix: 16))
    if expected == 0 {
      #expect(throws: KernelSymbolsError.addressesHidden(name: name)) { try symbols.address(of: name) }
    } else {
      #expect(try symbols.address(of: name) == expected)
    }
  }

  @Test func syscallWrapperSymbolIsThere() throws {
    #if arch(x86_64)
    #expect(KernelConfig.syscallWrapperSymbol == "__x64_sys_bpf")
    guard let grep = Toolchain.systemTool("grep") else {
      if TestEnvironment.mustNotSkip { Issue.record("grep is missing") }
      return
    }
    let found = try runTool(grep, ["-c", " __x64_sys_bpf$", "/proc/kallsyms"]).output
    let symbols = try KernelSymbols.load()
    #expect(symbols.contains("__x64_sys_bpf") == ((Int(found.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0))
    #endif
  }

  @Test func unreadableFileIsAnError() {
    #expect(throws: KernelSymbolsError.self) { try KernelSymbols.load(path: "/nonexistent/kallsyms") }
  }
}
