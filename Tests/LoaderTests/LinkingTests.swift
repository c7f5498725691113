import BTF
import ELFReader
import Foundation
import Instructions
import Loader
import Logging
import Syscall
import Testing
import TestSupport
import UAPI

/// Subprogram linking and relocations through the fake kernel, checked
/// against llvm-objdump's symbol sizes and offsets and the fixture's header.
@Suite struct LinkingTests {
  static let object = Fixture.object("programs.bpf.o")

  @Test func subprogramsAppendedWithFuncInfo() throws {
    guard let symbols = try Objdump.symbols(Self.object) else { return }
    let kernel = FakeKernel()
    let loaded = try Object.open(path: Self.object.path).load(kernel: kernel)
    defer { loaded.close() }
    let call = try #require(kernel.load("test_subprogs"))
    let insns = try Instruction.decode(call.attributes.instructions, order: .host)
    let sequence = InstructionSequence(insns)
    // test_subprogs calls add_static, add_global and passes sum_step to bpf_loop.
    let parts = ["test_subprogs", "add_static", "add_global", "sum_step"]
    let sizes = try parts.map { name in Int(try #require(symbols.first { $0.name == name && $0.isFunction }).size / 8) }
    #expect(sequence.slotCount == sizes.reduce(0, +))
    // func_info: one record per function, at slot 0 for the program, each
    // naming a FUNC of that name; records 8 bytes.
    #expect(call.attributes.funcInfoRecordSize == 8)
    let records = stride(from: 0, to: call.attributes.funcInfo.count, by: 8).map { i in
      (slot: Int(u32(call.attributes.funcInfo, i)), type: u32(call.attributes.funcInfo, i + 4))
    }
    #expect(records.count == 4)
    #expect(records.first?.slot == 0)
    let btf = try BTF(bytes: try #require(try ObjectFileBytes.btf(Self.object)))
    let names = try records.map { try btf.nameString(of: BTF.TypeID($0.type)) }
    #expect(Set(names) == Set(parts))
    // Each function sits where its record says, with its llvm-objdump size.
    for (index, record) in records.enumerated() {
      let size = sizes[parts.firstIndex(of: names[index]) ?? 0]
      let end = index + 1 < records.count ? records[index + 1].slot : sequence.slotCount
      #expect(end - record.slot == size, "\(names[index])")
    }
    // Every BPF-to-BPF call and callback address lands on a function start.
    let starts = Set(records.map(\.slot))
    var calls = 0
    for (i, insn) in insns.enumerated() {
      let isCall = insn.opcode.rawValue == 0x85 && insn.source.rawValue == 1
      let isCallback = insn.opcode.isWideLoad && insn.source.rawValue == 4
      guard isCall || isCallback else { continue }
      calls += 1
      let target = sequence.slot(ofInstruction: i) + 1 + Int(insn.immediate32)
      #expect(starts.contains(target), "instruction \(i) jumps to slot \(target)")
    }
    #expect(calls == 3)
    // line_info moved along: 16-byte records, ascending, inside the program.
    #expect(call.attributes.lineInfoRecordSize == 16)
    let lines = stride(from: 0, to: call.attributes.lineInfo.count, by: 16).map { Int(u32(call.attributes.lineInfo, $0)) }
    #expect(!lines.isEmpty && lines == lines.sorted() && (lines.last ?? 0) < sequence.slotCount)
  }

  @Test func mapAndGlobalDataReferencesWritten() throws {
    guard let symbols = try Objdump.symbols(Self.object) else { return }
    let kernel = FakeKernel()
    let loaded = try Object.open(path: Self.object.path).load(kernel: kernel)
    defer { loaded.close() }
    let jumpTable = try #require(loaded.map(named: "jump_table")?.borrowedFD)
    let bss = try #require(loaded.data(".bss")?.borrowedFD)
    // xdp_dispatch: ld_imm64 of jump_table → BPF_PSEUDO_MAP_FD with its fd.
    let dispatch = try Instruction.decode(try #require(kernel.load("xdp_dispatch")).attributes.instructions, order: .host)
    let mapLoads = dispatch.filter { $0.opcode.isWideLoad && $0.source.rawValue == 1 }
    #expect(mapLoads.count == 1 && mapLoads.first?.immediate == Int64(jumpTable.rawValue))
    // count_packets: ld_imm64 of packet_count → BPF_PSEUDO_MAP_VALUE, fd and offset.
    let packets = try Instruction.decode(try #require(kernel.load("count_packets")).attributes.instructions, order: .host)
    let valueLoads = packets.filter { $0.opcode.isWideLoad && $0.source.rawValue == 2 }
    let offset = try #require(symbols.first { $0.name == "packet_count" }).value
    #expect(valueLoads.count == 1)
    #expect(valueLoads.first?.immediate == Int64(bss.rawValue) | Int64(offset) << 32)
    // Names the kernel gets are cut to 15 bytes; types from the SEC() names.
    #expect(kernel.load("xdp_pass")?.attributes.type == .xdp)
    #expect(kernel.load("count_bytes")?.attributes.type == .schedCls)
    #expect(kernel.load("test_subprogs")?.attributes.flags.contains(.sleepable) == true)
    #expect(kernel.load("xdp_pass")?.attributes.license == "GPL")
  }

  @Test func unknownSectionNeedsAType() throws {
    // Rename section "tc" to "qq" in the section name table (llvm stores
    // "tc" as the tail of ".reltc", so both become "qq"/".relqq"): its
    // programs then have no known SEC() name.
    var bytes = try ObjectFileBytes.read(Self.object)
    let needle: [UInt8] = Array("ltc".utf8) + [0]
    let names = try #require(try ObjectFile(path: Self.object.path).section(named: ".strtab"))
    let start = Int(names.fileOffset), end = start + Int(names.size) - 3
    let at = try #require((start ..< end).first { Array(bytes[$0 ..< $0 + 4]) == needle })
    bytes[at + 1] = UInt8(ascii: "q")
    bytes[at + 2] = UInt8(ascii: "q")
    var object = try Object.open(bytes: bytes, name: "renamed.bpf.o")
    let error = try #require(loadError { _ = try object.load(kernel: FakeKernel()) })
    guard case .unknownSection(let program, _) = error else { Issue.record("unexpected \(error)"); return }
    #expect(program == "count_packets")
    #expect(error.description.contains("set the program type"))
    try object.withProgram("count_packets") { $0.type = .schedCls }
    try object.withProgram("count_bytes") { $0.type = .schedCls }
    let kernel = FakeKernel()
    let loaded = try object.load(kernel: kernel)
    defer { loaded.close() }
    #expect(kernel.load("count_packets")?.attributes.type == .schedCls)
  }

  @Test func verifierErrorRetriedWithAGrowingLog() throws {
    let log = "0: R1=ctx() R10=fp0\n; return XDP_PASS; @ programs.bpf.c:44\n0: (b7) r0 = 2\n"
      + "R0 !read_ok\nprocessed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n"
    let kernel = FakeKernel(refusals: ["xdp_pass": .init(errno: .EACCES, log: log, trueSize: 300_000)])
    let capture = LogCapture()
    let error = try #require(loadError {
      _ = try Object.open(path: Self.object.path, options: OpenOptions(logger: capture.logger)).load(kernel: kernel)
    })
    guard case .verifierRejected(let program, let report) = error else { Issue.record("unexpected \(error)"); return }
    #expect(program == "xdp_pass")
    #expect(report.errorLine.hasSuffix("R0 !read_ok"))
    #expect(report.source?.line == 44 && report.source?.file == "programs.bpf.c")
    let attempts = kernel.snapshot.loads.filter { $0.attributes.name == "xdp_pass" }
    // First without a log, then with one, growing until the 300000 bytes fit.
    #expect(attempts.first?.logLevel == nil)
    let capacities = attempts.dropFirst().compactMap(\.logCapacity)
    #expect(capacities.count >= 2 && capacities == capacities.sorted() && (capacities.last ?? 0) >= 300_000)
    // Each retry is logged at debug, for the program: why, and the next size.
    let retries = capture.records.filter { $0.message.contains("loading again") }
    #expect(retries.count == capacities.count, "\(capture.records)")
    #expect(retries.allSatisfy { $0.level == .debug && $0.metadata[LogMetadataKey.program] == "xdp_pass" })
    #expect(retries.first?.message.hasPrefix("load failed (") == true)
    #expect(retries.first?.message.hasSuffix("with a \(capacities[0])-byte verifier log") == true)
    #expect(retries.last?.message == "the verifier log did not fit in \(capacities[capacities.count - 2]) bytes, "
            + "the kernel needs 300000; loading again with \(capacities[capacities.count - 1])")
  }
}

func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
  bytes[at ..< at + 4].enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
}

/// Raw file access for tests that edit objects.
enum ObjectFileBytes {
  static func read(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }
  static func btf(_ url: URL) throws -> [UInt8]? {
    try ObjectFile(path: url.path).btf
  }
}
