import BTF
import Foundation
import Instructions
import Relocation
import TestSupport
import Testing
import UAPI

/// Records that cannot be right become `failed` decisions carrying a typed
/// `RelocationError` that names the site; nothing crashes.
@Suite struct MalformedRecordTests {
  let loaded: LoadedObject
  let relocator: CORERelocator
  let section = "tracepoint/core"
  /// The record of `off_a` (byte_off of sample.a on `r0 = imm`).
  let offA: CORERecord
  let offASlot: Int

  init() throws {
    loaded = try LoadedObject(path: Fixture.directory.appendingPathComponent("core/probe.bpf.o").path)
    let target = try BTF(bytes: try Fixture.bytes("core/btf/target_a.btf"))
    relocator = CORERelocator(local: loaded.local, targets: [TargetBTF(name: "target_a", btf: target)])
    let plan = relocator.plan(code: loaded.code, extension: loaded.ext)
    let decision = try #require(plan.decisions.first { $0.program == "off_a" })
    let name = section
    let records = try #require(CORESection.all(in: loaded.ext).first { $0.name == name }).records
    offA = records[decision.record]
    offASlot = decision.sectionSlot
  }

  func decide(_ record: CORERecord, code: [CodeSection]? = nil, in name: String? = nil) -> RelocationDecision? {
    let plan = relocator.plan(code: code ?? loaded.code,
                              relocations: [CORESection(name: name ?? section, records: [record])])
    return plan.decisions.first
  }

  func error(_ record: CORERecord, code: [CodeSection]? = nil, in name: String? = nil) -> RelocationError? {
    guard case .failed(let e)? = decide(record, code: code, in: name)?.result else { return nil }
    return e
  }

  @Test(arguments: ["", ":0", "0:", "0::1", "0:x", "-1", "0:+1", "0:99", "0:1:0", "99999999999"])
  func rejectsBadAccessStrings(access: String) {
    var record = offA
    record.accessString = access
    guard case .badAccessString(let site, let got, _)? = error(record) else {
      Issue.record("\"\(access)\": \(String(describing: decide(record)?.result))")
      return
    }
    #expect(got == access)
    #expect(site.section == section && site.slot == offASlot)
  }

  @Test func typeRelocationsWantAccessZero() {
    var record = offA
    record.kind = .typeSize
    record.accessString = "1"
    #expect(error(record).map { if case .badAccessString = $0 { true } else { false } } == true)
  }

  @Test func enumRelocationOnAStructIsRefused() {
    var record = offA
    record.kind = .enumValue
    record.accessString = "0"
    #expect(error(record).map { if case .badAccessString = $0 { true } else { false } } == true)
  }

  @Test func rejectsTypeIDsOutsideTheLocalBTF() {
    var record = offA
    record.type = BTF.TypeID(UInt32(loaded.local.typeCount))
    #expect(error(record) == .typeIDOutOfRange(
      RelocationSite(section: section, record: 0, instructionOffset: record.instructionOffset),
      typeID: UInt32(loaded.local.typeCount), typeCount: loaded.local.typeCount))
  }

  @Test func rejectsInstructionsPastTheEnd() throws {
    let slots = try #require(loaded.code.first { $0.name == section }).instructions.slotCount
    var record = offA
    record.instructionOffset = UInt32(slots * 8)
    #expect(error(record) == .instructionOutOfRange(
      RelocationSite(section: section, record: 0, instructionOffset: record.instructionOffset), sectionSlots: slots))
    record.instructionOffset = UInt32.max - 7
    #expect(error(record).map { if case .instructionOutOfRange = $0 { true } else { false } } == true)
  }

  @Test func rejectsOffsetsInsideAnInstruction() throws {
    var record = offA
    record.instructionOffset += 4
    #expect(error(record).map { if case .notInstructionStart = $0 { true } else { false } } == true)
    // The second half of tid_sample's ld_imm64.
    let plan = relocator.plan(code: loaded.code, extension: loaded.ext)
    let tid = try #require(plan.decisions.first { $0.program == "tid_sample" })
    record.instructionOffset = UInt32((tid.sectionSlot + 1) * 8)
    #expect(error(record).map { if case .notInstructionStart = $0 { true } else { false } } == true)
  }

  @Test func rejectsInstructionsOfTheWrongClass() throws {
    // off_a is `r0 = imm; exit`: point the record at the exit.
    var record = offA
    record.instructionOffset += 8
    guard case .unsupportedInstruction(_, let text, _)? = error(record) else {
      Issue.record("\(String(describing: decide(record)?.result))")
      return
    }
    #expect(text == "exit")
    // A register-source ALU cannot carry an immediate.
    let code = try replacing(offASlot, with: Instruction(opcode: Opcode(rawValue: 0xbf), destination: .r0, source: .r1))
    #expect(error(offA, code: code).map { if case .unsupportedInstruction = $0 { true } else { false } } == true)
  }

  @Test func rejectsInstructionsThatDoNotHoldTheRecordedValue() throws {
    let code = try replacing(offASlot, with: Instruction(opcode: Opcode(rawValue: 0xb7), destination: .r0, immediate: 77))
    guard case .unexpectedValue(_, _, let found, let expected)? = error(offA, code: code) else {
      Issue.record("no unexpectedValue")
      return
    }
    #expect(found == 77)
    #expect(expected == 0)  // offsetof(struct sample, a) in types_local.h
  }

  @Test(arguments: [UInt32(13), 99, UInt32.max])
  func rejectsUnknownKinds(kind: UInt32) {
    var record = offA
    record.kind = .init(rawValue: kind)
    #expect(error(record).map { if case .unknownKind(_, let k) = $0 { k == kind } else { false } } == true)
  }

  @Test func rejectsRecordsForSectionsWithoutCode() {
    #expect(error(offA, in: "no/such/section").map { if case .unknownSection = $0 { true } else { false } } == true)
  }

  @Test func rejectsAnonymousRootTypes() throws {
    // The anonymous union inside struct sample.
    let anonymous = try #require(loaded.local.localTypeIDs.first { raw in
      (try? loaded.local.kind(of: .init(raw))) == .union && (try? loaded.local.nameString(of: .init(raw))) == ""
    })
    var record = offA
    record.type = BTF.TypeID(anonymous)
    record.accessString = "0:0"
    #expect(error(record).map { if case .anonymousType = $0 { true } else { false } } == true)
  }

  @Test func applyRefusesCodeThatChanged() throws {
    let plan = relocator.plan(code: loaded.code, extension: loaded.ext)
    let code = try replacing(offASlot, with: Instruction(opcode: Opcode(rawValue: 0xb7), destination: .r0, immediate: 5))
    #expect(throws: RelocationError.self) { try plan.apply(to: code) }
  }

  /// Random records: every one ends as a decision, none crashes.
  @Test func randomRecordsNeverCrash() {
    var generator = SplitMix64(seed: 0x5eed_c0de)
    let slots = loaded.code.first { $0.name == section }?.instructions.slotCount ?? 1
    var records = [CORERecord]()
    for _ in 0 ..< 3000 {
      let depth = Int.random(in: 0 ... 5, using: &generator)
      let access = (0 ..< depth).map { _ in String(Int.random(in: 0 ... 20, using: &generator)) }.joined(separator: ":")
      records.append(CORERecord(
        instructionOffset: UInt32(Int.random(in: 0 ... slots + 2, using: &generator) * 8),
        type: BTF.TypeID(UInt32.random(in: 0 ... UInt32(loaded.local.typeCount + 2), using: &generator)),
        accessString: access, kind: .init(rawValue: UInt32.random(in: 0 ... 14, using: &generator))))
    }
    let plan = relocator.plan(code: loaded.code, relocations: [CORESection(name: section, records: records)])
    #expect(plan.decisions.count == records.count)
    #expect(plan.decisions.contains { $0.result.isFailed })
    for (decision, record) in zip(plan.decisions, records) {
      #expect(decision.sectionSlot == Int(record.instructionOffset / 8))
    }
  }

  func replacing(_ slot: Int, with insn: Instruction) throws -> [CodeSection] {
    try loaded.code.map { code in
      guard code.name == section else { return code }
      var copy = code
      let index = try #require(code.instructions.instructionIndex(atSlot: slot))
      let replaced = copy.instructions.replace(at: index, with: insn)
      try #require(replaced)
      return copy
    }
  }
}
