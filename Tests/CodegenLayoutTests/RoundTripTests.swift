import SwiftBPF
import Testing
import TestSupport

/// Bitfield, union, packed and anonymous-member accessors of the generated
/// types against C: the values are Fixtures/include/layout_types.h's
/// LAYOUT_* constants, which clang encoded into the object's `.data`
/// initialisers and which layout.bpf.c's programs write and check.
@Suite struct RoundTripTests {
  static let path = Fixture.object("layout.bpf.o").path

  /// A variable's initial bytes in `.data`, as clang encoded them.
  static func initial<T: BitwiseCopyable>(_ name: String, in file: String, as type: T.Type) throws -> T {
    let object = try ObjectFile(path: Fixture.object(file).path)
    let section = try #require(object.dataSections.first { $0.name == ".data" })
    let bytes = try #require(section.initialBytes)
    let variable = try #require(section.variables.first { $0.name == name }, "\(name) in .data")
    let start = Int(variable.offset)
    try #require(Int(variable.size) == MemoryLayout<T>.size && start + Int(variable.size) <= bytes.count)
    return bytes[start ..< start + Int(variable.size)].withUnsafeBytes { $0.loadUnaligned(as: T.self) }
  }

  static func expectKnownBits(_ bits: Bits, _ where_: String) {
    #expect(bits.flag == 1, "\(where_)")
    #expect(bits.small == -3, "\(where_)")
    #expect(bits.mid == 0xabcde, "\(where_)")
    #expect(bits.color == .colorBlue, "\(where_)")
    #expect(bits.ok, "\(where_)")
    #expect(bits.tag == 0x5a, "\(where_)")
    #expect(bits.low == 0xfedcb, "\(where_)")
    #expect(bits.across == 0xa_bcde_f123, "\(where_)")
    #expect(bits.negative == -12_345_678, "\(where_)")
  }

  static func expectKnownPackedBits(_ bits: PackedBits, _ where_: String) {
    #expect(bits.head == 0xc3, "\(where_)")
    #expect(bits.straddle == 0x2345_6789, "\(where_)")
    #expect(bits.rest == 2, "\(where_)")
    #expect(bits.tail == 0xbeef, "\(where_)")
  }

  static let wide: UInt64 = 0x1122_3344_5566_7788

  @Test func accessorsReadClangsInitialisers() throws {
    Self.expectKnownBits(try Self.initial("g_init_bits", in: "layout.bpf.o", as: Bits.self), ".data g_init_bits")
    Self.expectKnownPackedBits(
      try Self.initial("g_init_packed_bits", in: "layout.bpf.o", as: PackedBits.self), ".data g_init_packed_bits")
    let value = try Self.initial("g_init_value", in: "layout.bpf.o", as: Value.self)
    #expect(value.wide == Self.wide)
    // Little-endian: the low half of the 64-bit member is the 32-bit one.
    #expect(value.word == 0x5566_7788)
    #expect(value.halves.lo == 0x7788 && value.halves.hi == 0x5566)
    #expect((0 ..< 4).map { value.bytes[$0] } == [0x88, 0x77, 0x66, 0x55])
  }

  /// Setting through the accessors gives exactly the bytes clang wrote.
  @Test func accessorsWriteClangsEncoding() throws {
    var bits = Bits()
    bits.flag = 1
    bits.small = -3
    bits.mid = 0xabcde
    bits.color = .colorBlue
    bits.ok = true
    bits.tag = 0x5a
    bits.low = 0xfedcb
    bits.across = 0xa_bcde_f123
    bits.negative = -12_345_678
    let clang = try Self.initial("g_init_bits", in: "layout.bpf.o", as: Bits.self)
    // Compare the bits C uses: the padding bits clang leaves are zero too.
    #expect(withUnsafeBytes(of: bits, Array.init) == withUnsafeBytes(of: clang, Array.init))

    var packed = PackedBits()
    packed.head = 0xc3
    packed.straddle = 0x2345_6789
    packed.rest = 2
    packed.tail = 0xbeef
    let clangPacked = try Self.initial("g_init_packed_bits", in: "layout.bpf.o", as: PackedBits.self)
    #expect(withUnsafeBytes(of: packed, Array.init) == withUnsafeBytes(of: clangPacked, Array.init))
  }

  @Test func unknownEnumValuesSurvive() {
    var bits = Bits()
    bits.color = Color(rawValue: 5)
    #expect(bits.color.rawValue == 5)
    #expect(ES64(rawValue: -2) != .eS64Min)
  }

  @Test func charArraysReadAsStrings() {
    var arrays = Arrays()
    arrays.nameString = "swiftbpf"
    #expect(arrays.nameString == "swiftbpf")
    #expect(arrays.name[8] == 0)
    arrays.nameString = String(repeating: "x", count: 40)
    #expect(arrays.nameString.count == 15)
  }

  @Test func flexibleArrayElementsFollowTheRecord() {
    var event = FlexEvent()
    event.len = 3
    var record = withUnsafeBytes(of: event, Array.init).prefix(FlexEvent.dataOffset)
    record += [7, 8, 9]
    #expect(FlexEvent.data(in: Array(record).span.bytes) == [7, 8, 9])
  }

  static func load() throws -> LoadedObject {
    try Object.open(path: path).load()
  }

  @Test(.kernel) func accessorsReadWhatTheProgramWrote() throws {
    let loaded = try Self.load()
    defer { loaded.close() }
    let program = try #require(loaded.program(named: "write_known"))
    #expect(try program.testRun().returnValue == 0)
    Self.expectKnownBits(try loaded.variable("g_bits", as: Bits.self), "g_bits")
    Self.expectKnownPackedBits(try loaded.variable("g_packed_bits", as: PackedBits.self), "g_packed_bits")
    let packed = try loaded.variable("g_packed", as: PackedRec.self)
    #expect(packed.kind == 0x7f && packed.value == 0xdead_beef && packed.port == 8080)
    #expect(packed.stamp == 0x0102_0304_0506_0708)
    #expect(try loaded.variable("g_value", as: Value.self).wide == Self.wide)
    let outer = try loaded.variable("g_outer", as: Outer.self)
    #expect(outer.asFloat == 1.5 && outer.k == 7 && outer.v == 9)
  }

  @Test(.kernel) func programReadsWhatSwiftWrote() throws {
    let loaded = try Self.load()
    defer { loaded.close() }
    var bits = Bits()
    bits.flag = 1
    bits.small = -3
    bits.mid = 0xabcde
    bits.color = .colorBlue
    bits.ok = true
    bits.tag = 0x5a
    bits.low = 0xfedcb
    bits.across = 0xa_bcde_f123
    bits.negative = -12_345_678
    try loaded.setVariable("g_in_bits", to: bits)
    var packedBits = PackedBits()
    packedBits.head = 0xc3
    packedBits.straddle = 0x2345_6789
    packedBits.rest = 2
    packedBits.tail = 0xbeef
    try loaded.setVariable("g_in_packed_bits", to: packedBits)
    var packed = PackedRec()
    packed.kind = 0x7f
    packed.value = 0xdead_beef
    packed.port = 8080
    packed.stamp = 0x0102_0304_0506_0708
    try loaded.setVariable("g_in_packed", to: packed)
    var value = Value()
    value.halves.lo = 0x1234
    value.halves.hi = 0xabcd
    try loaded.setVariable("g_in_value", to: value)
    var outer = Outer()
    outer.asFloat = 1.5
    outer.k = 7
    outer.v = 9
    try loaded.setVariable("g_in_outer", to: outer)
    let program = try #require(loaded.program(named: "check_written"))
    let line = try program.testRun().returnValue
    #expect(line == 0, "check_written failed at layout.bpf.c:\(line)")
  }
}
