import Foundation
import Testing
import TestSupport

@testable import Codegen

/// `swiftbpf gen skeleton` over `skeleton.bpf.o`. What the object holds
/// (sections, maps with their BTF key and value types, programs) is stated
/// in its C source (Fixtures/src/skeleton.bpf.c); the loaded behaviour of
/// the generated code is tested in LoaderTests (SkeletonKernelTests,
/// SkeletonFakeKernelTests), which compile the checked-in generation.
@Suite struct SkeletonGeneratorTests {
  static func generate(name: String? = "SkeletonFixture", access: SkeletonGenerator.Access = .internal) throws -> String {
    let bytes = try Fixture.bytes("obj/skeleton.bpf.o")
    var generator = try SkeletonGenerator(
      objectBytes: bytes, fileName: "Fixtures/obj/skeleton.bpf.o", options: .init(name: name, access: access))
    return try generator.generate()
  }

  @Test func theCheckedInSkeletonIsWhatTheGeneratorWritesNow() throws {
    let path = "Tests/LoaderTests/Generated/SkeletonFixture.swift"
    let checkedIn = try String(contentsOf: Fixture.packageRoot.appendingPathComponent(path), encoding: .utf8)
    #expect(try Self.generate() == checkedIn, "\(path) is stale: run Scripts/regenerate-generated.sh and commit it")
  }

  @Test func generationIsDeterministic() throws {
    #expect(try Self.generate() == (try Self.generate()))
  }

  @Test func theModelNamesTheSourcesSectionsMapsAndPrograms() throws {
    let bytes = try Fixture.bytes("obj/skeleton.bpf.o")
    var generator = try SkeletonGenerator(objectBytes: bytes, fileName: "skeleton.bpf.o")
    let model = try generator.makeModel()
    #expect(model.swiftName == "Skeleton", "the object name in UpperCamelCase without --name")
    #expect(model.objectName == "skeleton")
    #expect(model.sections.map(\.cName) == [".rodata", ".data", ".bss"])
    #expect(model.sections.map(\.property) == ["rodata", "data", "bss"])
    #expect(model.sections.map(\.isReadOnly) == [true, false, false])
    let views = Dictionary(uniqueKeysWithValues: model.maps.map { ($0.cName, $0.view) })
    #expect(views["totals"] == .keyValue(key: "UInt32", value: "SkelTotal"))
    #expect(views["per_cpu"] == .perCPU(key: "UInt32", value: "UInt64"))
    #expect(views["jobs"] == .queue(value: "UInt32"))
    #expect(views["events"] == .handle)
    #expect(views["raw_sized"] == .handle, "a map with sizes only has no types to view it with")
    #expect(model.maps.first { $0.cName == "events" }?.recordType == "SkelEvent")
    #expect(model.programs.map(\.property) == ["compute", "onGetpid"])
  }

  @Test func staticVariablesAreNotExposed() throws {
    let text = try Self.generate()
    #expect(text.contains("var seed: Int32"))
    #expect(!text.contains("hiddenData"), "static hidden_data stays private storage")
  }

  @Test func publicAccessMarksEveryDeclaration() throws {
    let text = try Self.generate(access: .public)
    #expect(text.contains("public struct SkeletonFixture: Sendable {"))
    #expect(text.contains("public final class Loaded: Sendable {"))
    #expect(text.contains("public struct SkelTotal"))
    let internalText = try Self.generate(access: .internal)
    #expect(!internalText.contains("public "))
  }

  @Test func theObjectIsEmbeddedAsBase64Lines() throws {
    let bytes = try Fixture.bytes("obj/skeleton.bpf.o")
    let lines = Base64.lines(bytes)
    #expect(lines.dropLast().allSatisfy { $0.count == 76 })
    // Decoded with Foundation's decoder, an independent implementation.
    #expect(Data(base64Encoded: lines.joined()) == Data(bytes))
  }

  @Test(arguments: [("rb", "rbEvents"), ("events", "events"), ("execEvents", "execEvents"), ("`in`", "inEvents")])
  func ringBufferEventMethodNames(property: String, method: String) {
    #expect(SkeletonWriter.eventsMethod(for: property) == method)
  }

  @Test func aCorruptObjectIsATypedError() throws {
    var bytes = try Fixture.bytes("obj/skeleton.bpf.o")
    bytes.removeLast(bytes.count / 2)
    #expect(throws: CodegenError.self) {
      _ = try SkeletonGenerator(objectBytes: bytes, fileName: "truncated.bpf.o")
    }
  }

  /// private_data.bpf.c: sections of statics and `__hidden` globals (spin
  /// locks) are not mapped by the loader, so the skeleton does not expose
  /// them; `.data.shared` and `.bss` hold public globals.
  @Test func sectionsOfStaticsAndHiddenGlobalsAreNotExposed() throws {
    let bytes = try Fixture.bytes("obj/private_data.bpf.o")
    var generator = try SkeletonGenerator(objectBytes: bytes, fileName: "private_data.bpf.o")
    let model = try generator.makeModel()
    #expect(model.sections.map(\.cName).sorted() == [".bss", ".data.shared"])
    #expect(model.sections.map(\.property).sorted() == ["bss", "dataShared"])
    let text = try generator.generate()
    #expect(text.contains("var sharedValue: UInt64"))
    #expect(!text.contains("sharedHidden") && !text.contains("lockedTotal"))
  }
}
