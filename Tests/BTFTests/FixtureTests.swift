import Foundation
import Testing
import TestSupport
import UAPI
@testable import BTF

/// The `.BTF` of every committed fixture object against bpftool and itself.
@Suite struct FixtureTests {
  static let objects = Fixture.objects

  @Test(arguments: objects)
  func parsesLikeBpftoolAndRoundTrips(object: URL) throws {
    guard FixtureBTF.toolsAvailable() else { return }
    let bytes = try #require(try FixtureBTF.section(".BTF", of: object), "no .BTF in \(object.lastPathComponent)")
    let btf = try BTF(bytes: bytes)
    #expect(btf.byteOrder == (object.lastPathComponent.contains("bpfeb") ? .big : .little))
    let expected = try #require(try FixtureBTF.bpftoolDump(bytes)).map(String.init)
    let ours = try BpftoolFormat.dump(btf)
    #expect(ours.count == expected.count)
    for (a, b) in zip(ours, expected) where a != b {
      Issue.record("\(object.lastPathComponent): ours \(a) | bpftool \(b)")
      break
    }
    #expect(try btf.encoded() == bytes)
  }

  @Test(arguments: objects)
  func everyTruncationThrows(object: URL) throws {
    guard FixtureBTF.toolsAvailable() else { return }
    let bytes = try #require(try FixtureBTF.section(".BTF", of: object))
    for length in 0 ..< bytes.count {
      #expect(throws: BTFError.self) { try BTF(bytes: Array(bytes.prefix(length))) }
    }
  }

  @Test func btfKindsFixtureHasWhatItsSourceStates() throws {
    guard FixtureBTF.toolsAvailable() else { return }
    let bytes = try #require(try FixtureBTF.section(".BTF", of: Fixture.object("btf_kinds.bpf.o")))
    let btf = try BTF(bytes: bytes)
    // Source comment: struct with_bits { unsigned a:3, b:5; int c:24; int d; }.
    let bits = try btf.type(named: "with_bits", kind: .struct)
    let members = try btf.members(of: bits)
    #expect(members.map(\.bitfieldSize) == [3, 5, 24, 0])
    #expect(members.map(\.bitOffset) == [0, 3, 8, 32])
    #expect(try btf.size(of: bits) == 8)
    // k_big: ENUM64 with BIG_ONE = 0x100000000.
    let big = try btf.type(named: "big_enum", kind: .enum64)
    #expect(try btf.enumerators(of: big).contains { btf.name($0.name, equals: "BIG_ONE") && $0.unsignedValue == 1 << 32 })
    // small_enum: size 1, signed, -1 0 1.
    let small = try btf.type(named: "small_enum", kind: .enum)
    #expect(try btf.enumerators(of: small).map(\.value) == [-1, 0, 1])
    // k_matrix int[3][4]: 48 bytes.
    let matrix = try btf.type(named: "k_matrix", kind: .variable)
    #expect(try btf.size(of: matrix) == 48)
    // typedef chain outer_t -> inner_t -> unsigned long.
    let outer = try btf.type(named: "outer_t", kind: .typedef)
    #expect(try btf.nameString(of: btf.resolved(outer)) == "unsigned long")
    // Decl tags on the function and its parameter 0.
    let tags = btf.allTypeIDs.compactMap { raw -> BTF.DeclarationTag? in
      if case .declarationTag(let t)? = try? btf[BTF.TypeID(raw)] { return t }
      return nil
    }
    #expect(tags.contains { btf.name($0.name, equals: "swiftbpf:param") && $0.componentIndex == 0 })
    #expect(tags.contains { btf.name($0.name, equals: "swiftbpf:func") && $0.componentIndex == -1 })
    // static k_static at offset 112 in .data.
    let data = try btf.type(named: ".data", kind: .dataSection)
    let staticVar = try btf.type(named: "k_static", kind: .variable)
    #expect(try btf.variables(of: data).contains { $0.type == staticVar && $0.offset == 112 })
  }
}
