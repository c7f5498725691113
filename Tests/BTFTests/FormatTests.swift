import Testing
import UAPI
@testable import BTF

/// `BTF.format(_:as:)`: bytes read through a type, in the shapes
/// `bpftool map dump -j` prints (the kernel comparison is in CLITests'
/// MapCommandTests). Expected values come from the bytes the tests write.
@Suite struct FormatTests {
  static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
  static func be<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

  static func format(_ btf: BTF, _ bytes: [UInt8], _ id: BTF.TypeID) throws -> BTF.FormattedValue {
    try bytes.withUnsafeBytes { (raw) throws -> BTF.FormattedValue in try btf.format(raw, as: id) }
  }

  @Test func integersBySignednessBoolAndWidth() throws {
    var b = BTF.Builder(byteOrder: .little)
    let s16 = b.addInteger("short", size: 2, encoding: .signed)
    let u64 = b.addInteger("unsigned long long", size: 8)
    let bool = b.addInteger("_Bool", size: 1, encoding: .bool)
    let u128 = b.addInteger("unsigned __int128", size: 16)
    let alias = b.addConst(b.addTypedef("u64_t", to: u64))
    let btf = try b.build()
    #expect(try Self.format(btf, Self.le(Int16(-2)), s16) == .signed(-2))
    #expect(try Self.format(btf, Self.le(UInt64.max), alias) == .unsigned(.max))
    #expect(try Self.format(btf, [2], bool) == .bool(true))
    #expect(try Self.format(btf, Self.le(UInt64(0x1234)) + Self.le(UInt64(1)), u128) == .string("0x10000000000001234"))
    #expect(try Self.format(btf, Self.le(UInt64(0xab)) + Self.le(UInt64(0)), u128) == .string("0xab"))
  }

  @Test func charArraysAreStringsOnlyWhenTheyReadAsOne() throws {
    var b = BTF.Builder(byteOrder: .little)
    let char = b.addInteger("char", size: 1, encoding: .signed)
    let int = b.addInteger("int", size: 4, encoding: .signed)
    let text = b.addArray(of: char, index: int, count: 4)
    let ints = b.addArray(of: int, index: int, count: 2)
    let btf = try b.build()
    #expect(try Self.format(btf, Array("ab\0z".utf8), text) == .string("ab"))
    // No NUL inside the array, or a control byte: the bytes, as numbers.
    #expect(try Self.format(btf, Array("abcd".utf8), text) == .list([97, 98, 99, 100].map { .signed($0) }))
    #expect(try Self.format(btf, [9, 0, 0, 0], text) == .list([9, 0, 0, 0].map { .signed($0) }))
    #expect(try Self.format(btf, Self.le(Int32(-1)) + Self.le(Int32(3)), ints) == .list([.signed(-1), .signed(3)]))
  }

  @Test func structsEnumsBitfieldsAndUnions() throws {
    var b = BTF.Builder(byteOrder: .little)
    let u32 = b.addInteger("unsigned int", size: 4)
    let kind = b.addEnum("kind", size: 4, isSigned: false, values: [("ONE", 1)])
    let inner = b.addUnion("", size: 4, members: [.init("word", u32, bitOffset: 0)])
    let record = b.addStruct("record", size: 16, members: [
      .init("kind", kind, bitOffset: 0), .init("low", u32, bitOffset: 32, bitfieldSize: 4),
      .init("high", u32, bitOffset: 36, bitfieldSize: 12), .init("", inner, bitOffset: 64),
      .init("other", kind, bitOffset: 96),
    ])
    let btf = try b.build()
    let bytes = Self.le(UInt32(1)) + Self.le(UInt32(0xabc << 4 | 0x9)) + Self.le(UInt32(77)) + Self.le(UInt32(5))
    #expect(try Self.format(btf, bytes, record) == .object([
      .init("kind", .string("ONE")), .init("low", .string("0x9")), .init("high", .string("0xabc")),
      .init("", .object([.init("word", .unsigned(77))])), .init("other", .unsigned(5)),
    ]))
    #expect(try Self.format(btf, bytes, record).compactJSON
      == #"{"kind": "ONE", "low": "0x9", "high": "0xabc", "": {"word": 77}, "other": 5}"#)
  }

  @Test func bigEndianBitfieldsCountFromTheHighBit() throws {
    var b = BTF.Builder(byteOrder: .big)
    let u32 = b.addInteger("unsigned int", size: 4)
    let flags = b.addStruct("flags", size: 4, members: [
      .init("top", u32, bitOffset: 0, bitfieldSize: 3), .init("next", u32, bitOffset: 3, bitfieldSize: 5),
      .init("rest", u32, bitOffset: 8, bitfieldSize: 24),
    ])
    let btf = try b.build()
    // 101 | 10001 | 0x000102
    #expect(try Self.format(btf, Self.be(UInt32(0b101_10001) << 24 | 0x102), flags) == .object([
      .init("top", .string("0x5")), .init("next", .string("0x11")), .init("rest", .string("0x102")),
    ]))
  }

  @Test func shortDataIsATypedErrorNotACrash() throws {
    var b = BTF.Builder(byteOrder: .little)
    let u64 = b.addInteger("unsigned long long", size: 8)
    let pair = b.addStruct("pair", size: 16, members: [.init("a", u64, bitOffset: 0), .init("b", u64, bitOffset: 64)])
    let btf = try b.build()
    #expect(throws: BTFError.self) { try Self.format(btf, [1, 2, 3], u64) }
    #expect(throws: BTFError.self) { try Self.format(btf, [UInt8](repeating: 0, count: 12), pair) }
    #expect(throws: BTFError.self) { try Self.format(btf, [0], BTF.TypeID(0)) }
  }
}
