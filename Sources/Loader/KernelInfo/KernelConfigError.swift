/// Why the kernel configuration could not be read or a `.kconfig` extern
/// could not be given a value.
public enum KernelConfigError: Error, Sendable, Equatable, CustomStringConvertible {
  /// None of the usual places had a config.
  case notFound(tried: [String])
  /// The file exists but could not be read or decompressed.
  case unreadable(path: String, reason: String)
  /// A value that is not y/m/n, a number or a quoted string.
  case malformedValue(name: String, value: String, source: String)
  /// The extern's C type cannot hold this kind of value (bool from "m", int from a string...).
  case typeMismatch(name: String, value: String, expected: String)
  /// The number does not fit the extern's size.
  case outOfRange(name: String, value: String, size: Int, signed: Bool)

  /// The message for a user: which configuration or value, and why it cannot be
  /// used. The CLI prints it after `swiftbpf: ` (on one line), and as `message`
  /// in `--json` errors.
  public var description: String {
    switch self {
    case .notFound(let tried):
      return "no kernel config found (tried \(tried.joined(separator: ", "))); the kernel needs "
        + "CONFIG_IKCONFIG_PROC for /proc/config.gz, or install /boot/config-$(uname -r), "
        + "or give .kconfig values as overrides"
    case .unreadable(let path, let reason):
      return "cannot read kernel config \(path): \(reason)"
    case .malformedValue(let name, let value, let source):
      return "\(source): \(name) has value \(value), which is not y, m, n, a number or a quoted string"
    case .typeMismatch(let name, let value, let expected):
      return ".kconfig extern \(name): value \(value) cannot be stored in \(expected)"
    case .outOfRange(let name, let value, let size, let signed):
      return ".kconfig extern \(name): value \(value) does not fit a \(signed ? "signed" : "unsigned") "
        + "\(size)-byte integer"
    }
  }
}
