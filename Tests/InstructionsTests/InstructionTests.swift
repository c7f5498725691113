import Instructions
import TestSupport
import Testing
import UAPI

@Suite struct InstructionTests {
  @Test func isSixteenBytes() {
    #expect(MemoryLayout<Instruction>.size == 16)
    #expect(MemoryLayout<Instruction>.stride == 16)
  }

  /// Random bytes with every opcode byte the decoder accepts (all classes)
  /// decode and encode back to the same bytes, in both byte orders.
  @Test(arguments: [ByteOrder.little, .big])
  func roundTripsEveryOpcodeExactly(_ order: ByteOrder) throws {
    var state: UInt64 = 0x243f_6a88_85a3_08d3
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state
    }
    var known = 0
    for code in 0...255 {
      let opcode = Opcode(rawValue: UInt8(code))
      guard opcode.isKnown else { continue }
      known += 1
      for _ in 0..<64 {
        var bytes: [UInt8] = [UInt8(code)]
        for shift in stride(from: 0, to: 56, by: 8) { bytes.append(UInt8(truncatingIfNeeded: next() >> UInt64(shift))) }
        if opcode.isWideLoad {
          bytes += [0, 0, 0, 0]  // the second half's opcode, registers, offset
          for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: next() >> UInt64(shift))) }
        }
        let decoded = try Instruction.decode(bytes, order: order)
        #expect(decoded.count == 1)
        #expect(Instruction.encode(decoded, order: order) == bytes, "opcode \(opcode)")
        #expect(decoded.first?.slotCount == bytes.count / 8)
      }
    }
    // Which bytes are known is checked against llvm-objdump in DisassemblerTests.
    #expect(known > 0)
  }

  /// The same assembly encoded by llvm for bpfel and for bpfeb decodes to
  /// the same instructions, and each encodes back to its own bytes.
  @Test(.assembler)
  func decodesBothByteOrdersAlike() throws {
    let little = try assembleText(Self.assembly, target: "bpfel")
    let big = try assembleText(Self.assembly, target: "bpfeb")
    let fromLittle = try Instruction.decode(little, order: .little)
    let fromBig = try Instruction.decode(big, order: .big)
    #expect(fromLittle == fromBig)
    #expect(Instruction.encode(fromLittle, order: .little) == little)
    #expect(Instruction.encode(fromBig, order: .big) == big)
    #expect(Instruction.encode(fromLittle, order: .big) == big)
  }

  /// The typed view of each line of assembly is what the line says.
  @Test(.assembler)
  func viewsWhatTheAssemblySays() throws {
    let bytes = try assembleText(Self.assembly, target: "bpfel")
    let decoded = try Instruction.decode(bytes, order: .little)
    try #require(decoded.count == Self.expectedOperations.count)
    for (index, (insn, expected)) in zip(decoded, Self.expectedOperations).enumerated() {
      #expect(insn.operation == expected, "line \(index + 1) of the assembly")
    }
  }

  static let assembly = """
    r1 = -1
    w1 = w2
    r1 += r2
    w3 -= 5
    r1 s/= 3
    w1 s%= w2
    r4 /= r5
    r1 s>>= 1
    r1 = -r1
    w1 = (s8)w2
    r1 = (s32)r2
    r1 = be16 r1
    r1 = le32 r1
    r1 = bswap64 r1
    r0 = *(u64 *)(r10 - 8)
    r0 = *(s16 *)(r1 + 3)
    w0 = *(u8 *)(r1 + 0)
    *(u32 *)(r1 + 1) = w2
    *(u64 *)(r1 + 1) = -7
    lock *(u64 *)(r1 + 0) += r2
    w2 = atomic_fetch_xor((u32 *)(r1 + 4), w2)
    r2 = xchg_64(r1 + 0, r2)
    r0 = cmpxchg_64(r1 + 8, r0, r2)
    w0 = load_acquire((u8 *)(r1 + 0))
    store_release((u64 *)(r1 + 0), r2)
    r0 = 0x1122334455667788 ll
    r0 = *(u16 *)skb[3]
    r0 = *(u32 *)skb[r3]
    if r1 s< r2 goto +1
    if w1 & 4 goto -1
    goto +2
    gotol -3
    may_goto +1
    call 6
    callx r1
    exit
    """

  static let expectedOperations: [Instruction.Operation] = [
    .move(.bits64, destination: .r1, .immediate(-1)),
    .move(.bits32, destination: .r1, .register(.r2)),
    .arithmetic(.bits64, .add, destination: .r1, .register(.r2)),
    .arithmetic(.bits32, .sub, destination: .r3, .immediate(5)),
    .arithmetic(.bits64, .sdiv, destination: .r1, .immediate(3)),
    .arithmetic(.bits32, .smod, destination: .r1, .register(.r2)),
    .arithmetic(.bits64, .div, destination: .r4, .register(.r5)),
    .arithmetic(.bits64, .arsh, destination: .r1, .immediate(1)),
    .negate(.bits64, .r1),
    .moveSignExtend(.bits32, destination: .r1, source: .r2, bits: 8),
    .moveSignExtend(.bits64, destination: .r1, source: .r2, bits: 32),
    .byteSwap(.toBigEndian, .r1, bits: 16),
    .byteSwap(.toLittleEndian, .r1, bits: 32),
    .byteSwap(.unconditional, .r1, bits: 64),
    .load(.doubleWord, signExtending: false, destination: .r0, base: .r10, offset: -8),
    .load(.halfWord, signExtending: true, destination: .r0, base: .r1, offset: 3),
    .load(.byte, signExtending: false, destination: .r0, base: .r1, offset: 0),
    .store(.word, base: .r1, offset: 1, .register(.r2)),
    .store(.doubleWord, base: .r1, offset: 1, .immediate(-7)),
    .atomic(.doubleWord, .add, base: .r1, offset: 0, value: .r2),
    .atomic(.word, .fetchXor, base: .r1, offset: 4, value: .r2),
    .atomic(.doubleWord, .exchange, base: .r1, offset: 0, value: .r2),
    .atomic(.doubleWord, .compareExchange, base: .r1, offset: 8, value: .r2),
    .atomic(.byte, .loadAcquire, base: .r1, offset: 0, value: .r0),
    .atomic(.doubleWord, .storeRelease, base: .r1, offset: 0, value: .r2),
    .loadImmediate64(.r0, .value, 0x1122_3344_5566_7788),
    .packetLoad(.halfWord, index: nil, 3),
    .packetLoad(.word, index: .r3, 0),
    .branch(.bits64, .signedLess, .r1, .register(.r2), offset: 1),
    .branch(.bits32, .bitsSet, .r1, .immediate(4), offset: -1),
    .jump(offset: 2, long: false),
    .jump(offset: -3, long: true),
    .mayGoto(offset: 1),
    .call(.helper(6)),
    .call(.register(.r1)),
    .exit,
  ]

  @Test func viewsCallKindsAndPseudoSources() {
    // Kernel: src_reg 1 is BPF_PSEUDO_CALL, 2 BPF_PSEUDO_KFUNC_CALL (off = fd index).
    let local = Instruction(opcode: Opcode(rawValue: 0x85), source: .r1, immediate: 7)
    #expect(local.operation == .call(.subprogram(offset: 7)))
    let kfunc = Instruction(opcode: Opcode(rawValue: 0x85), source: .r2, offset: 3, immediate: 1234)
    #expect(kfunc.operation == .call(.kfunc(btfID: 1234, module: 3)))
    // ld_imm64 src_reg: 1 map fd ... 6 map idx value.
    let kinds: [(UInt8, Instruction.PseudoSource)] = [
      (0, .value), (1, .mapFD), (2, .mapValue), (3, .btfID), (4, .function), (5, .mapIndex), (6, .mapIndexValue),
    ]
    for (raw, kind) in kinds {
      let insn = Instruction.loadImmediate64(.r1, 42, pseudo: kind)
      #expect(insn.source.rawValue == raw)
      #expect(insn.pseudoSource == kind)
      #expect(insn.operation == .loadImmediate64(.r1, kind, 42))
      #expect(insn.slotCount == 2)
    }
  }

  // MARK: Errors (the kernel's rules: 8-byte slots, ld_imm64 second half zero but imm)

  @Test func rejectsLengthNotMultipleOfEight() {
    let bytes = Instruction.exit.encoded(order: .little) + [0x95, 0, 0, 0]
    #expect(throws: InstructionError.truncated(slot: 1, byteCount: 12)) {
      try Instruction.decode(bytes, order: .little)
    }
  }

  @Test func rejectsWideLoadWithoutSecondHalf() {
    let wide = Instruction.loadImmediate64(.r1, 5).encoded(order: .little)
    let bytes = Instruction.exit.encoded(order: .little) + wide.prefix(8)
    #expect(throws: InstructionError.missingSecondHalf(slot: 1)) {
      try Instruction.decode(bytes, order: .little)
    }
  }

  @Test(arguments: [ByteOrder.little, .big])
  func rejectsMalformedSecondHalf(_ order: ByteOrder) {
    var bytes = Instruction.exit.encoded(order: order) + Instruction.loadImmediate64(.r1, 5).encoded(order: order)
    bytes[8 + 8] = 0x95  // second half's opcode byte
    #expect(throws: InstructionError.malformedSecondHalf(slot: 1, opcode: 0x95, registers: 0, offset: 0)) {
      try Instruction.decode(bytes, order: order)
    }
    bytes[16] = 0
    bytes[17] = 0x10  // a register
    #expect(throws: InstructionError.malformedSecondHalf(slot: 1, opcode: 0, registers: 0x10, offset: 0)) {
      try Instruction.decode(bytes, order: order)
    }
  }

  @Test func rejectsUnknownOpcodeNamingItsSlot() {
    // 0x8c would be neg with a register source, which does not exist.
    let bytes = Instruction.loadImmediate64(.r1, 5).encoded(order: .little) + [0x8c, 0x01, 0, 0, 0, 0, 0, 0]
    #expect(throws: InstructionError.unknownOpcode(0x8c, slot: 2)) {
      try Instruction.decode(bytes, order: .little)
    }
    let error = InstructionError.unknownOpcode(0x8c, slot: 2)
    #expect(error.slot == 2)
    #expect(error.description.contains("instruction 2"))
  }

  @Test func decodesEmptyInput() throws {
    #expect(try Instruction.decode([UInt8](), order: .little).isEmpty)
  }

  // MARK: Slots

  @Test func mapsInstructionsToSlots() throws {
    let instructions: [Instruction] = [
      .call(helper: 1), .loadImmediate64(.r1, 1), .exit, .loadImmediate64(.r2, 2, pseudo: .mapFD), .exit,
    ]
    let bytes = Instruction.encode(instructions, order: .little)
    let sequence = try InstructionSequence(decoding: bytes, order: .little)
    #expect(sequence.count == 5)
    #expect(sequence.slotCount == bytes.count / 8)
    #expect((0...5).map { sequence.slot(ofInstruction: $0) } == [0, 1, 3, 4, 6, 7])
    #expect((-1...8).map { sequence.instructionIndex(atSlot: $0) } == [nil, 0, 1, nil, 2, 3, nil, 4, nil, nil])
    #expect(sequence.encoded(order: .little) == bytes)
  }

  @Test func replacesOnlyWithSameSlotCount() throws {
    var sequence = InstructionSequence([.loadImmediate64(.r1, 1, pseudo: .mapFD), .exit])
    let replaced = sequence.replace(at: 0, with: .loadImmediate64(.r1, 77, pseudo: .value))
    #expect(replaced)
    #expect(sequence[0].immediate == 77)
    let narrower = sequence.replace(at: 0, with: .exit)
    #expect(!narrower)
    let outside = sequence.replace(at: 5, with: .exit)
    #expect(!outside)
    #expect(sequence.slot(ofInstruction: 1) == 2)
  }
}
