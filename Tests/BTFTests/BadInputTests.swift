import Testing
import UAPI
@testable import BTF

/// Malformed blobs, hand-encoded: each must give the typed error that names
/// the offset and type id (records start at offset 24, right after the header).
@Suite struct BadInputTests {
  static func int(_ raw: inout RawBTF) {
    raw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])
  }

  @Test func rejectsTruncatedHeader() throws {
    let bytes = ParserTests.allKinds(.little).bytes()
    for length in 0 ..< 24 {
      #expect(throws: BTFError.self) { try BTF(bytes: Array(bytes.prefix(length))) }
    }
    #expect(throws: BTFError.truncated(offset: 0, needed: 4)) { try BTF(bytes: [0x9F, 0xEB]) }
  }

  @Test func rejectsBadMagicAndVersion() throws {
    var bytes = ParserTests.allKinds(.little).bytes()
    bytes[0] = 0x12
    #expect(throws: BTFError.badMagic(offset: 0, found: 0xEB12)) { try BTF(bytes: bytes) }
    bytes[0] = 0x9F
    bytes[2] = 2
    #expect(throws: BTFError.unsupportedVersion(2)) { try BTF(bytes: bytes) }
  }

  @Test func rejectsSectionsPastTheEnd() throws {
    let bytes = ParserTests.allKinds(.little).bytes()
    #expect(throws: BTFError.self) { try BTF(bytes: Array(bytes.dropLast())) }
  }

  @Test func rejectsStringOffsetPastTheEnd() throws {
    var raw = RawBTF()
    raw.type(nameOff: 1000, kind: 1, sizeOrType: 4, [32])
    #expect(throws: BTFError.stringOffsetOutOfRange(typeID: 1, offset: 24, stringOffset: 1000)) {
      try BTF(bytes: raw.bytes())
    }
  }

  @Test func rejectsTypeIDPointingNowhere() throws {
    var raw = RawBTF()
    Self.int(&raw)
    raw.type(kind: 2, sizeOrType: 99)  // [2] PTR -> [99], at 24 + 16
    #expect(throws: BTFError.typeIDOutOfRange(typeID: 2, offset: 40, referenced: 99)) {
      try BTF(bytes: raw.bytes())
    }
  }

  /// clang writes `extern void sym __ksym;` (an untyped ksym, as libbpf's
  /// selftests and cilium/ebpf's testdata use) as a VAR of type void with
  /// extern linkage: that must parse; a non-extern VAR of type void must not.
  @Test func acceptsUntypedExternVariableOnly() throws {
    for (linkage, valid) in [(UInt32(2), true), (1, false), (0, false)] {
      var raw = RawBTF()
      raw.type(name: "ksym", kind: 14, sizeOrType: 0, [linkage])
      if valid {
        let btf = try BTF(bytes: raw.bytes())
        guard case .variable(let variable) = try btf[BTF.TypeID(rawValue: 1)] else {
          Issue.record("not a VAR")
          continue
        }
        #expect(variable.type.isVoid)
      } else {
        #expect(throws: BTFError.self, "linkage \(linkage)") { try BTF(bytes: raw.bytes()) }
      }
    }
  }

  @Test func rejectsStructThatContainsItselfThroughATypedefLoop() throws {
    var raw = RawBTF()
    let m = raw.string("m")
    // [1] STRUCT s { t m; }  [2] TYPEDEF t -> [3]  [3] CONST -> [2]
    raw.type(name: "s", kind: 4, vlen: 1, sizeOrType: 4, [m, 2, 0])
    raw.type(name: "t", kind: 8, sizeOrType: 3)  // at 24 + 24
    raw.type(kind: 10, sizeOrType: 2)
    #expect(throws: BTFError.referenceLoop(typeID: 2, offset: 48)) { try BTF(bytes: raw.bytes()) }
  }

  @Test func rejectsSelfReferentialModifier() throws {
    var raw = RawBTF()
    raw.type(kind: 9, sizeOrType: 1)  // [1] VOLATILE -> [1]
    #expect(throws: BTFError.referenceLoop(typeID: 1, offset: 24)) { try BTF(bytes: raw.bytes()) }
  }

  @Test func rejectsArrayOfItself() throws {
    var raw = RawBTF()
    raw.type(kind: 3, sizeOrType: 0, [1, 1, 2])  // [1] ARRAY of [1]
    #expect(throws: BTFError.referenceLoop(typeID: 1, offset: 24)) { try BTF(bytes: raw.bytes()) }
  }

  /// A struct that contains itself by value (anonymously) parses, but
  /// queries that recurse into members stop with an error, not a crash.
  @Test func selfContainingStructStopsRecursiveQueries() throws {
    var raw = RawBTF()
    raw.type(name: "s", kind: 4, vlen: 1, sizeOrType: 4, [0, 1, 0])  // [1] struct s { struct s; }
    let btf = try BTF(bytes: raw.bytes())
    #expect(throws: BTFError.referenceLoop(typeID: 1, offset: 24)) { try btf.alignment(of: 1) }
    #expect(throws: BTFError.referenceLoop(typeID: 1, offset: 24)) { try btf.field("s.x") }
  }

  @Test func rejectsUnknownKind() throws {
    var raw = RawBTF()
    Self.int(&raw)
    raw.type(kind: 25, sizeOrType: 0)
    #expect(throws: BTFError.unknownKind(typeID: 2, offset: 40, kind: 25)) { try BTF(bytes: raw.bytes()) }
  }

  @Test func rejectsVlenPastTheEnd() throws {
    var raw = RawBTF()
    let a = raw.string("a")
    // STRUCT with vlen 5 but one member's worth of bytes.
    raw.type(name: "s", kind: 4, vlen: 5, sizeOrType: 4, [a, 0, 0])
    #expect(throws: BTFError.vlenPastEnd(typeID: 1, offset: 24, vlen: 5)) { try BTF(bytes: raw.bytes()) }
  }

  @Test func rejectsDataSectionVariableOutsideTheSection() throws {
    var raw = RawBTF()
    Self.int(&raw)
    raw.type(name: "v", kind: 14, sizeOrType: 1, [1])
    raw.type(name: ".data", kind: 15, vlen: 1, sizeOrType: 4, [2, 2, 4])  // [2, 6) in 4 bytes
    #expect(throws: BTFError.dataSectionVariableOutOfRange(typeID: 3, offset: 56, index: 0)) {
      try BTF(bytes: raw.bytes())
    }
  }

  @Test func rejectsFunctionWhoseTypeIsNotAPrototype() throws {
    var raw = RawBTF()
    Self.int(&raw)
    raw.type(name: "f", kind: 12, sizeOrType: 1)
    #expect(throws: BTFError.invalidType(typeID: 2, offset: 40, reason: "FUNC type [1] is not a FUNC_PROTO")) {
      try BTF(bytes: raw.bytes())
    }
  }

  @Test func rejectsBadIntegerAndFlags() throws {
    var raw = RawBTF()
    raw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 40])  // 40 bits in 4 bytes
    #expect(throws: BTFError.self) { try BTF(bytes: raw.bytes()) }
    var flagged = RawBTF()
    flagged.type(kind: 2, flag: true, sizeOrType: 0)  // kind_flag on PTR
    #expect(throws: BTFError.self) { try BTF(bytes: flagged.bytes()) }
  }

  @Test func rejectsStringTableWithoutTerminator() throws {
    var raw = RawBTF()
    Self.int(&raw)
    raw.strings.append(UInt8(ascii: "x"))
    #expect(throws: BTFError.self) { try BTF(bytes: raw.bytes()) }
  }

  @Test func queriesRejectMissingIDsAndWrongKinds() throws {
    let btf = try BTF(bytes: ParserTests.allKinds(.little).bytes())
    #expect(throws: BTFError.noSuchType(20)) { try btf[20] }
    #expect(throws: BTFError.wrongKind(typeID: 1, expected: "STRUCT or UNION", found: "INT")) {
      try btf.members(of: 1)
    }
    #expect(throws: BTFError.self) { try btf.size(of: 13) }  // FUNC has no size
    #expect(throws: BTFError.typeNotFound(name: "nope")) { try btf.type(named: "nope", kind: .struct) }
  }

  /// Every single-byte corruption of a valid blob either parses or throws;
  /// when it parses, every query on every type is safe.
  @Test(arguments: [ByteOrder.little, .big])
  func corruptedBytesNeverCrash(order: ByteOrder) throws {
    let bytes = ParserTests.allKinds(order).bytes()
    var parsed = 0
    for index in bytes.indices {
      for value: UInt8 in [0x00, 0x01, 0x13, 0x7F, 0x80, 0xFF] where bytes[index] != value {
        var copy = bytes
        copy[index] = value
        guard let btf = try? BTF(bytes: copy) else { continue }
        parsed += 1
        for raw in btf.allTypeIDs {
          let id = BTF.TypeID(raw)
          _ = try? BpftoolFormat.lines(btf, id)
          _ = try? btf.size(of: id)
          _ = try? btf.alignment(of: id)
          _ = try? btf.resolved(id)
          _ = try? btf.encoded()
          _ = try? btf.sanitized(for: .minimal)
        }
        _ = btf.types(named: "pair")
        _ = btf.types(essentialName: "pair")
      }
    }
    #expect(parsed > 0)
  }
}
