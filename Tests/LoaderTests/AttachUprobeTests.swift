import ELFReader
import Foundation
import Glibc
import Loader
import Syscall
import Testing
import TestSupport
import UAPI

/// uprobes, uretprobes, uprobe.multi and USDT on the helper programs of
/// Fixtures/attach and Fixtures/obj/usdt_target, fired for real.
@Suite(.kernel) struct AttachUprobeTests {
  /// usdt.bpf.o as written for libbpf (BPF_USDT, BPF_KPROBE,
  /// BPF_KRETPROBE) on usdt_target: the values its source documents.
  @Test func libbpfUSDTObjectWorksUnchanged() throws {
    let loaded = try AttachKit.load("usdt.bpf.o", only: ["on_tick", "on_done", "on_target", "on_return"])
    let target = Fixture.object("usdt_target").path
    let specs = try #require(loaded.usdtSpecTable())
    let links = [
      try AttachKit.program(loaded, "on_tick").attach(
        to: .usdt(path: target, provider: "swiftbpf", name: "tick", specs: specs, cookie: 0xC00C1E)),
      try AttachKit.program(loaded, "on_done").attach(
        to: .usdt(path: target, provider: "swiftbpf", name: "done", specs: specs)),
      try AttachKit.program(loaded, "on_target").attach(
        to: .uprobe(path: target, function: "swiftbpf_uprobe_target")),
      try AttachKit.program(loaded, "on_return").attach(
        to: .uprobe(path: target, function: "swiftbpf_uprobe_target", isReturn: true)),
    ]
    #expect(specs.usedCount == 2)
    let run = try runProcess(target, ["3"])
    #expect(run.status == 0)
    #expect(try loaded.variable("ticks", as: UInt64.self) == 3)
    #expect(try loaded.variable("last_counter", as: Int64.self) == 2)
    #expect(try loaded.variable("last_value", as: Int64.self) == 1002)
    #expect(try loaded.variable("arg_count", as: Int32.self) == 2)
    #expect(try loaded.variable("last_cookie", as: Int64.self) == 0xC00C1E)
    #expect(try loaded.variable("done", as: UInt64.self) == 1)
    #expect(try loaded.variable("uprobe_hits", as: UInt64.self) == 3)
    #expect(try loaded.variable("uprobe_last_arg", as: Int32.self) == 2)
    #expect(try loaded.variable("uretprobe_last", as: Int32.self) == 4)
    for link in links { link.close() }
    #expect(specs.usedCount == 0, "spec ids are freed with their links")
  }

  /// USDT with a constant, a register, and a semaphore the kernel raises
  /// (`ref_ctr_offset`) so the helper fires the guarded probe.
  @Test func usdtConstantRegisterAndSemaphore() throws {
    let loaded = try AttachKit.load("usdt.bpf.o", only: ["on_tick", "on_done"])
    let specs = try #require(loaded.usdtSpecTable())
    let helper = try AttachKit.Helper(AttachKit.attachTarget, ["4"])
    // on_tick reads arguments 0 and 1: "-4@$5" and "8@%rcx" (the round).
    let args = try AttachKit.program(loaded, "on_tick").attach(
      to: .usdt(path: AttachKit.attachTarget, provider: "swiftbpf_attach", name: "args", specs: specs,
                pid: helper.pid, cookie: 77))
    let sema = try AttachKit.program(loaded, "on_done").attach(
      to: .usdt(path: AttachKit.attachTarget, provider: "swiftbpf_attach", name: "sema", specs: specs,
                pid: helper.pid))
    let (last, status) = helper.finish()
    #expect(status == 0)
    #expect(last == "fired 4", "the semaphore was raised while attached")
    #expect(try loaded.variable("ticks", as: UInt64.self) == 4)
    #expect(try loaded.variable("last_counter", as: Int64.self) == 5)
    #expect(try loaded.variable("last_value", as: Int64.self) == 3)
    #expect(try loaded.variable("arg_count", as: Int32.self) == 4)
    #expect(try loaded.variable("last_cookie", as: Int64.self) == 77)
    #expect(try loaded.variable("done", as: UInt64.self) == 4)
    _ = (args, sema)
  }

  /// Without attaching, the semaphore stays 0 and the guarded probe is skipped.
  @Test func semaphoreIsZeroWithoutAttach() throws {
    let helper = try AttachKit.Helper(AttachKit.attachTarget, ["2"])
    #expect(helper.finish().0 == "fired 0")
  }

  /// A uprobe on a libc function found by library name through
  /// /proc/<pid>/maps, limited to one process; a uretprobe in a non-PIE file.
  @Test func uprobeByLibraryNameAndPid() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["uprobe_manual", "uretprobe_getpid"])
    let entry = try AttachKit.program(loaded, "uprobe_manual")
    let exit = try AttachKit.program(loaded, "uretprobe_getpid")
    let helper = try AttachKit.Helper(AttachKit.attachTarget, ["5"])
    let a = try entry.attach(to: .uprobe(path: "libc.so.6", function: "getpid", pid: helper.pid))
    let b = try exit.attach(to: .uprobe(path: "libc.so.6", function: "getpid", isReturn: true, pid: helper.pid))
    let before = (try AttachKit.runCount(entry), try AttachKit.runCount(exit))
    #expect(helper.finish().1 == 0)
    #expect(try AttachKit.runCount(entry) - before.0 == 5)
    #expect(try AttachKit.runCount(exit) - before.1 == 5)
    _ = (a, b)
  }

  @Test func uprobeInNonPIEExecutable() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["uprobe_manual"])
    let program = try AttachKit.program(loaded, "uprobe_manual")
    let link = try program.attach(to: .uprobe(path: AttachKit.attachTargetNoPIE, function: "swiftbpf_attach_function"))
    let before = try AttachKit.runCount(program)
    let helper = try AttachKit.Helper(AttachKit.attachTargetNoPIE, ["3"])
    #expect(helper.finish().1 == 0)
    #expect(try AttachKit.runCount(program) - before == 3)
    link.close()
  }

  @Test func uprobeMultiByPattern() throws {
    let stats = try AttachKit.enableStats()
    defer { _ = stats }
    let loaded = try AttachKit.load("sections.bpf.o", only: ["uprobe_multi"])
    let program = try AttachKit.program(loaded, "uprobe_multi")
    let helper = try AttachKit.Helper(AttachKit.attachTarget, ["6"])
    let link = try program.attach(to: .uprobeMulti(path: AttachKit.attachTarget, pattern: "swiftbpf_attach_func*",
                                                   pid: helper.pid))
    guard case .uprobeMulti(let count, _, let pid) = try link.info().details else {
      Issue.record("not a uprobe_multi link")
      return
    }
    #expect(count == 1)
    #expect(pid == UInt32(helper.pid))
    let before = try AttachKit.runCount(program)
    #expect(helper.finish().1 == 0)
    #expect(try AttachKit.runCount(program) - before == 6)
  }

  @Test func missingTargetsAreNamed() throws {
    let loaded = try AttachKit.load("sections.bpf.o", only: ["uprobe_manual"])
    let program = try AttachKit.program(loaded, "uprobe_manual")
    do {
      _ = try program.attach(to: .uprobe(path: AttachKit.attachTarget, function: "no_such_function"))
      Issue.record("attached to a missing function")
    } catch {
      #expect(error.description.contains("no_such_function"))
      #expect(error.description.contains("uprobe_manual"))
    }
    do {
      _ = try program.attach(to: .uprobe(path: "libswiftbpf-none.so", function: "f"))
      Issue.record("attached to a missing library")
    } catch {
      guard case .targetNotFound = error else { Issue.record("\(error)"); return }
    }
  }
}

/// The spec bytes written for usdt.bpf.h, against the layout clang gives
/// `struct __bpf_usdt_spec` in /usr/include/bpf/usdt.bpf.h.
@Suite struct AttachUSDTSpecTests {
  @Test func specLayoutMatchesClang() throws {
    guard let clang = Toolchain.tool("clang") else {
      if TestEnvironment.mustNotSkip { Issue.record("clang missing") }
      try Test.cancel("skipped: clang missing")
    }
    guard FileManager.default.fileExists(atPath: "/usr/include/bpf/usdt.bpf.h") else {
      if TestEnvironment.mustNotSkip { Issue.record("libbpf-dev headers missing") }
      try Test.cancel("skipped: libbpf-dev headers missing")
    }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftbpf-usdtspec-\(getpid())-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = directory.appendingPathComponent("s.c")
    try """
    #include <stddef.h>
    #include <stdio.h>
    #include <stdbool.h>
    #include <linux/types.h>
    #define __weak __attribute__((weak))
    #define SEC(x)
    #define __uint(n, v) int (*n)[v]
    #define __type(n, v) v *n
    #define __hidden
    #define BPF_USDT_SKIP
    enum __bpf_usdt_arg_type { BPF_USDT_ARG_CONST, BPF_USDT_ARG_REG, BPF_USDT_ARG_REG_DEREF };
    struct __bpf_usdt_arg_spec { __u64 val_off; enum __bpf_usdt_arg_type arg_type; short reg_off; bool arg_signed; char arg_bitshift; };
    struct __bpf_usdt_spec { struct __bpf_usdt_arg_spec args[12]; __u64 usdt_cookie; short arg_cnt; };
    int main(void) {
      printf("%zu %zu %zu %zu %zu %zu %zu %zu %zu\\n", sizeof(struct __bpf_usdt_spec),
        sizeof(struct __bpf_usdt_arg_spec), offsetof(struct __bpf_usdt_arg_spec, arg_type),
        offsetof(struct __bpf_usdt_arg_spec, reg_off), offsetof(struct __bpf_usdt_arg_spec, arg_signed),
        offsetof(struct __bpf_usdt_arg_spec, arg_bitshift), offsetof(struct __bpf_usdt_spec, usdt_cookie),
        offsetof(struct __bpf_usdt_spec, arg_cnt), offsetof(struct __bpf_usdt_spec, args[1]));
      return 0;
    }
    """.write(to: source, atomically: true, encoding: .utf8)
    // The struct text above must be the header's: check it is, token for token.
    let header = try String(contentsOfFile: "/usr/include/bpf/usdt.bpf.h", encoding: .utf8)
    let squeezed = header.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    for needle in ["__u64 val_off;", "enum __bpf_usdt_arg_type arg_type;", "short reg_off;", "bool arg_signed;",
                   "char arg_bitshift;", "struct __bpf_usdt_arg_spec args[BPF_USDT_MAX_ARG_CNT]; __u64 usdt_cookie; short arg_cnt;",
                   "#define BPF_USDT_MAX_ARG_CNT 12"] {
      #expect(squeezed.contains(needle), "usdt.bpf.h changed: \(needle)")
    }
    let binary = directory.appendingPathComponent("s").path
    let build = try runProcess(clang, ["-I/usr/include/x86_64-linux-gnu", "-o", binary, source.path])
    try #require(build.status == 0, "\(build.stderr)")
    let numbers = try runProcess(binary, []).stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
    #expect(numbers == [USDTSpec.size, 16, 8, 12, 14, 15, 192, 200, 16])

    let rcx = try #require(X86Register(name: "rcx")), rsi = try #require(X86Register(name: "rsi"))
    let bytes = try #require(USDTSpec.encode([
      USDTArgument(size: 4, isSigned: true, location: .constant(-9)),
      USDTArgument(size: 8, isSigned: false, location: .register(rcx)),
      USDTArgument(size: 2, isSigned: true, location: .memory(base: rsi, offset: 8)),
    ], cookie: 0x1122))
    func u64(_ o: Int) -> UInt64 { bytes[o..<(o + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) } }
    func i16(_ o: Int) -> Int16 { Int16(bitPattern: UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8) }
    #expect(u64(0) == UInt64(bitPattern: -9) && bytes[8] == 0 && bytes[14] == 1 && bytes[15] == 32)
    #expect(bytes[16 + 8] == 1 && i16(16 + 12) == rcx.ptRegsOffset && bytes[16 + 15] == 0)
    #expect(bytes[32 + 8] == 2 && u64(32) == 8 && i16(32 + 12) == rsi.ptRegsOffset && bytes[32 + 15] == 48)
    #expect(u64(192) == 0x1122 && i16(200) == 3)
  }
}
