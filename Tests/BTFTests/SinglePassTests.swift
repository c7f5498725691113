import Foundation
import Testing
import TestSupport
import UAPI
@testable import BTF

/// The parse's one-pass fast path (`SinglePass`) against the precise two
/// passes (index, then `Checker`), which define what is valid: on every
/// input both must accept with the same index, or both reject with the same
/// error. The expected verdicts of the hand-built cases come from the format
/// (Documentation/bpf/btf.rst: a FUNC's type is a FUNC_PROTO, a DATASEC
/// holds VARs and FUNCs) and the kernel's refusal of modifier loops.
@Suite struct SinglePassTests {
  /// What a parse produced: the index, or the error.
  enum Outcome: Equatable {
    case parsed(offsets: [UInt32], kinds: [BTF.Kind])
    case failed(BTFError)
  }

  static func parse(_ bytes: [UInt8], base: BTF? = nil, precise: Bool) -> Outcome {
    do {
      let btf = try BTF(storage: BTF.Storage(array: bytes), base: base, precise: precise)
      return .parsed(offsets: btf.offsets, kinds: btf.kinds)
    } catch {
      return .failed(error)
    }
  }

  /// Whether the fast pass indexed the blob itself (no fallback to the
  /// precise passes; the records it left for the checker may still fail).
  static func fastPassAccepts(_ bytes: [UInt8], base: BTF? = nil) -> Bool {
    let storage = BTF.Storage(array: bytes)
    guard let (order, layout) = try? storage.withSpan({ (span) throws(BTFError) in
      try BTF.parseHeader(span, hasBase: base != nil)
    }) else { return false }
    let first = base.map { UInt32($0.typeCount) } ?? 1
    let strings = (base?.totalStringLength ?? 0) + UInt32(layout.stringLength)
    return storage.withWords(order) { words in
      BTF.SinglePass.run(words, byteCount: bytes.count, layout, firstID: first, totalStrings: strings)
    } != nil
  }

  /// Both paths on every single-byte corruption; returns how many variants
  /// the fast pass indexed itself (so the comparison is not vacuous).
  static func compareCorruptions(of bytes: [UInt8], base: BTF? = nil) -> Int {
    var fastAccepted = 0
    for index in bytes.indices {
      for value: UInt8 in [0x00, 0x01, 0x02, 0x03, 0x0C, 0x13, 0x7F, 0x80, 0xFF] where bytes[index] != value {
        var copy = bytes
        copy[index] = value
        let fast = parse(copy, base: base, precise: false)
        let precise = parse(copy, base: base, precise: true)
        #expect(fast == precise, "byte \(index) = \(value)")
        if fastPassAccepts(copy, base: base) { fastAccepted += 1 }
      }
    }
    return fastAccepted
  }

  @Test(arguments: [ByteOrder.little, .big])
  func agreesWithThePrecisePathOnEveryCorruption(order: ByteOrder) {
    let bytes = ParserTests.allKinds(order).bytes()
    #expect(Self.fastPassAccepts(bytes))
    #expect(Self.compareCorruptions(of: bytes) > 0)
  }

  @Test(arguments: [ByteOrder.little, .big])
  func agreesOnCorruptedSplitBTF(order: ByteOrder) throws {
    let (baseBytes, moduleBytes) = SplitTests.blobs(order)
    let base = try BTF(bytes: baseBytes)
    #expect(Self.fastPassAccepts(moduleBytes, base: base))
    #expect(Self.compareCorruptions(of: moduleBytes, base: base) > 0)
  }

  @Test(arguments: Fixture.objects)
  func acceptsEveryFixtureLikeThePrecisePath(object: URL) throws {
    guard FixtureBTF.toolsAvailable() else { return }
    let bytes = try #require(try FixtureBTF.section(".BTF", of: object))
    #expect(Self.fastPassAccepts(bytes), "\(object.lastPathComponent)")
    let fast = Self.parse(bytes, precise: false)
    #expect(fast == Self.parse(bytes, precise: true))
    guard case .parsed = fast else { Issue.record("\(object.lastPathComponent): \(fast)"); return }
  }

  @Test func acceptsVmlinuxLikeThePrecisePath() throws {
    guard Bpftool.hasVmlinux else {
      #expect(!TestEnvironment.mustNotSkip, "/sys/kernel/btf/vmlinux missing")
      return
    }
    let bytes = try #require(FileManager.default.contents(atPath: Bpftool.vmlinux)).map { $0 }
    #expect(Self.fastPassAccepts(bytes))
    let fast = Self.parse(bytes, precise: false)
    #expect(fast == Self.parse(bytes, precise: true))
    guard case .parsed(let offsets, _) = fast else { Issue.record("vmlinux: \(fast)"); return }
    // bpftool's last "[id]" line is the highest id.
    if let dump = VmlinuxTests.dump(),
       let last = dump.last(where: { $0.hasPrefix("[") }),
       let id = Int(last.dropFirst().prefix { $0 != "]" })
    {
      #expect(offsets.count == id)
    }
  }

  // MARK: What one forward pass cannot judge alone

  /// [1] FUNC 'f' -> [3], [2] INT, [3] FUNC_PROTO: a prototype after its FUNC.
  static func functionBeforeItsPrototype(prototypeKind: UInt32) -> [UInt8] {
    var raw = RawBTF()
    raw.type(name: "f", kind: 12, vlen: 1, sizeOrType: 3)
    raw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])
    if prototypeKind == 13 {
      raw.type(kind: 13, sizeOrType: 2)
    } else {
      raw.type(kind: prototypeKind, sizeOrType: 2)  // CONST -> int: not a prototype
    }
    return raw.bytes()
  }

  @Test func acceptsAFunctionWhosePrototypeComesLater() throws {
    let btf = try BTF(bytes: Self.functionBeforeItsPrototype(prototypeKind: 13))
    #expect(try btf.kind(of: 1) == .function)
    #expect(try btf.kind(of: 3) == .functionPrototype)
  }

  @Test func rejectsAFunctionWhoseLaterTypeIsNoPrototype() throws {
    let bytes = Self.functionBeforeItsPrototype(prototypeKind: 10)
    #expect(throws: BTFError.invalidType(typeID: 1, offset: 24, reason: "FUNC type [3] is not a FUNC_PROTO")) {
      try BTF(bytes: bytes)
    }
    #expect(Self.parse(bytes, precise: false) == Self.parse(bytes, precise: true))
  }

  /// [1] DATASEC '.data' size 4 { [3] at 0, 4 bytes }, [2] INT, [3] VAR or INT.
  static func dataSectionBeforeItsVariable(variable: Bool) -> [UInt8] {
    var raw = RawBTF()
    raw.type(name: ".data", kind: 15, vlen: 1, sizeOrType: 4, [3, 0, 4])
    raw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])
    if variable {
      raw.type(name: "v", kind: 14, sizeOrType: 2, [1])
    } else {
      raw.type(name: "w", kind: 1, sizeOrType: 4, [1 << 24 | 32])
    }
    return raw.bytes()
  }

  @Test func acceptsADataSectionWhoseVariableComesLater() throws {
    let btf = try BTF(bytes: Self.dataSectionBeforeItsVariable(variable: true))
    #expect(try btf.kind(of: 1) == .dataSection)
  }

  @Test func rejectsADataSectionWhoseLaterEntryIsNoVariable() throws {
    let bytes = Self.dataSectionBeforeItsVariable(variable: false)
    #expect(throws: BTFError.invalidType(typeID: 1, offset: 24, reason: "DATASEC entry #0 is not a VAR or FUNC")) {
      try BTF(bytes: bytes)
    }
  }

  /// Random graphs of modifiers, typedefs, arrays and pointers whose targets
  /// point anywhere (earlier, later, themselves): loops are found from the
  /// fast pass's candidate starts exactly as the full walk finds them.
  @Test func findsTheSameLoopsAsTheFullWalk() {
    var generator = SplitMix64(seed: 0x5EED)
    var loops = 0, parsed = 0
    for _ in 0 ..< 3000 {
      let count = Int(generator.next() % 8) + 2
      var raw = RawBTF()
      raw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])  // [1]
      for _ in 1 ..< count {
        let target = UInt32(generator.next() % UInt64(count + 1))  // 0 (void) ... count
        switch generator.next() % 5 {
        case 0: raw.type(kind: 10, sizeOrType: target)              // CONST
        case 1: raw.type(name: "t", kind: 8, sizeOrType: target)     // TYPEDEF
        case 2: raw.type(kind: 3, sizeOrType: 0, [target, 1, 2])     // ARRAY
        case 3: raw.type(kind: 2, sizeOrType: target)                // PTR (ends a chain)
        default: raw.type(name: "tag", kind: 18, sizeOrType: target) // TYPE_TAG
        }
      }
      let bytes = raw.bytes()
      let fast = Self.parse(bytes, precise: false)
      #expect(fast == Self.parse(bytes, precise: true))
      switch fast {
      case .parsed: parsed += 1
      case .failed(.referenceLoop): loops += 1
      case .failed: break
      }
    }
    // Both verdicts occur, so the comparison covers both.
    #expect(loops > 100)
    #expect(parsed > 100)
  }
}
