import Foundation
import TestSupport
import Testing
import UAPI
@testable import BTF

/// Valid BTF the parser used to refuse: forward-declared enums (clang's
/// `enum E;`) and the 32-byte header with a layout section, whose entries
/// let a reader step over kinds it does not know. Expected bytes are laid
/// out by hand from include/uapi/linux/btf.h (`struct btf_layout`
/// {info_sz, elem_sz, flags}, `layout_off`/`layout_len` after `str_len`).
@Suite struct ForwardEnumAndLayoutTests {
  // MARK: Forward-declared enums

  @Test(arguments: [UInt32(6), 19])
  func forwardDeclaredEnumParsesOnBothPaths(kind: UInt32) throws {
    var raw = RawBTF()
    let e = raw.type(name: "fwd", kind: kind, sizeOrType: 0)
    raw.type(kind: 2, sizeOrType: e)
    for precise in [false, true] {
      let btf = try BTF(storage: .init(array: raw.bytes()), base: nil, precise: precise)
      let descriptor = try btf[BTF.TypeID(e)]
      #expect(descriptor.kind.rawValue == UInt8(kind))
      #expect(try btf.size(of: BTF.TypeID(e)) == 0)
    }
  }

  /// Only an enum without values may have size 0.
  @Test func sizeZeroEnumWithValuesIsRefused() throws {
    var raw = RawBTF()
    raw.type(name: "bad", kind: 6, vlen: 1, sizeOrType: 0, [raw.string("A"), 1])
    #expect(throws: BTFError.self) { try BTF(bytes: raw.bytes()) }
  }

  /// The kernel refuses size 0 ("Unexpected size"); the sanitized blob
  /// gives the enum size 4 and keeps every id.
  @Test func sanitizerSizesForwardEnums() throws {
    var raw = RawBTF()
    let e = raw.type(name: "fwd", kind: 6, sizeOrType: 0)
    raw.type(kind: 2, sizeOrType: e)
    let btf = try BTF(bytes: raw.bytes())
    for support in [BTF.KernelSupport.all, .minimal] {
      let sanitized = try BTF(bytes: try btf.sanitized(for: support))
      guard case .enum(let fixed) = try sanitized[BTF.TypeID(e)] else {
        Issue.record("not an ENUM"); continue
      }
      #expect(fixed.size == 4 && fixed.count == 0)
      #expect(sanitized.typeCount == btf.typeCount)
    }
  }

  /// Fixture enum_fwd.bpf.o: clang's own encoding, as bpftool prints it.
  @Test func clangForwardEnumFixtureParses() throws {
    let url = Fixture.directory.appendingPathComponent("obj/enum_fwd.bpf.o")
    let bytes = try #require(try FixtureBTF.section(".BTF", of: url))
    let btf = try BTF(bytes: bytes)
    let id = try #require(btf.firstType(named: "fwd_state", kind: .enum))
    guard case .enum(let e) = try btf[id] else { Issue.record("not an ENUM"); return }
    #expect(e.size == 0 && e.count == 0)
    if let dump = try FixtureBTF.bpftoolDump(bytes) {
      #expect(dump.contains { $0.hasSuffix("ENUM 'fwd_state' encoding=UNSIGNED size=0 vlen=0") })
    }
  }

  // MARK: Layout section

  /// Header (32 bytes) + types + layout + strings, as pahole/libbpf lay it out.
  static func withLayout(_ raw: RawBTF, layout: [(UInt8, UInt8, UInt16)], headerLength: UInt32 = 32,
                         layoutOffset: UInt32? = nil, tail: [UInt8] = []) -> [UInt8] {
    var out: [UInt8] = [0x9F, 0xEB, 1, 0]
    func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    let layoutBytes = layout.flatMap { [$0.0, $0.1, UInt8($0.2 & 0xFF), UInt8($0.2 >> 8)] }
    u32(headerLength)
    u32(0)
    u32(UInt32(raw.types.count))
    u32(UInt32(raw.types.count + layoutBytes.count))  // str_off
    u32(UInt32(raw.strings.count))
    u32(layoutOffset ?? UInt32(raw.types.count))
    u32(UInt32(layoutBytes.count))
    out += tail
    out += [UInt8](repeating: 0, count: Int(headerLength) - 32 - tail.count)
    return out + raw.types + layoutBytes + raw.strings
  }

  /// libbpf's table for the 20 known kinds (info_sz, elem_sz).
  static let knownLayout: [(UInt8, UInt8, UInt16)] = [
    (0, 0, 0), (4, 0, 0), (0, 0, 0), (12, 0, 0), (0, 12, 0), (0, 12, 0), (0, 8, 0), (0, 0, 0), (0, 0, 0),
    (0, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0), (0, 8, 0), (4, 0, 0), (0, 12, 0), (0, 0, 0), (4, 0, 0),
    (0, 0, 0), (0, 12, 0),
  ]

  /// int, an unknown kind 20 (4-byte info, two 8-byte elements), then a
  /// pointer to int: its id must be 3 and its target 1.
  static func blobWithUnknownKind(kind: UInt32 = 20) -> RawBTF {
    var raw = RawBTF()
    raw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])
    raw.type(name: "newkind", kind: kind, vlen: 2, sizeOrType: 7, [0xAAAA, 1, 2, 3, 4])
    raw.type(kind: 2, sizeOrType: 1)
    return raw
  }

  @Test(arguments: [UInt32(20), 31, 100])
  func unknownKindIsSteppedOverWithTheLayout(kind: UInt32) throws {
    var layout = Self.knownLayout
    while layout.count <= Int(kind) { layout.append((4, 8, 0)) }
    let bytes = Self.withLayout(Self.blobWithUnknownKind(kind: kind), layout: layout)
    for precise in [false, true] {
      let btf = try BTF(storage: .init(array: bytes), base: nil, precise: precise)
      #expect(btf.typeCount == 4)
      #expect(try btf.kind(of: BTF.TypeID(2)) == .unknown)
      guard case .unknown(let t) = try btf[BTF.TypeID(2)] else { Issue.record("not unknown"); continue }
      #expect(t.kindNumber == UInt8(kind) && t.vlen == 2 && t.sizeOrType == 7)
      #expect(try btf.nameString(of: BTF.TypeID(2)) == "newkind")
      #expect(try btf[BTF.TypeID(3)] == .pointer(to: BTF.TypeID(1)))
      // The writer cannot encode what it does not know: a typed error.
      #expect(throws: BTFError.self) { try btf.encoded() }
    }
  }

  /// Without a layout entry for it, an unknown kind is still an error.
  @Test func unknownKindWithoutLayoutIsRefused() throws {
    let raw = Self.blobWithUnknownKind()
    #expect(throws: BTFError.unknownKind(typeID: 2, offset: 24 + 16, kind: 20)) { try BTF(bytes: raw.bytes()) }
    let short = Self.withLayout(raw, layout: Array(Self.knownLayout.prefix(20)))
    #expect(throws: BTFError.unknownKind(typeID: 2, offset: 32 + 16, kind: 20)) { try BTF(bytes: short) }
  }

  /// A layout for known kinds only changes nothing; bad layouts are typed errors.
  @Test func layoutHeaderRules() throws {
    var raw = RawBTF()
    raw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])
    let plain = try BTF(bytes: raw.bytes())
    let withLayout = try BTF(bytes: Self.withLayout(raw, layout: Self.knownLayout))
    #expect(try withLayout[BTF.TypeID(1)] == plain[BTF.TypeID(1)])
    // Re-encoded for the kernel: a 24-byte header, no layout section.
    let encoded = try withLayout.encoded()
    #expect(encoded[4] == 24)
    #expect(try BTF(bytes: encoded)[BTF.TypeID(1)] == plain[BTF.TypeID(1)])

    // layout_len not a multiple of 4, misaligned, overlapping the types.
    var odd = Self.withLayout(raw, layout: Self.knownLayout)
    odd[28] = 3
    #expect(throws: BTFError.self) { try BTF(bytes: odd) }
    #expect(throws: BTFError.self) { try BTF(bytes: Self.withLayout(raw, layout: Self.knownLayout, layoutOffset: 2)) }
    #expect(throws: BTFError.self) { try BTF(bytes: Self.withLayout(raw, layout: Self.knownLayout, layoutOffset: 0)) }
    // A longer header: zero bytes past the layout fields are fine, others not.
    #expect(throws: Never.self) { try BTF(bytes: Self.withLayout(raw, layout: Self.knownLayout, headerLength: 40)) }
    #expect(throws: BTFError.self) {
      try BTF(bytes: Self.withLayout(raw, layout: Self.knownLayout, headerLength: 40, tail: [1]))
    }
  }

  /// Split BTF without a layout of its own uses its base's (libbpf's rule).
  @Test func splitBTFUsesTheBaseLayout() throws {
    var baseRaw = RawBTF()
    baseRaw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])
    var layout = Self.knownLayout
    layout.append((4, 8, 0))
    let base = try BTF(bytes: Self.withLayout(baseRaw, layout: layout))
    var split = RawBTF(firstID: 2, stringBase: UInt32(baseRaw.strings.count))
    split.strings = []
    split.type(nameOff: 0, kind: 20, vlen: 1, sizeOrType: 0, [9, 8, 7])
    split.type(kind: 2, sizeOrType: 1)
    let btf = try BTF(bytes: split.bytes(), base: base)
    #expect(try btf.kind(of: BTF.TypeID(2)) == .unknown)
    #expect(try btf[BTF.TypeID(3)] == .pointer(to: BTF.TypeID(1)))
  }
}
