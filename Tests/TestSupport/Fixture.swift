import Foundation

/// Where the committed fixtures live, found from this file's path so tests run
/// from any working directory (and as any user).
public enum Fixture {
  /// The package root: `SWIFTBPF_PACKAGE_ROOT` when set (CI stages a copy an
  /// unprivileged user can read), else found from this source file's path.
  public static let packageRoot: URL = {
    if let root = ProcessInfo.processInfo.environment["SWIFTBPF_PACKAGE_ROOT"], !root.isEmpty {
      return URL(fileURLWithPath: root)
    }
    return URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent()  // TestSupport
      .deletingLastPathComponent()  // Tests
      .deletingLastPathComponent()  // package root
  }()

  /// `<package>/Fixtures`.
  public static var directory: URL { packageRoot.appendingPathComponent("Fixtures") }

  /// The built objects, `Fixtures/obj/*.o`, sorted by name.
  public static var objects: [URL] {
    let dir = directory.appendingPathComponent("obj")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { $0.hasSuffix(".o") }.sorted().map { dir.appendingPathComponent($0) }
  }

  /// One object by file name, e.g. `Fixture.object("maps.bpf.o")`.
  public static func object(_ name: String) -> URL {
    directory.appendingPathComponent("obj").appendingPathComponent(name)
  }

  /// The bytes of a committed file under `Fixtures/`.
  public static func bytes(_ relativePath: String) throws -> [UInt8] {
    Array(try Data(contentsOf: directory.appendingPathComponent(relativePath)))
  }
}

extension Fixture {
  /// BPF objects built by other projects, for checks beyond our fixtures:
  /// every regular file in the directory SWIFTBPF_EXTERNAL_OBJECTS names.
  /// They are not committed (other projects' builds); empty when unset.
  public static var externalObjects: [URL] {
    guard let path = ProcessInfo.processInfo.environment["SWIFTBPF_EXTERNAL_OBJECTS"], !path.isEmpty,
      let names = try? FileManager.default.contentsOfDirectory(atPath: path)
    else { return [] }
    return names.sorted().map { URL(fileURLWithPath: path).appendingPathComponent($0) }
  }
}
