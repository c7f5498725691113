import Foundation
import Syscall
import Testing
import TestSupport
import UAPI
@testable import Loader

/// Stack trace maps: the frames a program stored with `bpf_get_stackid`.
@Suite struct StackTraceMapTests {
  @Test func framesWithoutTheUnusedSlotsOverTheFake() throws {
    let kernel = FakeKernel()
    let fd = try kernel.createMap(MapCreateAttributes(type: .stackTrace, keySize: 4, valueSize: 8 * 4, maxEntries: 8,
                                                      name: "stacks"))
    let handle = LoadedObject.Map.adopting(fd, name: "stacks", type: .stackTrace, keySize: 4, valueSize: 32,
                                           maxEntries: 8, kernel: kernel)
    var key: UInt32 = 3
    var frames: [UInt64] = [0xffff_ffff_8100_0010, 0xffff_ffff_8100_0020, 0, 0]
    try handle.withFD { map in
      _ = try frames.withUnsafeMutableBytes { v in
        try kernel.updateElement(map: map, key: &key, value: v.baseAddress.unsafelyUnwrapped, flags: .any)
      }
    }
    let stacks = try StackTraceMap(handle)
    #expect(try stacks.frames(3) == [0xffff_ffff_8100_0010, 0xffff_ffff_8100_0020])
    #expect(try stacks.frames(4) == nil)
    #expect(try stacks.remove(3))
    #expect(try stacks.frames(3) == nil)
    let hash = LoadedObject.Map.adopting(
      try kernel.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 8, maxEntries: 1, name: "h")),
      name: "h", type: .hash, kernel: kernel)
    #expect(throws: MapError.wrongType(map: "h", type: .hash, use: "StackTraceMap serves stack trace maps")) {
      try StackTraceMap(hash)
    }
  }

  /// A raw tracepoint program, run by `BPF_PROG_TEST_RUN`, stores its kernel
  /// stack and returns the id; every frame read back lies in the kernel's
  /// text (`_stext`…`_etext` from /proc/kallsyms) or in the program's own
  /// JIT image (its `bpf_prog_<tag>_ts_stackid` kallsyms entry, of the jited
  /// length the kernel reports).
  @Test(.kernel) func kernelStackFromAProgram() throws {
    let fd = try BPF.createMap(MapCreateAttributes(type: .stackTrace, keySize: 4, valueSize: 8 * 32,
                                                   maxEntries: 16, name: "ts_stacks"))
    let handle = try LoadedObject.Map.adopting(fd, expecting: .stackTrace)
    defer { handle.close() }
    let program = try handle.withFD { map in
      var a = Assembler()
      a.emit(A.movReg(.r6, .r1))
      a.emit(.loadImmediate64(.r2, Int64(map.rawValue), pseudo: .mapFD))
      a.emit(A.mov(.r3, 0))
      a.emit(.call(helper: 27))  // bpf_get_stackid(ctx, map, flags)
      a.emit(.exit)
      return try BPF.loadProgram(ProgramLoadAttributes(
        type: .rawTracepoint, instructions: a.finish(), license: "GPL", name: "ts_stackid"))
    }
    // The loader's test run knows what raw_tp accepts (a context, no data).
    let handleProgram = LoadedObject.Program.adopting(program, name: "ts_stackid", sectionName: "raw_tp")
    defer { handleProgram.close() }
    let id = try handleProgram.testRun(context: [UInt8](repeating: 0, count: 8)).returnValue
    try #require(Int32(bitPattern: id) >= 0, "bpf_get_stackid failed: \(Int32(bitPattern: id))")
    let frames = try #require(try StackTraceMap(handle).frames(id))
    #expect(!frames.isEmpty)
    // Read with cat: a /proc file reports size 0, and a sized read stops early.
    let symbols = try runTool("/bin/cat", ["/proc/kallsyms"]).output.split(separator: "\n")
    func address(_ name: String) -> UInt64? {
      symbols.first { $0.hasSuffix(" \(name)") }.flatMap { UInt64($0.prefix { $0 != " " }, radix: 16) }
    }
    let start = try #require(address("_stext"))
    let end = try #require(address("_etext"))
    try #require(start != 0, "kallsyms hides addresses")
    let image = symbols.first { $0.contains("_ts_stackid") && $0.hasSuffix("[bpf]") }
      .flatMap { UInt64($0.prefix { $0 != " " }, radix: 16) }
    let jited = UInt64(try handleProgram.info().jitedLength)
    var inKernelText = 0
    for frame in frames {
      let text = frame >= start && frame < end
      let program = image.map { frame >= $0 && frame < $0 + jited } ?? false
      #expect(text || program, "frame 0x\(String(frame, radix: 16))")
      if text { inKernelText += 1 }
    }
    #expect(inKernelText > 0, "the test run's own kernel path is on the stack")
  }
}
