import Foundation
import Testing
import TestSupport
import UAPI
@testable import BTF

/// The rewrite table of `BTF.sanitized(for:)` (libbpf's, for older kernels)
/// applied to the hand-built blob with one type of every kind.
@Suite struct SanitizerTests {
  @Test func fullSupportChangesNothing() throws {
    let bytes = ParserTests.allKinds(.little).bytes()
    let btf = try BTF(bytes: bytes)
    #expect(try btf.sanitized(for: .all) == bytes)
  }

  @Test(arguments: [ByteOrder.little, .big])
  func minimalKernelKeepsIDs(order: ByteOrder) throws {
    let btf = try BTF(bytes: ParserTests.allKinds(order).bytes())
    let out = try BTF(bytes: btf.sanitized(for: .minimal))
    // One type more: the ENUM64 placeholder INT, appended last.
    #expect(out.typeCount == btf.typeCount + 1)
    let kinds = try out.allTypeIDs.map { try out.kind(of: BTF.TypeID($0)) }
    // Built ids: 12 FUNC_PROTO, 13 FUNC, 14 VAR, 15 DATASEC, 16 FLOAT,
    // 17 DECL_TAG, 18 TYPE_TAG, 19 ENUM64, 20 placeholder.
    #expect(kinds == [
      .integer, .pointer, .array, .struct, .union, .enum, .forward, .typedef, .volatile, .const, .restrict,
      .enum, .typedef, .integer, .struct, .struct, .integer, .const, .union, .integer,
    ])
    // Signed ENUM lost its flag; values keep their bits.
    guard case .enum(let e) = try out[6] else { Issue.record("[6]"); return }
    #expect(!e.isSigned)
    // DATASEC '.data' became STRUCT '_data' with member 'v' at byte 8 of type [14].
    guard case .struct(let section) = try out[15] else { Issue.record("[15]"); return }
    #expect(try out.string(of: section.name) == "_data" && section.size == 16)
    let members = try out.members(of: 15)
    #expect(members.count == 1 && members[0].bitOffset == 64 && members[0].type == 14)
    #expect(out.name(members[0].name, equals: "v"))
    // FLOAT became an anonymous 8-byte STRUCT.
    guard case .struct(let float) = try out[16] else { Issue.record("[16]"); return }
    #expect(float.name.isAnonymous && float.size == 8)
    // FUNC became TYPEDEF 'f' of the prototype, now an ENUM of 4 bytes.
    #expect(try out.resolved(13, throughTypedefs: false) == 13)
    guard case .typedef(let function) = try out[13] else { Issue.record("[13]"); return }
    #expect(function.type == 12 && out.name(function.name, equals: "f"))
    // ENUM64 became a UNION of the placeholder.
    let union = try out.members(of: 19)
    #expect(union.allSatisfy { $0.type == 20 && $0.bitOffset == 0 })
    guard case .integer(let placeholder) = try out[20] else { Issue.record("[20]"); return }
    #expect(placeholder.size == 1 && out.name(placeholder.name, equals: "enum64_placeholder"))
  }

  @Test func onlyLinkageUnsupportedMakesFunctionsStatic() throws {
    let btf = try BTF(bytes: ParserTests.allKinds(.little).bytes())
    var support = BTF.KernelSupport.all
    support.globalFunctions = false
    let out = try BTF(bytes: btf.sanitized(for: support))
    #expect(out.typeCount == btf.typeCount)
    guard case .function(let f) = try out[13] else { Issue.record("[13]"); return }
    #expect(f.linkage == .static)
  }

  @Test func questionMarkSectionsAreRenamed() throws {
    var raw = RawBTF()
    raw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])
    raw.type(name: "x", kind: 14, sizeOrType: 1, [1])
    raw.type(name: "?.maybe", kind: 15, vlen: 1, sizeOrType: 4, [2, 0, 4])
    let btf = try BTF(bytes: raw.bytes())
    var support = BTF.KernelSupport.all
    support.questionMarkDataSections = false
    let out = try BTF(bytes: btf.sanitized(for: support))
    guard case .dataSection(let section) = try out[3] else { Issue.record("[3]"); return }
    #expect(try out.string(of: section.name) == "_.maybe")
  }

  @Test func vmlinuxSanitizesForMinimalKernel() throws {
    guard let btf = try VmlinuxTests.vmlinux() else { return }
    let out = try BTF(bytes: btf.sanitized(for: .minimal))
    // vmlinux has ENUM64s, so one placeholder is appended.
    #expect(out.typeCount == btf.typeCount + 1)
    for raw in out.allTypeIDs {
      let kind = try out.kind(of: BTF.TypeID(raw))
      #expect(BTF.KernelSupport.minimal.kinds.contains(kind))
    }
  }

  /// bpftool (libbpf) parses every sanitized variant of every fixture's
  /// .BTF the same way we do.
  @Test(arguments: Fixture.objects)
  func sanitizedFixturesParseInBpftool(object: URL) throws {
    guard FixtureBTF.toolsAvailable() else { return }
    let btf = try BTF(bytes: try #require(try FixtureBTF.section(".BTF", of: object)))
    var noFunctions = BTF.KernelSupport.all
    noFunctions.kinds.subtract([.function, .functionPrototype])
    var noDataSections = BTF.KernelSupport.all
    noDataSections.kinds.subtract([.variable, .dataSection])
    for support in [BTF.KernelSupport.minimal, noFunctions, noDataSections] {
      let bytes = try btf.sanitized(for: support)
      let out = try BTF(bytes: bytes)
      #expect(out.typeCount >= btf.typeCount && out.typeCount <= btf.typeCount + 1)
      let expected = try #require(try FixtureBTF.bpftoolDump(bytes), "bpftool refused sanitized \(object.lastPathComponent)")
      #expect(try BpftoolFormat.dump(out) == expected.map(String.init))
    }
  }
}
