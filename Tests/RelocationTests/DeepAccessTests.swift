import BTF
import Relocation
import TestSupport
import Testing

/// An access that a target nests deeper than an access spec may hold fails
/// the relocation, as libbpf's `-E2BIG` (BPF_CORE_SPEC_MAX_LEN, 64), rather
/// than being "not found" and poisoned. Fixture: core_deep.bpf.o (local
/// `struct deep_target { int before; int x; }`, accesses "0:1").
@Suite struct DeepAccessTests {
  /// A target whose `deep_target.x` sits inside `depth` nested anonymous
  /// structs (at byte 4 of each), after a member `before`.
  static func target(depth: Int) throws -> TargetBTF {
    var b = BTF.Builder()
    let int = b.addInteger("int", size: 4, encoding: .signed)
    var inner = b.addStruct("", size: 4, members: [.init("x", int, bitOffset: 0)])
    for _ in 1 ..< depth {
      inner = b.addStruct("", size: 4, members: [.init("", inner, bitOffset: 0)])
    }
    _ = b.addStruct("deep_target", size: 8, members: [
      .init("before", int, bitOffset: 0), .init("", inner, bitOffset: 32),
    ])
    return TargetBTF(name: "deep\(depth)", btf: try b.build())
  }

  static func decisions(depth: Int) throws -> [RelocationDecision] {
    let object = try LoadedObject(path: Fixture.directory.appendingPathComponent("obj/core_deep.bpf.o").path)
    return object.plan([try target(depth: depth)]).decisions
  }

  /// 1 (root) + 62 anonymous levels + x = 64 entries: the limit, still fine.
  @Test func accessAtTheLimitRelocates() throws {
    let decisions = try Self.decisions(depth: 62)
    #expect(decisions.count == 2)
    for d in decisions {
      #expect(d.result == .patched, "\(d.kind) \(d.localAccess): \(d.reason)")
    }
    let offset = decisions.first { $0.kind == .fieldByteOffset }
    #expect(offset?.newValue == 4)
  }

  /// One level more: every relocation of x fails, naming the limit.
  @Test func accessPastTheLimitFailsLikeLibbpf() throws {
    let decisions = try Self.decisions(depth: 63)
    #expect(decisions.count == 2)
    for d in decisions {
      guard case .failed(let error) = d.result else {
        Issue.record("\(d.kind) \(d.localAccess): \(d.result.name), expected failed (\(d.reason))")
        continue
      }
      guard case .accessTooDeep(_, _, let limit) = error else {
        Issue.record("\(d.kind): \(error), expected accessTooDeep")
        continue
      }
      #expect(limit == 64)
      #expect(error.description.contains("more than 64 levels"))
    }
  }
}
