import BTF
import Instructions
import Syscall
import Testing
import TestSupport
import UAPI

/// Tiny BPF programs assembled here that produce and consume events, so the
/// event tests do not depend on the loader. Each one is described in terms
/// of the kernel's helper contracts; the kernel's verifier is the judge of
/// each (the suite below loads every one).
enum EventPrograms {
  /// Kernel helper numbers (`enum bpf_func_id`, include/uapi/linux/bpf.h).
  enum Helper {
    static let mapLookupElement: Int32 = 1
    static let getSMPProcessorID: Int32 = 8
    static let perfEventOutput: Int32 = 25
    static let ringbufReserve: Int32 = 131
    static let ringbufSubmit: Int32 = 132
    static let ringbufDiscard: Int32 = 133
    static let dynptrRead: Int32 = 201
    static let userRingbufDrain: Int32 = 209
  }

  /// A map of one 32-byte value of u64 counters, read by the tests.
  static func counters() throws -> OwnedFD {
    try BPF.createMap(MapCreateAttributes(type: .array, keySize: 4, valueSize: 32, maxEntries: 1,
                                          name: "counters"))
  }

  /// The four u64 counters of `counters()`.
  static func read(counters: borrowing OwnedFD) throws -> [UInt64] {
    var key: UInt32 = 0
    var value = [UInt64](repeating: 0, count: 4)
    let found = try value.withUnsafeMutableBytes { v in
      guard let base = v.baseAddress else { return false }
      return try BPF.lookup(map: counters.borrowed, key: &key, value: base)
    }
    #expect(found)
    return value
  }

  /// Sets the four u64 counters.
  static func write(counters: borrowing OwnedFD, _ values: [UInt64]) throws {
    var key: UInt32 = 0
    try values.withUnsafeBytes { v in
      guard let base = v.baseAddress else { return }
      try BPF.update(map: counters.borrowed, key: &key, value: base)
    }
  }

  /// A ring buffer map of `size` bytes.
  static func ringBuffer(size: UInt32, user: Bool = false) throws -> OwnedFD {
    try BPF.createMap(MapCreateAttributes(type: user ? .userRingbuf : .ringbuf, keySize: 0,
                                          valueSize: 0, maxEntries: size, name: user ? "user_rb" : "rb"))
  }

  /// Socket filter: one record of `eventSize` bytes per run into `ring`.
  ///
  /// Counters: [0] next sequence number (read and advanced by one per run,
  /// whether or not the record is kept), [1] failed reserves. Record: u64
  /// words, word 0 = seq, word i = seq << 16 | i. With `discardOdd`, records
  /// with an odd seq are reserved, filled and then discarded.
  static func ringProducer(
    ring: borrowing OwnedFD, counters: borrowing OwnedFD, eventSize: Int, discardOdd: Bool = false
  ) throws -> OwnedFD {
    precondition(eventSize >= 8 && eventSize % 8 == 0)
    var a = Assembler()
    a.lookupCounters(counters.rawValue, into: .r7, orExitTo: "out")
    a.emit(.loadImmediate64(.r1, Int64(ring.rawValue), pseudo: .mapFD))
    a.emit(A.mov(.r2, Int32(eventSize)))
    a.emit(A.mov(.r3, 0))
    a.emit(.call(helper: Helper.ringbufReserve))
    a.jump(A.jneImm, .r0, 0, to: "reserved")
    a.emit(A.mov(.r1, 1))
    a.emit(A.atomicAdd64(.r7, .r1, offset: 8))
    a.jump(A.ja, .r0, 0, to: "out")
    a.label("reserved")
    a.emit(A.movReg(.r8, .r0))
    a.emit(A.ldx64(.r1, .r7, offset: 0))       // r1 = seq
    a.emit(A.movReg(.r2, .r1))
    a.emit(A.add(.r2, 1))
    a.emit(A.stx64(.r7, .r2, offset: 0))       // next_seq = seq + 1
    a.emit(A.stx64(.r8, .r1, offset: 0))       // word 0 = seq
    a.emit(A.movReg(.r2, .r1))
    a.emit(A.lsh(.r2, 16))
    for i in 1..<(eventSize / 8) {
      a.emit(A.movReg(.r3, .r2))
      a.emit(A.orImm(.r3, Int32(i)))
      a.emit(A.stx64(.r8, .r3, offset: Int16(i * 8)))
    }
    a.emit(A.movReg(.r6, .r1))
    a.emit(A.movReg(.r1, .r8))
    a.emit(A.mov(.r2, 0))
    if discardOdd {
      a.emit(A.andImm(.r6, 1))
      a.jump(A.jneImm, .r6, 0, to: "discard")
    }
    a.emit(.call(helper: Helper.ringbufSubmit))
    if discardOdd {  // the verifier refuses unreachable code, so only then
      a.jump(A.ja, .r0, 0, to: "out")
      a.label("discard")
      a.emit(.call(helper: Helper.ringbufDiscard))
    }
    a.label("out")
    a.emit(A.mov(.r0, 0))
    a.emit(.exit)
    return try BPF.loadProgram(ProgramLoadAttributes(
      type: .socketFilter, instructions: a.finish(), license: "GPL", name: "rb_produce"))
  }

  /// Runs a socket filter `count` times (one `BPF_PROG_TEST_RUN`).
  static func run(_ program: borrowing OwnedFD, count: UInt32) throws {
    var attributes = BPF.TestRunAttributes(
      program: program.borrowed, data: [UInt8](repeating: 0, count: 64), repeatCount: count)
    attributes.dataOutCapacity = 0
    let result = try BPF.testRun(attributes)
    #expect(result.returnValue == 0)
  }

  /// Raw tracepoint program: one perf sample per run into `perfArray` at
  /// the current CPU (`BPF_F_CURRENT_CPU`): {u64 seq, u64 cpu} for
  /// `sampleSize` 16, plus u64 seq << 16 | 2 for 24.
  /// Counters: [0] next seq, [1] failed outputs.
  static func perfProducer(
    perfArray: borrowing OwnedFD, counters: borrowing OwnedFD, sampleSize: Int = 16
  ) throws -> OwnedFD {
    precondition(sampleSize == 16 || sampleSize == 24)
    var a = Assembler()
    a.emit(A.movReg(.r6, .r1))
    a.lookupCounters(counters.rawValue, into: .r7, orExitTo: "out")
    a.emit(A.ldx64(.r1, .r7, offset: 0))
    a.emit(A.stx64(.framePointer, .r1, offset: -24))
    a.emit(A.movReg(.r2, .r1))
    a.emit(A.lsh(.r2, 16))
    a.emit(A.orImm(.r2, 2))
    a.emit(A.stx64(.framePointer, .r2, offset: -8))
    a.emit(A.add(.r1, 1))
    a.emit(A.stx64(.r7, .r1, offset: 0))
    a.emit(.call(helper: Helper.getSMPProcessorID))
    a.emit(A.stx64(.framePointer, .r0, offset: -16))
    a.emit(A.movReg(.r1, .r6))
    a.emit(.loadImmediate64(.r2, Int64(perfArray.rawValue), pseudo: .mapFD))
    a.emit(A.mov32(.r3, -1))                      // BPF_F_CURRENT_CPU = 0xffffffff
    a.emit(A.movReg(.r4, .framePointer))
    a.emit(A.add(.r4, -24))
    a.emit(A.mov(.r5, Int32(sampleSize)))
    a.emit(.call(helper: Helper.perfEventOutput))
    a.jump(A.jeqImm, .r0, 0, to: "out")
    a.emit(A.mov(.r1, 1))
    a.emit(A.atomicAdd64(.r7, .r1, offset: 8))
    a.label("out")
    a.emit(A.mov(.r0, 0))
    a.emit(.exit)
    return try BPF.loadProgram(ProgramLoadAttributes(
      type: .rawTracepoint, instructions: a.finish(), license: "GPL", name: "perf_produce"))
  }

  /// Runs the raw tracepoint program once on `cpu` (`BPF_F_TEST_RUN_ON_CPU`).
  static func run(_ program: borrowing OwnedFD, onCPU cpu: Int) throws {
    var attributes = BPF.TestRunAttributes(
      program: program.borrowed, context: [UInt8](repeating: 0, count: 8), repeatCount: 0)
    attributes.flags = 1
    attributes.cpu = UInt32(cpu)
    let result = try BPF.testRun(attributes)
    #expect(result.returnValue == 0)
  }

  /// Socket filter that drains `userRing` with `bpf_user_ringbuf_drain`.
  ///
  /// Each sample is read as {u64 value, u64 tag}: counters [0] += 1,
  /// [1] += value; [2] += the helper's return value (samples drained).
  /// Callbacks need BTF func_info (the verifier insists the callback is a
  /// static function), so the program carries a three-type BTF.
  static func userRingDrainer(
    userRing: borrowing OwnedFD, counters: borrowing OwnedFD
  ) throws -> OwnedFD {
    var a = Assembler()
    a.emit(.loadImmediate64(.r1, Int64(userRing.rawValue), pseudo: .mapFD))
    a.function(.r2, "callback")
    a.emit(A.mov(.r3, 0))
    a.emit(A.mov(.r4, 0))
    a.emit(.call(helper: Helper.userRingbufDrain))
    a.emit(A.movReg(.r6, .r0))
    a.lookupCounters(counters.rawValue, into: .r7, orExitTo: "main_out")
    a.emit(A.atomicAdd64(.r7, .r6, offset: 16))
    a.label("main_out")
    a.emit(A.mov(.r0, 0))
    a.emit(.exit)
    a.label("callback")
    let callbackSlot = a.slot
    a.emit(A.movReg(.r6, .r1))
    a.lookupCounters(counters.rawValue, into: .r7, orExitTo: "cb_out")
    a.emit(A.movReg(.r1, .framePointer))
    a.emit(A.add(.r1, -16))
    a.emit(A.mov(.r2, 16))
    a.emit(A.movReg(.r3, .r6))
    a.emit(A.mov(.r4, 0))
    a.emit(A.mov(.r5, 0))
    a.emit(.call(helper: Helper.dynptrRead))
    a.jump(A.jneImm, .r0, 0, to: "cb_out")
    a.emit(A.ldx64(.r1, .framePointer, offset: -16))
    a.emit(A.atomicAdd64(.r7, .r1, offset: 8))
    a.emit(A.mov(.r1, 1))
    a.emit(A.atomicAdd64(.r7, .r1, offset: 0))
    a.label("cb_out")
    a.emit(A.mov(.r0, 0))
    a.emit(.exit)

    var builder = BTF.Builder()
    let int = builder.addInteger("int", size: 4, encoding: .signed)
    let proto = builder.addPrototype(returning: int, parameters: [])
    let main = builder.addFunction("drain", prototype: proto, linkage: .global)
    let callback = builder.addFunction("callback", prototype: proto, linkage: .static)
    let btf = try BPF.loadBTF(try builder.bytes())
    var funcInfo: [UInt8] = []
    for (slot, type) in [(0, main), (callbackSlot, callback)] {
      withUnsafeBytes(of: UInt32(slot).littleEndian) { funcInfo += $0 }
      withUnsafeBytes(of: type.rawValue.littleEndian) { funcInfo += $0 }
    }
    var attributes = ProgramLoadAttributes(
      type: .socketFilter, instructions: a.finish(), license: "GPL", name: "user_drain")
    attributes.btfFD = btf.borrowed
    attributes.funcInfo = funcInfo
    attributes.funcInfoRecordSize = 8
    // The program keeps its own reference to the BTF; ours closes on return.
    return try BPF.loadProgram(attributes)
  }
}

/// Instruction encodings (opcode bytes from the kernel's BPF ISA document,
/// Documentation/bpf/standardization/instruction-set.rst).
enum A {
  static let ja: UInt8 = 0x05, jeqImm: UInt8 = 0x15, jneImm: UInt8 = 0x55
  static func mov(_ d: Register, _ imm: Int32) -> Instruction {
    Instruction(opcode: Opcode(rawValue: 0xb7), destination: d, immediate: Int64(imm))
  }
  static func mov32(_ d: Register, _ imm: Int32) -> Instruction {
    Instruction(opcode: Opcode(rawValue: 0xb4), destination: d, immediate: Int64(imm))
  }
  static func movReg(_ d: Register, _ s: Register) -> Instruction {
    Instruction(opcode: Opcode(rawValue: 0xbf), destination: d, source: s)
  }
  static func add(_ d: Register, _ imm: Int32) -> Instruction {
    Instruction(opcode: Opcode(rawValue: 0x07), destination: d, immediate: Int64(imm))
  }
  static func lsh(_ d: Register, _ imm: Int32) -> Instruction {
    Instruction(opcode: Opcode(rawValue: 0x67), destination: d, immediate: Int64(imm))
  }
  static func orImm(_ d: Register, _ imm: Int32) -> Instruction {
    Instruction(opcode: Opcode(rawValue: 0x47), destination: d, immediate: Int64(imm))
  }
  static func andImm(_ d: Register, _ imm: Int32) -> Instruction {
    Instruction(opcode: Opcode(rawValue: 0x57), destination: d, immediate: Int64(imm))
  }
  static func ldx64(_ d: Register, _ s: Register, offset: Int16) -> Instruction {
    Instruction(opcode: Opcode(rawValue: 0x79), destination: d, source: s, offset: offset)
  }
  static func stx64(_ d: Register, _ s: Register, offset: Int16) -> Instruction {
    Instruction(opcode: Opcode(rawValue: 0x7b), destination: d, source: s, offset: offset)
  }
  static func st32(_ d: Register, offset: Int16, _ imm: Int32) -> Instruction {
    Instruction(opcode: Opcode(rawValue: 0x62), destination: d, offset: offset, immediate: Int64(imm))
  }
  /// `lock *(u64 *)(d + offset) += s`.
  static func atomicAdd64(_ d: Register, _ s: Register, offset: Int16) -> Instruction {
    Instruction(opcode: Opcode(rawValue: 0xdb), destination: d, source: s, offset: offset, immediate: 0)
  }
}

/// Labels for jumps and callback addresses, resolved in slots.
struct Assembler {
  var instructions: [Instruction] = []
  var slots: [Int] = []
  var slot = 0
  var labels: [String: Int] = [:]
  var fixups: [(index: Int, label: String)] = []

  mutating func emit(_ i: Instruction) {
    instructions.append(i)
    slots.append(slot)
    slot += i.slotCount
  }
  mutating func label(_ name: String) { labels[name] = slot }
  mutating func jump(_ opcode: UInt8, _ d: Register, _ imm: Int32, to label: String) {
    fixups.append((instructions.count, label))
    emit(Instruction(opcode: Opcode(rawValue: opcode), destination: d, immediate: Int64(imm)))
  }
  /// `d = &label` as a `BPF_PSEUDO_FUNC` ld_imm64.
  mutating func function(_ d: Register, _ label: String) {
    fixups.append((instructions.count, label))
    emit(.loadImmediate64(d, 0, pseudo: .function))
  }
  /// r1..r5 clobbered; `into` = &counters[0] or jump to `orExitTo` when null.
  mutating func lookupCounters(_ fd: CInt, into r: Register, orExitTo label: String) {
    emit(A.st32(.framePointer, offset: -4, 0))
    emit(.loadImmediate64(.r1, Int64(fd), pseudo: .mapFD))
    emit(A.movReg(.r2, .framePointer))
    emit(A.add(.r2, -4))
    emit(.call(helper: EventPrograms.Helper.mapLookupElement))
    jump(A.jeqImm, .r0, 0, to: label)
    emit(A.movReg(r, .r0))
  }
  func finish() -> [UInt8] {
    var out = instructions
    for (index, label) in fixups {
      let target = labels[label] ?? 0
      let relative = target - (slots[index] + 1)
      if out[index].opcode.isWideLoad {
        out[index].immediate = Int64(relative)
      } else {
        out[index].offset = Int16(relative)
      }
    }
    return Instruction.encode(out, order: .little)
  }
}

@Suite("Event test programs load", .kernel)
struct EventsProgramsTests {
  @Test func ringProducerLoadsAndCountsSequence() throws {
    let ring = try EventPrograms.ringBuffer(size: 1 << 16)
    let counters = try EventPrograms.counters()
    let program = try EventPrograms.ringProducer(ring: ring, counters: counters, eventSize: 16)
    try EventPrograms.run(program, count: 10)
    let values = try EventPrograms.read(counters: counters)
    #expect(values[0] == 10)  // ten runs, ten sequence numbers
    #expect(values[1] == 0)
  }

  @Test func userRingDrainerLoads() throws {
    let ring = try EventPrograms.ringBuffer(size: 1 << 14, user: true)
    let counters = try EventPrograms.counters()
    let drainer = try EventPrograms.userRingDrainer(userRing: ring, counters: counters)
    try EventPrograms.run(drainer, count: 1)
    #expect(try EventPrograms.read(counters: counters) == [0, 0, 0, 0])
  }
}

/// An owned descriptor in a class, so tests can keep several in an array.
final class Descriptor {
  let fd: OwnedFD
  init(_ fd: consuming OwnedFD) { self.fd = fd }
}
