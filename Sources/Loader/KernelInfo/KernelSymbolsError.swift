/// Why a kernel symbol's address could not be given.
public enum KernelSymbolsError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The symbol file (`/proc/kallsyms`) could not be read.
  case unreadable(path: String, reason: String)
  /// No kernel symbol has that name (a typo, or a function inlined away).
  case notFound(name: String)
  /// Several symbols of that name at different addresses.
  case ambiguous(name: String, count: Int)
  /// kallsyms shows every address as 0 to this process.
  case addressesHidden(name: String)

  /// The message for a user: the symbol and why its address cannot be given.
  /// The CLI prints it after `swiftbpf: ` (on one line), and as `message` in
  /// `--json` errors.
  public var description: String {
    switch self {
    case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
    case .notFound(let name): "no kernel symbol \(name) in /proc/kallsyms"
    case .ambiguous(let name, let count): "kernel symbol \(name) is ambiguous: \(count) different addresses"
    case .addressesHidden(let name):
      "kallsyms addresses are hidden; need root/CAP_SYSLOG (and kernel.kptr_restrict below 2) "
        + "to resolve \(name)"
    }
  }
}
