import ArgumentParser
import Codegen
import Foundation

/// Reading the object and writing the Swift that `gen` commands produce.
enum GeneratedFile {
  static func readObject(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw GenError.unreadable(path)
    }
    return [UInt8](data)
  }

  /// Writes `text` to `path`, or prints it without one. A file that already
  /// holds exactly `text` is left alone, so its modification time does not
  /// make a build recompile what did not change.
  static func write(_ text: String, to path: String?) throws {
    guard let path else {
      print(text, terminator: "")
      return
    }
    let bytes = Data(text.utf8)
    if FileManager.default.contents(atPath: path) == bytes { return }
    do {
      try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw GenError.unwritable(path, "\(error.localizedDescription); check the directory exists and is writable")
    }
  }
}

enum GenError: Error, CustomStringConvertible {
  case unreadable(String)
  case unwritable(String, String)

  var description: String {
    switch self {
    case .unreadable(let path): "cannot read \(path): check the path (a BPF object built by clang -target bpf)"
    case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
    }
  }
}

/// `--access` of the `gen` commands: what a user's own target may ask for
/// (the generator's `fileprivate` serves the project's layout tests).
enum GeneratedAccess: String, ExpressibleByArgument, CaseIterable {
  case `public`, `internal`

  var generatorAccess: SwiftTypeGenerator.Options.Access { self == .public ? .public : .internal }
}
