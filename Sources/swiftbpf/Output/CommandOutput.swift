import FoundationEssentials

/// How every subcommand reports: results on stdout, failures as one line on
/// stderr (or a JSON `{"error": …}` on stdout with `--json`) and a non-zero
/// exit status.
enum CommandOutput {
  /// Prints an Encodable value as pretty JSON on stdout.
  static func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    StandardStreams.writeOutput(data + Data("\n".utf8))
  }

  /// Writes one line to stderr.
  static func printError(_ line: String) {
    StandardStreams.writeError((line + "\n").utf8)
  }

  /// Reports `error` the way the contract says and returns the exit code.
  ///
  /// The error's kind is `Type.case` (e.g. `ELFError.notBPF`), stable for
  /// scripts; the message is the error's own description, flattened to one
  /// line.
  static func report(_ error: any Error, json: Bool) -> Int32 {
    let message = String(describing: error)
      .split(whereSeparator: \.isNewline).joined(separator: " ")
    if json {
      let payload = ErrorPayload(error: .init(kind: kind(of: error), message: message))
      if (try? printJSON(payload)) == nil { printError(message) }
    } else {
      printError("swiftbpf: \(message)")
    }
    return 1
  }

  /// `Type.case` for an enum error, or just the type name.
  static func kind(of error: any Error) -> String {
    let type = String(describing: Swift.type(of: error))
    let mirror = Mirror(reflecting: error)
    // A case with a payload reflects its name as the child's label; a case
    // without one has no child, and the type name alone is the kind.
    guard mirror.displayStyle == .enum, let caseName = mirror.children.first?.label else {
      return type
    }
    return "\(type).\(caseName)"
  }

  struct ErrorPayload: Encodable {
    struct Body: Encodable {
      var kind: String
      var message: String
    }
    var error: Body
  }
}
