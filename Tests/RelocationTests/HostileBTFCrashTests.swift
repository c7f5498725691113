import BTF
import Instructions
import Relocation
import Testing
import UAPI

/// Hand-built BTF that used to trap (arithmetic overflow) or run for hours
/// (exponential searches) in the CO-RE engine. Each must end in a typed
/// `RelocationError` or a correct answer, at once. The hostile shapes are
/// sized so the old code would take far longer than any test run.
@Suite struct HostileBTFCrashTests {
  static let section = "tracepoint/crash"

  /// `r0 = imm; exit`: one instruction for the record to point at, holding
  /// what the compiler would have put there (the local value).
  static func code(imm: UInt8) throws -> [CodeSection] {
    let bytes: [UInt8] = [0xb7, 0, 0, 0, imm, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]
    return [CodeSection(id: SectionID(1), name: section, instructions: try InstructionSequence(decoding: bytes, order: .little))]
  }

  static func decide(local: BTF, target: BTF, type: BTF.TypeID, access: String, kind: BTF.CORERelocation.Kind,
                     imm: UInt8 = 0) throws -> RelocationDecision
  {
    let relocator = CORERelocator(local: local, targets: [TargetBTF(name: "target", btf: target)])
    let record = CORERecord(instructionOffset: 0, type: type, accessString: access, kind: kind)
    let plan = relocator.plan(code: try code(imm: imm), relocations: [CORESection(name: section, records: [record])])
    return try #require(plan.decisions.first)
  }

  /// A target with nothing the records could match: the local side alone decides.
  static func emptyTarget() throws -> BTF {
    var b = BTF.Builder(byteOrder: .little)
    _ = b.addInteger("int", size: 4, encoding: .signed)
    return try b.build()
  }

  static func isNotApplicable(_ result: RelocationDecision.Result) -> Bool {
    if case .failed(.notApplicable) = result { true } else { false }
  }

  /// Item 2: a field whose type is 2^62 bytes (`char [2^31][2^31]`): its
  /// size in bits does not fit in 64 bits.
  @Test(arguments: [BTF.CORERelocation.Kind.fieldByteOffset, .fieldByteSize, .fieldRightShift])
  func fieldTooLargeForBitsIsRefused(kind: BTF.CORERelocation.Kind) throws {
    var b = BTF.Builder(byteOrder: .little)
    let char = b.addInteger("char", size: 1, encoding: .signed)
    let row = b.addArray(of: char, index: char, count: 1 << 31)
    let huge = b.addArray(of: row, index: char, count: 1 << 31)
    let s = b.addStruct("huge", size: 8, members: [.init("big", huge, bitOffset: 0)])
    let decision = try Self.decide(local: try b.build(), target: try Self.emptyTarget(), type: s,
                                   access: "0:0", kind: kind)
    #expect(Self.isNotApplicable(decision.result), "\(decision)")
  }

  /// Item 3: a bitfield reached at bit 2^63 - 8 (root index 2^31 - 1 of a
  /// `typedef struct e arr[2^29]`, then element 2^29 - 1), 8 bits wide: its
  /// end, bit 2^63, does not fit in an Int.
  @Test(arguments: [BTF.CORERelocation.Kind.fieldByteOffset, .fieldByteSize, .fieldLeftShift,
                    .fieldRightShift])
  func bitfieldPastInt64IsRefused(kind: BTF.CORERelocation.Kind) throws {
    var b = BTF.Builder(byteOrder: .little)
    let int = b.addInteger("int", size: 4, encoding: .signed)
    let e = b.addStruct("e", size: 1, members: [.init("b", int, bitOffset: 0, bitfieldSize: 8)])
    let array = b.addArray(of: e, index: int, count: 1 << 29)
    let arr = b.addTypedef("arr", to: array)
    let access = "\(Int32.max):\((1 << 29) - 1):0"
    let decision = try Self.decide(local: try b.build(), target: try Self.emptyTarget(), type: arr,
                                   access: access, kind: kind)
    #expect(Self.isNotApplicable(decision.result), "\(decision)")
  }

  /// Item 4: the target's root is 2^29 bytes, the access's root index
  /// 2^31 - 1 puts it at bit 2^63 - 2^32; an anonymous member at bit
  /// 2^32 - 1 and the field 8 bits into it go past Int.max.
  @Test func targetOffsetPastInt64IsRefused() throws {
    var l = BTF.Builder(byteOrder: .little)
    let lint = l.addInteger("int", size: 4, encoding: .signed)
    let ls = l.addStruct("t", size: 4, members: [.init("a", lint, bitOffset: 0)])
    var t = BTF.Builder(byteOrder: .little)
    let tint = t.addInteger("int", size: 4, encoding: .signed)
    let inner = t.addStruct("", size: 4, members: [.init("pad", tint, bitOffset: 0), .init("a", tint, bitOffset: 8)])
    _ = t.addStruct("t", size: 1 << 29, members: [.init("", inner, bitOffset: UInt32.max)])
    let decision = try Self.decide(local: try l.build(), target: try t.build(), type: ls,
                                   access: "\(Int32.max):0", kind: .fieldByteOffset)
    #expect(Self.isNotApplicable(decision.result), "\(decision)")
  }

  /// `s0 { s1 a; s1 b; } ... s(n-1) { sn a; sn b; }`, `sn { int x; }`: a
  /// loop-free chain whose plain recursive walk visits 2^n nodes.
  /// With `anonymous`, the `a` and `b` members have no names (and the
  /// types are unions, so both sit at offset 0 legitimately).
  static func doublingChain(_ b: inout BTF.Builder, levels: Int, name: (Int) -> String, anonymous: Bool = false)
    -> BTF.TypeID
  {
    let union = anonymous
    let int = b.addInteger("int", size: 4, encoding: .signed)
    var inner = b.addStruct(name(levels), size: 4, members: [.init("x", int, bitOffset: 0)])
    for level in stride(from: levels - 1, through: 0, by: -1) {
      let members: [BTF.Builder.MemberSpec] = [
        .init(anonymous ? "" : "a", inner, bitOffset: 0), .init(anonymous ? "" : "b", inner, bitOffset: 0),
      ]
      inner = union ? b.addUnion(name(level), size: 4, members: members)
        : b.addStruct(name(level), size: 4, members: members)
    }
    return inner
  }

  /// Item 5: `bpf_core_type_matches` on identical 30-level doubling chains
  /// (2^30 comparisons for the plain recursion) matches: the types are
  /// the same declarations, so the answer is 1.
  @Test func typeMatchesOnDoublingChainIsQuickAndTrue() throws {
    var l = BTF.Builder(byteOrder: .little)
    let root = Self.doublingChain(&l, levels: 30, name: { "s\($0)" })
    var t = BTF.Builder(byteOrder: .little)
    _ = Self.doublingChain(&t, levels: 30, name: { "s\($0)" })
    let decision = try Self.decide(local: try l.build(), target: try t.build(), type: root,
                                   access: "0", kind: .typeMatches, imm: 1)
    #expect(decision.result == .patched, "\(decision)")
    #expect(decision.newValue == 1)
  }

  /// Item 5: a struct holding itself by value (C cannot declare it; the
  /// kernel rejects it), locally `self { self a; }`, in the target
  /// `self { self a; self a; }`. The depth-bounded relation fails at the
  /// bottom whichever `a` it follows, so the candidate does not match: 0.
  /// The plain recursion tried both `a`s at each of 32 levels: 2^32 steps.
  @Test func typeMatchesOnSelfContainingStructEnds() throws {
    func build(copies: Int) throws -> (BTF, BTF.TypeID) {
      var b = BTF.Builder(byteOrder: .little)
      // [1] int, [2] struct self { struct self a; ... }
      _ = b.addInteger("int", size: 4, encoding: .signed)
      let me = BTF.TypeID(2)
      let members = (0 ..< copies).map { BTF.Builder.MemberSpec("a", me, bitOffset: UInt32($0) * 32) }
      let s = b.addStruct("self", size: 8, members: members)
      #expect(s == me)
      return (try b.build(), s)
    }
    let (local, root) = try build(copies: 1)
    let (target, _) = try build(copies: 2)
    let decision = try Self.decide(local: local, target: target, type: root, access: "0", kind: .typeMatches, imm: 1)
    #expect(decision.result == .patched, "\(decision)")
    #expect(decision.newValue == 0)
  }

  /// Item 6: a target whose anonymous members double at each of 40 levels
  /// (2^40 visits for the plain search). A name that is not there is
  /// missing; the one after the chain is found at its offset.
  @Test(arguments: ["y", "z"])
  func anonymousDoublingChainIsSearchedOnce(field: String) throws {
    var l = BTF.Builder(byteOrder: .little)
    let lint = l.addInteger("int", size: 4, encoding: .signed)
    let ls = l.addStruct("outer", size: 8, members: [.init("y", lint, bitOffset: 0), .init("z", lint, bitOffset: 32)])
    var t = BTF.Builder(byteOrder: .little)
    let chain = Self.doublingChain(&t, levels: 40, name: { _ in "" }, anonymous: true)
    let tint = t.addInteger("int", size: 4, encoding: .signed)
    _ = t.addStruct("outer", size: 8, members: [.init("", chain, bitOffset: 0), .init("y", tint, bitOffset: 32)])
    let local = try l.build(), target = try t.build()
    let access = field == "y" ? "0:0" : "0:1"
    let exists = try Self.decide(local: local, target: target, type: ls, access: access, kind: .fieldExists, imm: 1)
    #expect(exists.result == .patched, "\(exists)")
    #expect(exists.newValue == (field == "y" ? 1 : 0))
    if field == "y" {
      // y is the target's second member, declared at bit 32: byte 4.
      // The local y is at byte 0 (what the instruction holds).
      let offset = try Self.decide(local: local, target: target, type: ls, access: access, kind: .fieldByteOffset)
      #expect(offset.result == .patched, "\(offset)")
      #expect(offset.newValue == 4, "\(offset)")
    }
  }

  /// `bpf_core_type_exists` on `int f0(p1 *, p1 *, p1 *)`, `p1` the same
  /// with `p2` ... 30 levels: the plain recursion compared 3^30 parameter
  /// pairs. Identical declarations on both sides: the type exists, 1.
  @Test func typeExistsOnBranchingPrototypesIsQuickAndTrue() throws {
    func build() throws -> (BTF, BTF.TypeID) {
      var b = BTF.Builder(byteOrder: .little)
      let int = b.addInteger("int", size: 4, encoding: .signed)
      var proto = b.addPrototype(returning: int, parameters: [])
      for _ in 0 ..< 30 {
        let pointer = b.addPointer(to: proto)
        proto = b.addPrototype(returning: int, parameters: [("a", pointer), ("b", pointer), ("c", pointer)])
      }
      let root = b.addTypedef("handler", to: proto)
      return (try b.build(), root)
    }
    let (local, root) = try build()
    let (target, _) = try build()
    let decision = try Self.decide(local: local, target: target, type: root, access: "0", kind: .typeExists, imm: 1)
    #expect(decision.result == .patched, "\(decision)")
    #expect(decision.newValue == 1)
  }
}
