import Foundation
import Loader
import Syscall
import Testing
import TestSupport
import UAPI

/// `Program.testRun` against the kernel, on Fixtures/src/testrun.bpf.c.
/// Expected values come from the input each test sends and the C source of
/// the programs; struct layouts (`struct __sk_buff`, the syscall program's
/// context) from clang's `offsetof` in a host program; return codes from the
/// UAPI headers (`XDP_TX` = 3 in linux/bpf.h, `TC_ACT_SHOT` = 2 in linux/pkt_cls.h).
@Suite(.serialized) struct TestRunKernelTests {
  static let xdpTX: UInt32 = 3
  static let tcActShot: UInt32 = 2

  static func load() throws -> LoadedObject {
    try Object.open(path: Fixture.object("testrun.bpf.o").path).load()
  }

  static func program(_ loaded: LoadedObject, _ name: String) throws -> LoadedObject.Program {
    try #require(loaded.program(named: name), "program \(name) not loaded")
  }

  /// A 64-byte frame: byte i holds i.
  static let frame: [UInt8] = (0..<64).map { UInt8($0) }

  @Test(.kernel) func xdpRewritesTheByteAfterTheEthernetHeader() throws {
    let loaded = try Self.load()
    defer { loaded.close() }
    let before = try loaded.variable("xdp_runs", as: UInt64.self)
    let result = try Self.program(loaded, "xdp_rewrite").testRun(TestRunOptions(data: Self.frame))
    var expected = Self.frame
    expected[14] += 1  // the program adds 1 to byte 14
    #expect(result.returnValue == Self.xdpTX)
    #expect(result.data == expected)
    #expect(try loaded.variable("xdp_runs", as: UInt64.self) == before + 1)
  }

  @Test(.kernel) func xdpTooShortPacketIsDropped() throws {
    let loaded = try Self.load()
    defer { loaded.close() }
    // 14 bytes: the kernel's minimum (an Ethernet header); the program wants 15.
    let result = try Self.program(loaded, "xdp_rewrite").testRun(TestRunOptions(data: Array(Self.frame.prefix(14))))
    #expect(result.returnValue == 1)  // XDP_DROP
    #expect(result.data == Array(Self.frame.prefix(14)))
  }

  @Test(.kernel) func xdpRepeatRunsTheProgramThatManyTimes() throws {
    let loaded = try Self.load()
    defer { loaded.close() }
    let runs: UInt32 = 10_000
    let before = try loaded.variable("xdp_runs", as: UInt64.self)
    let result = try Self.program(loaded, "xdp_rewrite").testRun(TestRunOptions(data: Self.frame, repeat: runs))
    #expect(result.returnValue == Self.xdpTX)
    // The program counts its runs: the kernel ran it `runs` times.
    #expect(try loaded.variable("xdp_runs", as: UInt64.self) == before + UInt64(runs))
    // The kernel reports the average time per run, which is never zero.
    #expect(result.duration > .zero)
  }

  @Test(.kernel) func xdpOutputLargerThanCapacityNamesTheOption() throws {
    let loaded = try Self.load()
    defer { loaded.close() }
    let error = #expect(throws: LoadError.self) {
      try Self.program(loaded, "xdp_rewrite").testRun(TestRunOptions(data: Self.frame, dataOutCapacity: 16))
    }
    guard case .invalidValue(let name, let reason) = error else {
      Issue.record("expected invalidValue, got \(String(describing: error))")
      return
    }
    #expect(name == "xdp_rewrite")
    #expect(reason.contains("dataOutCapacity") && reason.contains("ENOSPC") && reason.contains("64"))
  }

  @Test(.kernel) func schedClsReadsAndWritesTheSkBuffContext() throws {
    guard let layout = try CLayout.measure() else { return }
    let loaded = try Self.load()
    defer { loaded.close() }
    var context = [UInt8](repeating: 0, count: layout.skBuffSize)
    context.storeU32(41, at: layout.cb)       // cb[0]
    context.storeU32(5, at: layout.cb + 8)    // cb[2]
    let result = try Self.program(loaded, "tc_mark").testRun(TestRunOptions(data: Self.frame, context: context))
    #expect(result.returnValue == Self.tcActShot)
    #expect(result.data == Self.frame)
    let out = result.context
    try #require(out.count == layout.skBuffSize, "output context is \(out.count) bytes")
    #expect(out.loadU32(at: layout.mark) == 42)            // cb[0] + 1
    #expect(out.loadU32(at: layout.cb) == 41)              // cb[0] untouched
    #expect(out.loadU32(at: layout.cb + 4) == UInt32(Self.frame.count))  // skb->len: the whole frame
    #expect(out.loadU32(at: layout.priority) == 10)        // cb[2] * 2
  }

  @Test(.kernel) func rawTracepointArgumentsReachTheProgram() throws {
    let loaded = try Self.load()
    defer { loaded.close() }
    let args: [UInt64] = [0x1122_3344_5566_7788, 7, 0xdead_beef]
    var context: [UInt8] = []
    for a in args { withUnsafeBytes(of: a.littleEndian) { context += $0 } }
    let result = try Self.program(loaded, "raw_args").testRun(TestRunOptions(context: context))
    #expect(try loaded.variable("raw_arg0", as: UInt64.self) == args[0])
    #expect(try loaded.variable("raw_arg1", as: UInt64.self) == args[1])
    #expect(try loaded.variable("raw_arg2", as: UInt64.self) == args[2])
    #expect(result.returnValue == UInt32(truncatingIfNeeded: args[0] &+ args[1]))
    #expect(result.data.isEmpty && result.context.isEmpty)
  }

  @Test(.kernel) func rawTracepointRefusesRepeatAndData() throws {
    let loaded = try Self.load()
    defer { loaded.close() }
    let program = try Self.program(loaded, "raw_args")
    let context = [UInt8](repeating: 1, count: 24)
    // The kernel's own answer to the raw attributes: EINVAL.
    let fd = try #require(program.borrowedFD)
    #expect(kernelErrno(BPF.TestRunAttributes(program: fd, context: context, repeatCount: 2)) == .EINVAL)
    #expect(kernelErrno(BPF.TestRunAttributes(program: fd, data: Self.frame, context: context)) == .EINVAL)

    try expectRefused(program, TestRunOptions(context: context, repeat: 2), option: "repeat")
    try expectRefused(program, TestRunOptions(data: Self.frame, context: context), option: "data")
    // The program reads args[2]: the kernel wants at least 24 bytes.
    try expectRefused(program, TestRunOptions(context: Array(context.prefix(8))), option: "context")
  }

  @Test(.kernel) func syscallProgramWritesItsContextBack() throws {
    guard let layout = try CLayout.measure() else { return }
    let loaded = try Self.load()
    defer { loaded.close() }
    var context = [UInt8](repeating: 0, count: layout.syscallCtxSize)
    context.storeU32(21, at: layout.ctxA)
    context.storeU32(100, at: layout.ctxB)
    let result = try Self.program(loaded, "syscall_ctx").testRun(TestRunOptions(context: context))
    #expect(result.returnValue == 21 ^ 0x5a)
    try #require(result.context.count == layout.syscallCtxSize)
    #expect(result.context.loadU32(at: layout.ctxA) == 21)
    #expect(result.context.loadU64(at: layout.ctxSum) == 121)  // a + b before b changes
    #expect(result.context.loadU32(at: layout.ctxB) == 42)     // a * 2
  }

  @Test(.kernel) func syscallProgramRefusesRepeatAndData() throws {
    let loaded = try Self.load()
    defer { loaded.close() }
    let program = try Self.program(loaded, "syscall_ctx")
    let context = [UInt8](repeating: 0, count: 16)
    let fd = try #require(program.borrowedFD)
    #expect(kernelErrno(BPF.TestRunAttributes(program: fd, context: context, repeatCount: 3)) == .EINVAL)
    #expect(kernelErrno(BPF.TestRunAttributes(program: fd, data: Self.frame, context: context)) == .EINVAL)

    try expectRefused(program, TestRunOptions(context: context, repeat: 3), option: "repeat")
    try expectRefused(program, TestRunOptions(data: Self.frame, context: context), option: "data")
  }

  @Test(.kernel) func legacyEntryPointStillRuns() throws {
    let loaded = try Self.load()
    defer { loaded.close() }
    let result = try Self.program(loaded, "xdp_rewrite").testRun(data: Self.frame)
    #expect(result.returnValue == Self.xdpTX)
    #expect(result.data[14] == Self.frame[14] + 1)
  }

  @Test(.kernel) func closedProgramThrowsClosed() throws {
    let loaded = try Self.load()
    let program = try Self.program(loaded, "xdp_rewrite")
    loaded.close()
    program.close()
    let error = #expect(throws: LoadError.self) { try program.testRun(TestRunOptions(data: Self.frame)) }
    guard case .closed(let object) = error else {
      Issue.record("expected closed, got \(String(describing: error))")
      return
    }
    #expect(object == "xdp_rewrite")
  }

  /// Tracepoint programs have no test run in the kernel (ENOTSUPP): the
  /// error says so and names the program and its type.
  @Test(.kernel) func typeWithoutTestRunSaysSo() throws {
    let loaded = try Object.open(path: Fixture.object("ringbuf.bpf.o").path).load()
    defer { loaded.close() }
    let program = try Self.program(loaded, "handle_exec")
    let fd = try #require(program.borrowedFD)
    #expect(kernelErrno(BPF.TestRunAttributes(program: fd, context: [UInt8](repeating: 0, count: 64))) == .ENOTSUPP)
    let error = #expect(throws: LoadError.self) {
      try program.testRun(TestRunOptions(context: [UInt8](repeating: 0, count: 64)))
    }
    guard case .invalidValue(let name, let reason) = error else {
      Issue.record("expected invalidValue, got \(String(describing: error))")
      return
    }
    #expect(name == "handle_exec")
    #expect(reason.contains("BPF_PROG_TYPE_TRACEPOINT") && reason.contains("ENOTSUPP"), "\(reason)")
  }

  // MARK: helpers

  /// The errno of a raw `BPF_PROG_TEST_RUN`, nil when it succeeded.
  func kernelErrno(_ attributes: BPF.TestRunAttributes) -> Errno? {
    do throws(SyscallError) {
      _ = try BPF.testRun(attributes)
      return nil
    } catch {
      return error.errno
    }
  }

  func expectRefused(_ program: LoadedObject.Program, _ options: TestRunOptions, option: String,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
    let error = #expect(throws: LoadError.self, sourceLocation: sourceLocation) { try program.testRun(options) }
    guard case .invalidValue(let name, let reason) = error else {
      Issue.record("expected invalidValue, got \(String(describing: error))", sourceLocation: sourceLocation)
      return
    }
    #expect(name == program.name, sourceLocation: sourceLocation)
    #expect(reason.contains("option '\(option)'") && reason.contains("EINVAL"),
            "\(reason)", sourceLocation: sourceLocation)
    #expect(reason.contains(program.type.kernelName), sourceLocation: sourceLocation)
  }
}

/// Offsets and sizes clang gives for the structs the tests build, from a
/// host program compiled with the toolchain's clang.
fileprivate struct CLayout {
  var skBuffSize = 0, mark = 0, priority = 0, cb = 0
  var syscallCtxSize = 0, ctxA = 0, ctxB = 0, ctxSum = 0

  /// nil (an issue under CI) without clang.
  static func measure() throws -> CLayout? {
    guard let clang = Toolchain.tool("clang") else {
      if TestEnvironment.mustNotSkip { Issue.record("clang missing at \(Toolchain.binDirectory)") }
      return nil
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swiftbpf-testrun-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = dir.appendingPathComponent("layout.c"), binary = dir.appendingPathComponent("layout")
    // The syscall program's context, as in Fixtures/src/testrun.bpf.c.
    try """
    #include <stddef.h>
    #include <stdio.h>
    #include <linux/bpf.h>
    struct syscall_ctx { __u32 a; __u32 b; __u64 sum; };
    int main(void) {
      printf("%zu %zu %zu %zu %zu %zu %zu %zu\\n", sizeof(struct __sk_buff),
             offsetof(struct __sk_buff, mark), offsetof(struct __sk_buff, priority),
             offsetof(struct __sk_buff, cb), sizeof(struct syscall_ctx),
             offsetof(struct syscall_ctx, a), offsetof(struct syscall_ctx, b),
             offsetof(struct syscall_ctx, sum));
      return 0;
    }
    """.write(to: source, atomically: true, encoding: .utf8)
    let build = try runProcess(clang, [source.path, "-o", binary.path])
    try #require(build.status == 0, "clang: \(build.stderr)")
    let run = try runProcess(binary.path, [])
    let numbers = run.stdout.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
    try #require(numbers.count == 8, "layout program printed \(run.stdout)")
    return CLayout(skBuffSize: numbers[0], mark: numbers[1], priority: numbers[2], cb: numbers[3],
                   syscallCtxSize: numbers[4], ctxA: numbers[5], ctxB: numbers[6], ctxSum: numbers[7])
  }
}

extension [UInt8] {
  fileprivate mutating func storeU32(_ value: UInt32, at offset: Int) {
    Swift.withUnsafeBytes(of: value.littleEndian) { replaceSubrange(offset..<offset + 4, with: $0) }
  }

  fileprivate func loadU32(at offset: Int) -> UInt32? {
    guard offset >= 0, offset + 4 <= count else { return nil }
    return self[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) }
  }

  fileprivate func loadU64(at offset: Int) -> UInt64? {
    guard offset >= 0, offset + 8 <= count else { return nil }
    return self[offset..<offset + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) }
  }
}
