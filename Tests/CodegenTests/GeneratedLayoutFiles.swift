import BTF
import ELFReader
import Foundation
import TestSupport

@testable import Codegen

/// The generated Swift the layout test targets compile: how each file is
/// made, so `GeneratedFilesTests` can tell a stale one and rewrite it.
///
/// - `CodegenLayoutTests/Generated/LayoutTypes.swift`: exactly what
///   `swiftbpf gen types Fixtures/obj/layout.bpf.o --access internal` writes;
///   `LayoutTypes+Manifest.swift` lists those types for the layout checks.
/// - `CodegenFixtureLayoutTests/Generated/<fixture>.swift`: every named
///   struct, union and enum of each other fixture (besides what its maps and
///   globals use), file-private so two fixtures' `struct task_struct` do not
///   clash, with the listing in the same file.
enum GeneratedLayoutFiles {
  struct File {
    /// From the package root.
    var path: String
    var render: () throws -> String
  }

  static let layoutDirectory = "Tests/CodegenLayoutTests/Generated"
  static let fixtureDirectory = "Tests/CodegenFixtureLayoutTests/Generated"

  static var all: [File] {
    get throws { try layoutFiles + fixtureFiles() }
  }

  static var layoutFiles: [File] {
    let object = Fixture.object("layout.bpf.o").path
    return [
      File(path: "\(layoutDirectory)/LayoutTypes.swift") {
        try TypesFile.generate(object: ObjectFile(path: object), options: .init(access: .internal))
      },
      File(path: "\(layoutDirectory)/LayoutTypes+Manifest.swift") {
        let file = try ObjectFile(path: object)
        var generator = try TypesFile.generator(for: file, options: .init(access: .internal))
        try TypesFile.register(file, in: &generator)
        return generator.layoutManifest(named: "layoutManifest")
      },
    ]
  }

  /// Fixtures other than the layout corpus and the big-endian variants,
  /// each that has at least one struct, union or enum.
  static func fixtureFiles() throws -> [File] {
    var files: [File] = []
    for url in Fixture.objects {
      let name = url.lastPathComponent
      guard !name.hasPrefix("layout"), !name.contains("bpfeb") else { continue }
      let base = String(name.prefix { $0 != "." })
      let render = { () throws -> String in
        let object = try ObjectFile(path: url.path)
        var generator = try TypesFile.generator(for: object, options: .init(access: .fileprivate))
        try TypesFile.register(object, in: &generator)
        for raw in generator.btf.allTypeIDs {
          let id = BTF.TypeID(raw)
          switch try generator.btf[id] {
          case .struct(let c), .union(let c) where !c.name.isAnonymous:
            _ = try generator.typeReference(for: id)
          case .enum(let e), .enum64(let e) where !e.name.isAnonymous:
            _ = try generator.typeReference(for: id)
          default:
            break
          }
        }
        guard !generator.declaredNames.isEmpty else { return "" }
        return TypesFile.header(object) + generator.declarations() + "\n"
          + generator.layoutManifest(named: SwiftNames.memberName(base) + "Manifest")
      }
      if try !render().isEmpty {
        files.append(File(path: "\(fixtureDirectory)/\(base).swift", render: render))
      }
    }
    return files
  }
}
