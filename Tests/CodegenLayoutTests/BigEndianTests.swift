import SwiftBPF
import Testing
import TestSupport

/// The big-endian build of the layout corpus (layout.bpfeb.bpf.o): its
/// generated bitfield accessors call `LayoutBits` with `order: .big` at the
/// BTF's bit offsets; decoding clang's big-endian initialisers that way gives
/// the LAYOUT_* values back.
@Suite struct BigEndianTests {
  @Test func bigEndianBitfieldsDecodeClangsInitialisers() throws {
    let object = try ObjectFile(path: Fixture.object("layout.bpfeb.bpf.o").path)
    #expect(object.byteOrder == .big)
    let btf = try BTF(bytes: try #require(object.btf))
    let section = try #require(object.dataSections.first { $0.name == ".data" })
    let bytes = try #require(section.initialBytes)
    let variable = try #require(section.variables.first { $0.name == "g_init_bits" })
    let record = Array(bytes[Int(variable.offset) ..< Int(variable.offset + variable.size)])
    let id = try btf.type(named: "bits", kind: .struct)
    var members: [String: BTF.Member] = [:]
    for member in try btf.members(of: id) { members[try btf.string(of: member.name)] = member }

    func field<V: FixedWidthInteger>(_ name: String, _ type: V.Type) throws -> V {
      let member = try #require(members[name])
      try #require(record.count == 16)
      let storage = InlineArray<16, UInt8> { record[$0] }
      return LayoutBits.load(V.self, from: storage, bitOffset: Int(member.bitOffset),
                             width: Int(member.bitfieldSize), order: .big)
    }
    #expect(try field("flag", UInt32.self) == 1)
    #expect(try field("small", Int32.self) == -3)
    #expect(try field("mid", UInt32.self) == 0xabcde)
    #expect(try field("color", UInt32.self) == 2)
    #expect(try field("ok", UInt8.self) == 1)
    #expect(try field("low", UInt64.self) == 0xfedcb)
    #expect(try field("across", UInt64.self) == 0xa_bcde_f123)
    #expect(try field("negative", Int64.self) == -12_345_678)
  }
}
