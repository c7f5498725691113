import BTF
import ELFReader
import Foundation
import Testing
import TestSupport

@testable import Codegen

/// Determinism and naming of the generated declarations (their layout is
/// proved by the compiled layout targets).
@Suite struct SwiftTypeGeneratorTests {
  static let layout = Fixture.object("layout.bpf.o").path

  /// Each declaration of a generated file, keyed by its type name.
  static func declarations(_ text: String) -> [String: String] {
    var result: [String: String] = [:]
    for block in text.components(separatedBy: "\n\n/// ") {
      guard let line = block.split(separator: "\n").first(where: { $0.contains(" struct ") }),
            let name = line.split(separator: " ").drop(while: { $0 != "struct" }).dropFirst().first
      else { continue }
      result[String(name.prefix { $0 != ":" })] = block.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return result
  }

  @Test func generatingTwiceGivesTheSameBytes() throws {
    let object = try ObjectFile(path: Self.layout)
    let first = try TypesFile.generate(object: object)
    let second = try TypesFile.generate(object: try ObjectFile(path: Self.layout))
    #expect(first == second)
    #expect(!first.isEmpty)
  }

  /// Asking for the types in another order registers them in another order;
  /// the file is the same.
  @Test func registrationOrderDoesNotMatter() throws {
    let object = try ObjectFile(path: Self.layout)
    var forward = try TypesFile.generator(for: object, options: .init())
    var backward = forward
    let ids = forward.btf.allTypeIDs.map { BTF.TypeID($0) }.filter { id in
      if case .struct(let c)? = try? forward.btf[id] { return !c.name.isAnonymous }
      return false
    }
    for id in ids { _ = try forward.typeReference(for: id) }
    for id in ids.reversed() { _ = try backward.typeReference(for: id) }
    #expect(forward.declarations() == backward.declarations())
  }

  /// An extra `--type` adds declarations and changes none of the others.
  @Test func anExtraTypeLeavesTheOthersUnchanged() throws {
    let object = try ObjectFile(path: Fixture.object("core.bpf.o").path)
    let plain = Self.declarations(try TypesFile.generate(object: object))
    let extra = Self.declarations(try TypesFile.generate(object: object, extraTypes: ["task_struct", "sk_buff"]))
    #expect(extra.count > plain.count)
    for (name, text) in plain { #expect(extra[name] == text, "\(name) changed") }
  }

  /// The corpus built again with one more type ahead of all others (every
  /// type id moves): every declaration is the same, names included.
  @Test func anUnrelatedTypeInTheBTFLeavesNamesUnchanged() throws {
    guard let clang = Toolchain.tool("clang") else {
      #expect(!TestEnvironment.mustNotSkip, "clang missing at \(Toolchain.binDirectory)")
      return
    }
    let root = Fixture.packageRoot.path
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("layout-extra-\(getpid()).o").path
    defer { try? FileManager.default.removeItem(atPath: output) }
    let build = try runProcess(clang, [
      "-target", "bpf", "-g", "-O2", "-DLAYOUT_EXTRA_TYPE", "-I/usr/include/x86_64-linux-gnu",
      "-I", "\(root)/Fixtures/include", "-c", "\(root)/Fixtures/src/layout.bpf.c", "-o", output,
    ])
    try #require(build.status == 0, "clang: \(build.stderr.prefix(2000))")
    let extraObject = try ObjectFile(path: output)
    let plain = Self.declarations(try TypesFile.generate(object: try ObjectFile(path: Self.layout)))
    let extra = Self.declarations(try TypesFile.generate(object: extraObject))
    // The type ids did move.
    let plainBTF = try BTF(bytes: try #require(try ObjectFile(path: Self.layout).btf))
    let extraBTF = try BTF(bytes: try #require(extraObject.btf))
    #expect(plainBTF.firstType(named: "flow_key", kind: .struct) != extraBTF.firstType(named: "flow_key", kind: .struct))
    #expect(plainBTF.firstType(named: "outer", kind: .struct) != extraBTF.firstType(named: "outer", kind: .struct))
    #expect(Set(extra.keys) == Set(plain.keys).union(["ExtraUnrelated"]))
    for (name, text) in plain { #expect(extra[name] == text, "\(name) changed") }
  }

  /// The big-endian build gives the same declarations, with the big-endian
  /// bit order in the bitfield accessors.
  @Test func bigEndianObjectGivesTheSameTypes() throws {
    let little = Self.declarations(try TypesFile.generate(object: try ObjectFile(path: Self.layout)))
    let big = Self.declarations(
      try TypesFile.generate(object: try ObjectFile(path: Fixture.object("layout.bpfeb.bpf.o").path)))
    #expect(Set(little.keys) == Set(big.keys))
    for (name, text) in little {
      #expect(big[name] == text.replacingOccurrences(of: "order: .little", with: "order: .big"), "\(name)")
    }
    #expect(big["Bits"]?.contains("order: .big") == true)
  }

  @Test func namesFollowTheIssuesRules() throws {
    let text = try TypesFile.generate(object: try ObjectFile(path: Self.layout))
    let declarations = Self.declarations(text)
    // C identifiers → UpperCamelCase types, lowerCamelCase members.
    #expect(declarations["FlowKey"]?.contains("public var proto: UInt8  // offset 0") == true)
    // A keyword is escaped; `self`/`init` cannot follow a dot even escaped.
    let keywords = try #require(declarations["Keywords"])
    #expect(keywords.contains("public var `in`: Int32"))
    #expect(keywords.contains("public var `protocol`: Int32"))
    #expect(keywords.contains("public var self_: Int32"))
    #expect(keywords.contains("public var init_: Int32"))
    // Collisions: filename_len / filenameLen, type / Type.
    #expect(keywords.contains("public var filenameLen: Int32") && keywords.contains("public var filenameLen_: Int32"))
    #expect(keywords.contains("public var type: Int32") && keywords.contains("public var type_: Int32"))
    // struct string would shadow Swift's String.
    #expect(declarations["String_"] != nil && keywords.contains("public var label: String_"))
    // Anonymous types: after the typedef, the member, or the anonymous member's place.
    #expect(declarations["PairT"] != nil)
    #expect(declarations["Outer_Point"] != nil && declarations["Outer_Anon0"] != nil)
    #expect(declarations["Outer_Stamps"] != nil && declarations["Value_Halves"] != nil)
    // Pointers are addresses, typedef chains resolve, char arrays read as text.
    let scalars = try #require(declarations["Scalars"])
    #expect(scalars.contains("public var link: UInt64") && scalars.contains("public var count: UInt32"))
    #expect(declarations["Arrays"]?.contains("public var nameString: String") == true)
    #expect(declarations["Arrays"]?.contains("namesString") == false)
  }

  @Test func internalAccessWritesNoPublic() throws {
    let text = try TypesFile.generate(object: try ObjectFile(path: Self.layout), options: .init(access: .internal))
    #expect(!text.contains("public "))
    #expect(text.contains("\nstruct Padded: BitwiseCopyable, Sendable {"))
  }

  @Test func unknownTypeNameIsAnError() throws {
    let object = try ObjectFile(path: Self.layout)
    #expect(throws: CodegenError.self) { try TypesFile.generate(object: object, extraTypes: ["no_such_type"]) }
  }

  @Test func sectionLayoutPlacesVariablesAndHidesStatics() throws {
    let object = try ObjectFile(path: Self.layout)
    var generator = try TypesFile.generator(for: object, options: .init())
    let btf = generator.btf
    let u32 = try #require(btf.firstType(named: "unsigned int", kind: .integer))
    let padded = try btf.type(named: "padded", kind: .struct)
    try generator.sectionLayout(swiftName: "Bss", size: 44, variables: [
      SectionVariableLayout(name: "counter", type: u32, offset: 0, size: 4, isStatic: false),
      SectionVariableLayout(name: "hidden", type: u32, offset: 4, size: 4, isStatic: true),
      SectionVariableLayout(name: "limits", type: padded, offset: 8, size: 32, isStatic: false),
    ])
    let bss = try #require(Self.declarations(generator.declarations())["Bss"])
    #expect(bss.contains("public var counter: UInt32  // offset 0"))
    #expect(bss.contains("private var hidden: UInt32  // offset 4"))
    #expect(bss.contains("public var limits: Padded  // offset 8"))
    #expect(bss.contains("private var _pad0: InlineArray<4, UInt8>  // offset 40, padding"))
  }
}
