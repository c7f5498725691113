import Testing
import TestSupport
@testable import BTF

/// Hostile BTF the C writer must refuse rather than recurse on forever: an
/// anonymous struct whose member points back to itself (valid BTF, but C can
/// write an anonymous struct only inline, so inlining would never end).
@Suite struct CDumpSelfReferenceTests {
  @Test func anonymousStructPointingToItselfIsATypedError() throws {
    var raw = RawBTF()
    let a = raw.string("a")
    raw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])  // [1] int
    raw.type(kind: 4, vlen: 1, sizeOrType: 8, [a, 4, 0])            // [2] struct { [4] a; }
    raw.type(name: "T", kind: 8, sizeOrType: 2)                       // [3] typedef T -> [2]
    raw.type(kind: 2, sizeOrType: 2)                                  // [4] PTR -> [2]
    let btf = try BTF(bytes: raw.bytes())
    #expect(throws: BTFError.self) { try BTF.CHeader.render(btf) }
    #expect(throws: BTFError.self) { try BTF.CHeader.render(btf, types: ["T"]) }
  }
}
