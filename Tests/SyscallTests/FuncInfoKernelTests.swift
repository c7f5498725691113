import Foundation
import Testing
import TestSupport
import UAPI
@testable import Syscall

/// BTF-carrying program loads: prog_btf_fd, func_info and line_info reach the
/// kernel in the right fields (it rejects misplaced ones), and bpftool shows
/// the source line we attached.
@Suite(.kernel) struct FuncInfoKernelTests {
  typealias H = KernelHelpers

  /// BTF per the kernel's format document: [1] int, [2] FUNC_PROTO int(void),
  /// [3] FUNC "swbpf_func" (static) of type 2; strings for a file and a line.
  static func programBTF() -> (blob: [UInt8], fileOffset: UInt32, lineOffset: UInt32) {
    var strings: [UInt8] = [0]
    func add(_ s: String) -> UInt32 {
      let offset = UInt32(strings.count)
      strings += Array(s.utf8) + [0]
      return offset
    }
    let intName = add("int")
    let funcName = add("swbpf_func")
    let file = add("swbpf.c")
    let line = add("return 2; /* swbpf line */")
    var types: [UInt8] = []
    types += H.bytes(intName) + H.bytes(UInt32(1 << 24)) + H.bytes(UInt32(4)) + H.bytes(UInt32(0x0100_0020))
    types += H.bytes(UInt32(0)) + H.bytes(UInt32(13 << 24)) + H.bytes(UInt32(1))   // FUNC_PROTO -> int
    types += H.bytes(funcName) + H.bytes(UInt32(12 << 24)) + H.bytes(UInt32(2))    // FUNC static
    var header: [UInt8] = H.bytes(UInt16(0xeb9f)) + [1, 0] + H.bytes(UInt32(24))
    header += H.bytes(UInt32(0)) + H.bytes(UInt32(types.count))
    header += H.bytes(UInt32(types.count)) + H.bytes(UInt32(strings.count))
    return (header + types + strings, file, line)
  }

  @Test func funcAndLineInfoReachTheKernel() throws {
    let (blob, file, line) = Self.programBTF()
    let btf = try BPF.loadBTF(blob)
    var attributes = ProgramLoadAttributes(type: .xdp, instructions: returnProgram(2),
                                           license: "GPL", name: "swbpf_func")
    attributes.btfFD = btf.borrowed
    attributes.funcInfo = H.bytes(UInt32(0)) + H.bytes(UInt32(3))  // insn 0 -> FUNC [3]
    attributes.funcInfoRecordSize = 8
    // insn 0, file, line text, line 7 column 3 (line << 10 | column)
    attributes.lineInfo = H.bytes(UInt32(0)) + H.bytes(file) + H.bytes(line) + H.bytes(UInt32(7 << 10 | 3))
    attributes.lineInfoRecordSize = 16
    var log = VerifierLog(level: 1, capacity: 1 << 16)
    let program: OwnedFD
    do {
      program = try BPF.loadProgram(attributes, log: &log)
    } catch {
      Issue.record("load failed: \(error)\n\(log.text)")
      throw error
    }
    let info = try BPF.programInfo(program.borrowed)
    #expect(info.btfID == (try BPF.btfInfo(btf.borrowed).id))
    #expect(info.funcInfoCount == 1)
    #expect(info.lineInfoCount == 1)
    #expect(try BPF.programTranslatedInstructions(program.borrowed) == returnProgram(2))
    let result = try BPF.testRun(.init(program: program.borrowed, data: [UInt8](repeating: 0, count: 64)))
    #expect(result.returnValue == 2)

    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool missing") }
      return
    }
    let dump = try runProcess(bpftool, ["prog", "dump", "xlated", "id", "\(info.id)"])
    #expect(dump.status == 0)
    #expect(dump.stdout.contains("swbpf_func"), "\(dump.stdout)")
    #expect(dump.stdout.contains("return 2; /* swbpf line */"), "\(dump.stdout)")
  }

  /// `r1 = map by index 0` (ld_imm64 with BPF_PSEUDO_MAP_IDX, src 5) resolves
  /// through `fd_array`; the kernel then lists that map as used.
  @Test func fdArrayResolvesMapIndex() throws {
    let map = try BPF.createMap(MapCreateAttributes(type: .array, keySize: 4, valueSize: 4, maxEntries: 1))
    let code = instruction(0x18, dst: 1, src: 5, imm: 0) + instruction(0) + returnProgram(2)
    var attributes = ProgramLoadAttributes(type: .xdp, instructions: code, license: "GPL")
    attributes.fdArray = [map.rawValue]
    let program = try BPF.loadProgram(attributes)
    #expect(try BPF.programMapIDs(program.borrowed) == [try BPF.mapInfo(map.borrowed).id])
  }

  @Test func misSizedFuncInfoIsRefusedBeforeTheCall() throws {
    var attributes = ProgramLoadAttributes(type: .xdp, instructions: returnProgram(2), license: "GPL")
    attributes.funcInfo = [0, 0, 0, 0, 3, 0, 0]
    attributes.funcInfoRecordSize = 8
    do {
      _ = try BPF.loadProgram(attributes)
      Issue.record("loaded with 7 bytes of 8-byte records")
    } catch {
      #expect(error.errno == nil)
      #expect(error.description.contains("func_info"))
    }
  }
}
