import Foundation
import Testing
import TestSupport
@testable import BTF

/// Hostile nesting: the writer walks types depth first, so a chain of
/// structs each holding the next must end in an error, not a stack overflow.
@Suite struct CDumpDepthTests {
  /// `struct s0 { struct s1 m; }`, ..., the last holding an int; named or
  /// anonymous.
  static func chain(_ length: Int, anonymous: Bool) throws -> BTF {
    var raw = RawBTF()
    let int = raw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])  // [1]
    // Type i+2 holds type i+3; the last one holds the int.
    for i in 0 ..< length {
      let next = i == length - 1 ? int : UInt32(i + 3)
      raw.type(name: anonymous && i > 0 ? "" : "s\(i)", kind: 4, vlen: 1, sizeOrType: 4,
               [raw.string("m"), next, 0])
    }
    return try BTF(bytes: raw.bytes())
  }

  @Test(arguments: [false, true])
  func deepChainIsRefused(anonymous: Bool) throws {
    let btf = try Self.chain(20_000, anonymous: anonymous)
    #expect(throws: BTFError.self) { try BTF.CHeader.render(btf) }
  }

  @Test func moderateChainCompiles() throws {
    let btf = try Self.chain(300, anonymous: false)
    let header = try BTF.CHeader.render(btf)
    #expect(header.contains("struct s299 {"))
    guard CDumpCheck.clangAvailable() else { return }
    let (status, messages) = try CDumpCheck.compile(
      header: header, source: "#include \"header.h\"\n_Static_assert(sizeof(struct s0) == 4, \"s0\");\n")
    #expect(status == 0, "\(CDumpCheck.excerpt(messages))")
  }
}
