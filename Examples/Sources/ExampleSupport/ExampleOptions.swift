import Glibc

/// The command line of an example: `--duration SECONDS` (how long to run;
/// until Ctrl-C without it), options with a value (`--drop 10.0.0.1`),
/// and positional arguments (an interface name).
///
/// Deliberately tiny: the examples are about BPF, not argument parsing.
public struct ExampleOptions: Sendable {
  public let name: String
  public private(set) var duration: Duration?
  public private(set) var positional: [String] = []
  private var values: [String: [String]] = [:]

  /// Parses `CommandLine.arguments`; prints `usage` and exits 2 on a
  /// malformed command line or `--help`. `valueOptions` are the options
  /// (besides `--duration`) that take a value.
  public init(usage: String, valueOptions: Set<String> = []) {
    var arguments = CommandLine.arguments
    name = String((arguments.removeFirst()).split(separator: "/").last ?? "example")
    func usageExit() -> Never {
      standardError("usage: \(usage)\n")
      exit(2)
    }
    while !arguments.isEmpty {
      let argument = arguments.removeFirst()
      if argument == "--help" || argument == "-h" { usageExit() }
      guard argument.hasPrefix("--") else {
        positional.append(argument)
        continue
      }
      let option = String(argument.dropFirst(2))
      guard option == "duration" || valueOptions.contains(option), !arguments.isEmpty else { usageExit() }
      let value = arguments.removeFirst()
      if option == "duration" {
        guard let seconds = Double(value), seconds > 0 else { usageExit() }
        duration = .milliseconds(Int64(seconds * 1000))
      } else {
        values[option, default: []].append(value)
      }
    }
    Interrupt.install()
  }

  /// The last value given for `--<option>`.
  public func value(_ option: String) -> String? { values[option]?.last }

  /// Every value given for `--<option>`, in order.
  public func values(_ option: String) -> [String] { values[option] ?? [] }

  /// "for 3.0 s" or "until Ctrl-C", for the examples' first line.
  public var durationText: String {
    guard let duration else { return "until Ctrl-C" }
    let (seconds, attoseconds) = duration.components
    return "for \(Double(seconds) + Double(attoseconds) / 1e18) s"
  }
}

/// Prints `message` to standard error and exits 1: how every example ends
/// on an error (the library's errors describe themselves in one line).
public func fail(_ name: String, _ error: any Error) -> Never {
  standardError("\(name): \(error)\n")
  exit(1)
}

/// Writes to file descriptor 2 directly (`stderr` is a C global, which
/// Swift 6 does not let us touch).
func standardError(_ text: String) {
  var text = text
  text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}

/// Prints `message` to standard error and exits 1.
public func fail(_ name: String, _ message: String) -> Never {
  standardError("\(name): \(message)\n")
  exit(1)
}

/// The index of network interface `name`, or exits with a clear message.
public func interfaceIndex(_ name: String, options: ExampleOptions) -> UInt32 {
  let index = if_nametoindex(name)
  if index == 0 { fail(options.name, "no network interface named '\(name)' (see `ip link`)") }
  return index
}
