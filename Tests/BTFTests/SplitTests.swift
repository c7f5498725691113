import Foundation
import Testing
import TestSupport
import UAPI
@testable import BTF

/// Split BTF: a module's types on top of a base (ids continue after the
/// base's last id, string offsets after the base's string table).
@Suite struct SplitTests {
  /// Base: the all-kinds blob (ids 1...19). Module: ids 20...24.
  static func blobs(_ order: ByteOrder, moduleStartsWithEmptyString: Bool = true) -> (base: [UInt8], module: [UInt8]) {
    let base = ParserTests.allKinds(order)
    var module = RawBTF(order: order, firstID: 20, stringBase: UInt32(base.strings.count))
    if !moduleStartsWithEmptyString { module.strings = [] }
    let p = module.string("p"), pairMember = module.string("pair")
    // [20] STRUCT mod_s { struct mod_s *p; struct pair pair; } size 16
    module.type(name: "mod_s", kind: 4, vlen: 2, sizeOrType: 16, [p, 21, 0, pairMember, 4, 64])
    // [21] PTR -> [20]
    module.type(kind: 2, sizeOrType: 20)
    // [22] TYPEDEF named with the base's string "int" (offset 1) -> base [1]
    module.type(nameOff: 1, kind: 8, sizeOrType: 1)
    // [23] VAR modvar -> [20]; [24] DATASEC .bss { modvar at 0, 16 bytes }
    module.type(name: "modvar", kind: 14, sizeOrType: 20, [1])
    module.type(name: ".bss", kind: 15, vlen: 1, sizeOrType: 16, [23, 0, 16])
    return (base.bytes(), module.bytes())
  }

  @Test(arguments: [ByteOrder.little, .big], [true, false])
  func moduleTypesContinueAfterTheBase(order: ByteOrder, emptyFirst: Bool) throws {
    let (baseBytes, moduleBytes) = Self.blobs(order, moduleStartsWithEmptyString: emptyFirst)
    let base = try BTF(bytes: baseBytes)
    let module = try BTF(bytes: moduleBytes, base: base)
    #expect(module.firstLocalID == 20)
    #expect(module.typeCount == 25)
    #expect(module.localTypeIDs == 20 ..< 25)
    // Base types are visible through the module.
    #expect(try module[2] == .pointer(to: 1))
    #expect(try module.nameString(of: 4) == "pair")
    // Module types.
    guard case .struct(let s) = try module[20] else { Issue.record("[20]"); return }
    #expect(try module.string(of: s.name) == "mod_s" && s.size == 16)
    let members = try module.members(of: 20)
    #expect(members[1].type == 4 && members[1].bitOffset == 64)
    #expect(module.name(members[1].name, equals: "pair"))
    #expect(try module.size(of: 20) == 16)
    #expect(try module.resolved(22) == 1)
    #expect(try module.nameString(of: 22) == "int")
    // Lookup spans both: base INT int [1] and module TYPEDEF int [22].
    #expect(module.types(named: "int") == [1, 22])
    #expect(module.types(named: "mod_s") == [20])
    #expect(try module.field("mod_s.pair.b").bitOffset == 64 + 32)
    // Writing a split BTF writes only its own part.
    #expect(try module.encoded() == moduleBytes)
  }

  /// bpftool (libbpf) reads the same split pair the same way.
  @Test(arguments: [ByteOrder.little, .big])
  func splitPairMatchesBpftool(order: ByteOrder) throws {
    guard let bpftool = Bpftool.path else {
      #expect(!TestEnvironment.mustNotSkip, "bpftool missing")
      return
    }
    let (baseBytes, moduleBytes) = Self.blobs(order)
    let dir = try FixtureBTF.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let basePath = dir.appendingPathComponent("base.btf"), modulePath = dir.appendingPathComponent("module.btf")
    try Data(baseBytes).write(to: basePath)
    try Data(moduleBytes).write(to: modulePath)
    let result = try runTool(bpftool, ["--base-btf", basePath.path, "btf", "dump", "file", modulePath.path])
    #expect(result.status == 0)
    let module = try BTF(contentsOf: modulePath.path, base: BTF(contentsOf: basePath.path))
    #expect(try BpftoolFormat.dump(module) == result.output.split(separator: "\n").map(String.init))
  }

  @Test func moduleRejectsIDsAndStringsPastTheCombinedRange() throws {
    let base = try BTF(bytes: ParserTests.allKinds(.little).bytes())
    var module = RawBTF(firstID: 20, stringBase: UInt32(ParserTests.allKinds(.little).strings.count))
    module.type(kind: 2, sizeOrType: 21)  // [20] PTR -> [21]: does not exist
    #expect(throws: BTFError.typeIDOutOfRange(typeID: 20, offset: 24, referenced: 21)) {
      try BTF(bytes: module.bytes(), base: base)
    }
    var names = RawBTF(firstID: 20, stringBase: 0)
    names.type(nameOff: 5000, kind: 8, sizeOrType: 1)
    #expect(throws: BTFError.stringOffsetOutOfRange(typeID: 20, offset: 24, stringOffset: 5000)) {
      try BTF(bytes: names.bytes(), base: base)
    }
  }

  static let moduleNames: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/kernel/btf")) ?? []
    return names.filter { $0 != "vmlinux" }.sorted()
  }()

  /// Real module BTF, when the kernel has modules (this one has none).
  @Test(.enabled(if: !moduleNames.isEmpty, "no module BTF in /sys/kernel/btf (CONFIG_MODULES off)"))
  func kernelModulesMatchBpftool() throws {
    let vmlinux = try BTF(contentsOf: Bpftool.vmlinux)
    for name in Self.moduleNames.prefix(5) {
      let module = try BTF.kernelModule(name, vmlinux: vmlinux)
      #expect(module.firstLocalID.rawValue == UInt32(vmlinux.typeCount))
      guard let bpftool = Bpftool.path else { continue }
      let result = try runTool(bpftool, ["--base-btf", Bpftool.vmlinux, "btf", "dump", "file", "/sys/kernel/btf/\(name)"])
      let expected = result.output.split(separator: "\n").map(String.init)
      #expect(try BpftoolFormat.dump(module) == expected)
    }
  }
}
