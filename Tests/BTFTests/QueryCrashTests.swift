import Testing
import UAPI
import BTF

/// Queries on hand-built hostile BTF that used to trap on overflow or run
/// for hours: each ends in a typed `BTFError` or the right answer, at once.
@Suite struct QueryCrashTests {
  /// `u0 { u1 a; u1 b; } ... u(n-1) { un a; un b; }`, `un { int x; }`: every
  /// level doubles the plain recursive walk (2^n visits), with no loop.
  /// With `anonymous`, the `a`/`b` members have no names.
  static func doublingChain(_ b: inout BTF.Builder, levels: Int, anonymous: Bool = false) -> BTF.TypeID {
    let int = b.addInteger("int", size: 4, encoding: .signed)
    var inner = b.addStruct(anonymous ? "" : "u\(levels)", size: 4, members: [.init("x", int, bitOffset: 0)])
    for level in stride(from: levels - 1, through: 0, by: -1) {
      inner = b.addUnion(anonymous ? "" : "u\(level)", size: 4, members: [
        .init(anonymous ? "" : "a", inner, bitOffset: 0), .init(anonymous ? "" : "b", inner, bitOffset: 0),
      ])
    }
    return inner
  }

  /// Item 7: alignment of a 60-level doubling chain is the innermost int's,
  /// 4 (C: a union aligns to its most aligned member, an int to its size).
  @Test func alignmentOfDoublingChain() throws {
    var b = BTF.Builder(byteOrder: .little)
    let root = Self.doublingChain(&b, levels: 60)
    let btf = try b.build()
    #expect(try btf.alignment(of: root) == 4)
  }

  /// Item 8: `s.big[1]` where each element is 2^62 bytes: the element size
  /// in bits overflows.
  @Test func arraySubscriptWithHugeElementThrows() throws {
    var b = BTF.Builder(byteOrder: .little)
    let char = b.addInteger("char", size: 1, encoding: .signed)
    let row = b.addArray(of: char, index: char, count: 1 << 31)
    let element = b.addArray(of: row, index: char, count: 1 << 31)
    let big = b.addArray(of: element, index: char, count: 2)
    _ = b.addStruct("s", size: 8, members: [.init("big", big, bitOffset: 0)])
    let btf = try b.build()
    #expect(throws: BTFError.self) { try btf.field("s.big[1]") }
  }

  /// Item 8: `m` sits at bit 2^32 - 8 and is `char [2^31][2^29]`: row
  /// 2^31 - 1 starts (2^31 - 1) * 2^32 bits later, at bit 2^63 - 8 =
  /// Int.max - 7, the last byte address an Int can hold in bits; the next
  /// byte, bit 2^63, is past Int.max and the walk throws.
  @Test func arraySubscriptPastInt64Throws() throws {
    var b = BTF.Builder(byteOrder: .little)
    let char = b.addInteger("char", size: 1, encoding: .signed)
    let inner = b.addArray(of: char, index: char, count: 1 << 29)
    let outer = b.addArray(of: inner, index: char, count: 1 << 31)
    _ = b.addStruct("s", size: 8, members: [
      .init("pad", char, bitOffset: 0), .init("m", outer, bitOffset: UInt32.max - 7),
    ])
    let btf = try b.build()
    #expect(try btf.field("s.m[\(Int32.max)][0]").bitOffset == Int.max - 7)
    #expect(throws: BTFError.self) { try btf.field("s.m[\(Int32.max)][1]") }
  }

  /// `findMember` through 60 levels of doubling anonymous unions: a name
  /// that is not there is reported missing, one after the chain is found.
  @Test func memberSearchThroughAnonymousDoublingChain() throws {
    var b = BTF.Builder(byteOrder: .little)
    let chain = Self.doublingChain(&b, levels: 60, anonymous: true)
    let int = b.addInteger("int", size: 4, encoding: .signed)
    _ = b.addStruct("outer", size: 8, members: [.init("", chain, bitOffset: 0), .init("y", int, bitOffset: 32)])
    let btf = try b.build()
    #expect(throws: BTFError.self) { try btf.field("outer.z") }
    #expect(try btf.field("outer.y").bitOffset == 32)
    #expect(try btf.field("outer.x").bitOffset == 0)
  }
}
