import Foundation
import Testing
import TestSupport

/// SwiftBPFPlugin through a real `swift build` of the examples package:
/// each example's BPF C compiled and its skeleton compiled in; rebuilds
/// exactly when a `.bpf.c` or a header changes; clang's errors reach the
/// user with the file and line. Serialized: the tests edit and rebuild one
/// shared copy of the package.
@Suite(.serialized) struct PluginBuildTests {
  /// Lines of a build's output that did work: SwiftPM prints one per
  /// command it runs (the plugin's "Compiling BPF x.bpf.c ...", Swift
  /// compiles, links), except the plugins' own compilation, which it lists
  /// on every build.
  static func workLines(_ output: String) -> [String] {
    output.split(separator: "\n").map(String.init).filter { line in
      guard line.hasPrefix("[") else { return false }
      return (line.contains("Compiling") || line.contains("Linking")) && !line.contains("Compiling plugin")
    }
  }

  static func modificationDate(_ url: URL) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
  }

  @Test func cleanBuildCompilesEveryExampleAndItsSkeleton() async throws {
    _ = try ExamplesBuild.requirements()
    let built = try await ExamplesBuild.shared.built()
    print("examples package: clean build took \(Int(built.firstBuildSeconds)) s")
    for name in ExamplesBuild.exampleNames + ["plugincheck"] {
      #expect(built.firstOutput.contains("Compiling BPF \(name).bpf.c"), "no BPF compile of \(name)")
      #expect(FileManager.default.isExecutableFile(atPath: built.executable(name).path), "\(name) not built")
      let outputs = built.pluginOutputs(name)
      #expect(FileManager.default.fileExists(atPath: outputs.appendingPathComponent("\(name).bpf.o").path))
      // No example ships a vmlinux.h: the plugin generated one from the kernel.
      #expect(FileManager.default.fileExists(atPath: outputs.appendingPathComponent("include/vmlinux.h").path))
    }
    // Generated sources are compiled, not copied as resources.
    #expect(!built.firstOutput.contains("resource_bundle_accessor"))
  }

  @Test func unchangedBuildRebuildsNothing() async throws {
    _ = try ExamplesBuild.requirements()
    let built = try await ExamplesBuild.shared.built()
    let settle = try await built.build()
    try #require(settle.status == 0, "\(settle.output.suffix(3000))")
    let objects = (ExamplesBuild.exampleNames + ["plugincheck"]).map { built.pluginOutputs($0).appendingPathComponent("\($0).bpf.o") }
    let before = objects.map(Self.modificationDate)

    let again = try await built.build()
    #expect(again.status == 0)
    #expect(Self.workLines(again.output).isEmpty, "a build with nothing changed did: \(Self.workLines(again.output))")
    #expect(objects.map(Self.modificationDate) == before, "BPF objects were rewritten")
  }

  @Test func editingTheSourceOrAHeaderRebuildsThatExampleOnly() async throws {
    _ = try ExamplesBuild.requirements()
    let built = try await ExamplesBuild.shared.built()
    let directory = built.package.appendingPathComponent("Sources/plugincheck")
    let object = built.pluginOutputs("plugincheck").appendingPathComponent("plugincheck.bpf.o")
    try #require(try await built.build().status == 0)

    // The .bpf.c: only plugincheck's BPF compile runs again.
    let beforeSource = try #require(Self.modificationDate(object))
    try PluginCheck.source(value: 2).write(to: directory.appendingPathComponent("plugincheck.bpf.c"), atomically: true, encoding: .utf8)
    let afterSource = try await built.build()
    #expect(afterSource.status == 0, "\(afterSource.output.suffix(3000))")
    let bpfCompiles = Self.workLines(afterSource.output).filter { $0.contains("Compiling BPF") }
    #expect(bpfCompiles.count == 1 && bpfCompiles.first?.contains("plugincheck.bpf.c") == true, "\(bpfCompiles)")
    let afterSourceDate = try #require(Self.modificationDate(object))
    #expect(afterSourceDate > beforeSource)

    // A header the source includes: the same.
    try PluginCheck.header(limit: 3).write(to: directory.appendingPathComponent("plugincheck.h"), atomically: true, encoding: .utf8)
    let afterHeader = try await built.build()
    #expect(afterHeader.status == 0, "\(afterHeader.output.suffix(3000))")
    let headerCompiles = Self.workLines(afterHeader.output).filter { $0.contains("Compiling BPF") }
    #expect(headerCompiles.count == 1 && headerCompiles.first?.contains("plugincheck.bpf.c") == true, "\(headerCompiles)")
    #expect(try #require(Self.modificationDate(object)) > afterSourceDate)
  }

  @Test func clangErrorNamesTheFileAndLine() async throws {
    _ = try ExamplesBuild.requirements()
    let built = try await ExamplesBuild.shared.built()
    let source = built.package.appendingPathComponent("Sources/plugincheck/plugincheck.bpf.c")
    let good = try String(contentsOf: source, encoding: .utf8)
    defer { try? good.write(to: source, atomically: true, encoding: .utf8) }

    try PluginCheck.source(value: 1, broken: true).write(to: source, atomically: true, encoding: .utf8)
    let broken = try await built.build(target: "plugincheck")
    #expect(broken.status != 0)
    // clang's own diagnostic, as SwiftPM passes it on: path:line:column: error
    #expect(broken.output.contains("plugincheck.bpf.c:\(PluginCheck.brokenLine):"), "\(broken.output.suffix(3000))")
    #expect(broken.output.contains("not_declared_anywhere"))

    try good.write(to: source, atomically: true, encoding: .utf8)
    let fixed = try await built.build(target: "plugincheck")
    #expect(fixed.status == 0, "\(fixed.output.suffix(3000))")
  }
}
