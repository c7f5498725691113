import BTF
import Foundation
import Instructions
import Relocation
import TestSupport
import Testing
import UAPI

/// Relocates Fixtures/core/probe.bpf.o (and its big-endian twin) against
/// target BTFs compiled from targets/target_X.c, and checks every decision
/// against expected/target_X.txt, which a host C program compiled against
/// the same target definitions printed (offsetof, sizeof, enum values).
@Suite struct TargetFixtureTests {
  static let targets = ["target_a", "target_b", "target_c", "target_ambig"]
  static let objects = ["probe.bpf.o", "probe.bpfeb.bpf.o"]
  static var cases: [(String, String)] { objects.flatMap { o in targets.map { (o, $0) } } }

  static func object(_ name: String) throws -> LoadedObject {
    try LoadedObject(path: Fixture.directory.appendingPathComponent("core/\(name)").path)
  }

  static func target(_ name: String) throws -> TargetBTF {
    TargetBTF(name: name, btf: try BTF(bytes: try Fixture.bytes("core/btf/\(name).btf")))
  }

  @Test(arguments: cases)
  func decisionsMatchTheCompiler(object: String, target: String) throws {
    let loaded = try Self.object(object)
    let expected = try Expectation.load(target)
    let plan = loaded.plan([try Self.target(target)])
    let sample = target == "target_ambig" ? nil
      : try Fixture.bytes("core/samples/\(target).\(loaded.order == .big ? "eb" : "el").bin")

    var seen = Set<String>()
    let byProgram = Dictionary(grouping: plan.decisions, by: \.program)
    #expect(byProgram.count >= 33)
    for (program, decisions) in byProgram {
      let key = program == "read_y" ? "sub_y" : program
      if key == "tid_sample" || key == "lid_sample" { continue }  // checked with bpftool below
      if key.hasPrefix("bf_") {
        try checkBitfield(key, decisions, expected[key], sample, loaded.order)
        seen.insert(key)
        continue
      }
      #expect(decisions.count == 1, "\(program): one relocation per probe")
      guard let decision = decisions.first else { continue }
      let expectation = try #require(expected[key], "no expectation for \(key) in \(target)")
      seen.insert(key)
      check(decision, expectation, expected["\(key).size"])
    }
    let wanted = Set(expected.keys.filter { !$0.hasSuffix(".size") })
    #expect(seen == wanted, "probes without decisions: \(wanted.subtracting(seen)), extra: \(seen.subtracting(wanted))")
  }

  func check(_ d: RelocationDecision, _ expectation: Expectation, _ size: Expectation?) {
    let label = "\(d.program) \(d.kind) \(d.localAccess)"
    switch expectation {
    case .value(let value):
      #expect(d.result == .patched, "\(label): \(d.reason)")
      #expect(d.newValue == value, "\(label)")
      guard let insn = d.replacement.first, d.replacement.count == 1 else {
        Issue.record("\(label): no replacement")
        return
      }
      switch insn.opcode.instructionClass {
      case .ldx, .st, .stx: #expect(Int64(insn.offset) == Int64(value), "\(label)")
      case .ld: #expect(UInt64(bitPattern: insn.immediate) == value, "\(label)")
      default: #expect(Int64(insn.immediate32) == Int64(bitPattern: value), "\(label)")
      }
      if case .value(let bytes)? = size {
        #expect(insn.opcode.size.byteCount == Int(bytes), "\(label): load size follows the target field")
      }
    case .missing:
      if zeroWhenMissing.contains(d.kind.rawValue) {
        #expect(d.result == .patched && d.newValue == 0, "\(label): \(d.result)")
      } else {
        #expect(d.result == .poisoned, "\(label): \(d.result) \(d.reason)")
        let wide = d.original?.opcode.isWideLoad == true
        #expect(d.replacement == (wide ? [poisonCall, poisonCall] : [poisonCall]), "\(label)")
      }
    case .poisoned:
      #expect(d.result == .poisoned, "\(label): \(d.result)")
      #expect(d.replacement == [poisonCall], "\(label)")
    case .ambiguous:
      guard case .failed(.ambiguousCandidates(_, let candidates, _)) = d.result else {
        Issue.record("\(label): expected an ambiguity, got \(d.result)")
        return
      }
      #expect(candidates.count == 2)
      #expect(candidates.contains { $0.hasSuffix("struct ambig") })
      #expect(candidates.contains { $0.hasSuffix("struct ambig___2") })
    }
  }

  /// BPF_CORE_READ_BITFIELD_PROBED records five relocations; applying them
  /// to the target's sample bytes must give back the value the sample was
  /// initialised with.
  func checkBitfield(_ key: String, _ decisions: [RelocationDecision], _ expectation: Expectation?,
                     _ sample: [UInt8]?, _ order: ByteOrder) throws {
    let kinds = Set(decisions.map(\.kind.rawValue))
    #expect(kinds == [0, 1, 3, 4, 5], "\(key): byte_off, byte_sz, signed, lshift_u64, rshift_u64")
    guard case .value(let wanted)? = expectation else {
      #expect(expectation == .missing)
      for d in decisions { #expect(d.result == .poisoned, "\(key) \(d.kind)") }
      return
    }
    func relocated(_ kind: UInt32) throws -> UInt64 {
      let d = try #require(decisions.first { $0.kind.rawValue == kind })
      #expect(d.result == .patched, "\(key) \(d.kind): \(d.reason)")
      return try #require(d.newValue)
    }
    let bytes = try #require(sample)
    let got = extractBitfield(bytes, offset: try relocated(0), size: try relocated(1), lshift: try relocated(4),
                              rshift: try relocated(5), signed: try relocated(3) == 1, order)
    #expect(got == wanted, "\(key) in \(order) endian")
  }

  /// Type ids: the target's from `bpftool btf dump` of the target blob, the
  /// local one from `bpftool btf dump` of the object.
  @Test(.enabled(if: Toolchain.systemTool("bpftool") != nil || TestEnvironment.mustNotSkip, "needs bpftool"),
        arguments: cases)
  func typeIDsMatchBpftool(object: String, target: String) throws {
    let bpftool = try #require(Toolchain.systemTool("bpftool"), "bpftool is missing")
    let loaded = try Self.object(object)
    let plan = loaded.plan([try Self.target(target)])
    let blob = Fixture.directory.appendingPathComponent("core/btf/\(target).btf").path
    let targetDump = try runTool(bpftool, ["btf", "dump", "file", blob]).output
    let localDump = try runTool(bpftool, ["btf", "dump", "file",
                                          Fixture.directory.appendingPathComponent("core/\(object)").path]).output
    func id(of pattern: (String) -> Bool, in dump: String) -> UInt64 {
      for line in dump.split(separator: "\n") where line.hasPrefix("[") {
        guard let close = line.firstIndex(of: "]") else { continue }
        if pattern(String(line)) { return UInt64(line[line.index(after: line.startIndex) ..< close]) ?? 0 }
      }
      return 0
    }
    let targetID = id(of: { $0.contains("] STRUCT 'sample") && !$0.contains("sample___old") }, in: targetDump)
    let localID = id(of: { $0.contains("] STRUCT 'sample' ") }, in: localDump)
    let tid = try #require(plan.decisions.first { $0.program == "tid_sample" })
    let lid = try #require(plan.decisions.first { $0.program == "lid_sample" })
    #expect(tid.newValue == targetID && tid.result == .patched)
    #expect(lid.newValue == localID && lid.result == .patched && localID != 0)
  }

  /// Applying a plan writes each decision's replacement at its slot and
  /// leaves the rest of the code alone.
  /// Every target but the ambiguous one, and no target at all (where the
  /// enum value `ld_imm64`s are poisoned as two calls).
  @Test(arguments: objects.flatMap { o in ["target_a", "target_b", "target_c", ""].map { (o, $0) } })
  func applyPatchesOnlyRelocatedInstructions(object: String, target: String) throws {
    let loaded = try Self.object(object)
    let plan = loaded.plan(target.isEmpty ? [] : [try Self.target(target)])
    #expect(plan.failures.isEmpty)
    if target.isEmpty {
      #expect(plan.decisions.contains { $0.replacement == [poisonCall, poisonCall] })
    }
    let patched = try plan.apply(to: loaded.code)
    for (before, after) in zip(loaded.code, patched) {
      #expect(before.instructions.slotCount == after.instructions.slotCount)
      let touched = Dictionary(
        plan.decisions.filter { $0.section == before.name }.map { ($0.sectionSlot, $0.replacement) },
        uniquingKeysWith: { _, last in last })
      for index in before.instructions.indices {
        let slot = before.instructions.slot(ofInstruction: index)
        if let replacement = touched[slot] {
          let start = try #require(after.instructions.instructionIndex(atSlot: slot))
          #expect(Array(after.instructions[start ..< start + replacement.count]) == replacement)
        } else {
          let start = try #require(after.instructions.instructionIndex(atSlot: slot))
          #expect(after.instructions[start] == before.instructions[index])
        }
      }
    }
  }

  /// An ambiguity makes the plan fail: `apply` and `relocate` throw it.
  @Test func ambiguityStopsApply() throws {
    let loaded = try Self.object("probe.bpf.o")
    let relocator = CORERelocator(local: loaded.local, targets: [try Self.target("target_ambig")])
    #expect(throws: RelocationError.self) { try relocator.relocate(code: loaded.code, extension: loaded.ext) }
    let plan = relocator.plan(code: loaded.code, extension: loaded.ext)
    #expect(plan.failures.count == 1)
    #expect(throws: RelocationError.self) { try plan.apply(to: loaded.code) }
  }
}
