import Glibc
import Syscall
import UAPI

/// The running kernel's build configuration (`CONFIG_*` values), for
/// `.kconfig` externs.
///
/// Read from `/proc/config.gz` (gzip, through zlib) or else
/// `/boot/config-$(uname -r)`; values can be overridden before use. Names
/// are kept as written (`CONFIG_BPF`), plus libbpf's specials when added
/// with `addingLibbpfSpecials`.
public struct KernelConfig: Sendable, Hashable {
  /// A `y`/`m`/`n` value.
  ///
  /// The raw values are libbpf's `enum libbpf_tristate`, which a
  /// `.kconfig` extern of that type receives.
  public enum Tristate: UInt32, Sendable, Hashable {
    /// `n` (or unset): not built. libbpf: `TRI_NO`.
    case no = 0
    /// `y`: built into the kernel. libbpf: `TRI_YES`.
    case yes = 1
    /// `m`: built as a module. libbpf: `TRI_MODULE`.
    case module = 2

    var letter: String {
      switch self {
      case .no: "n"
      case .yes: "y"
      case .module: "m"
      }
    }
  }

  /// One config value.
  public enum Value: Sendable, Hashable, CustomStringConvertible {
    /// `y`, `m`, `n`; "# CONFIG_X is not set" is `n`.
    case tristate(Tristate)
    /// Decimal (maybe negative) or `0x` hexadecimal; hex keeps all 64 bits
    /// as a bit pattern.
    case integer(Int64, text: String)
    /// A quoted string, unescaped (`\"` and `\\`).
    case string(String)

    public var description: String {
      switch self {
      case .tristate(let t): t.letter
      case .integer(_, let text): text
      case .string(let s): "\"\(s)\""
      }
    }
  }

  /// Name → value.
  public private(set) var values: [String: Value]

  /// A configuration with these values (empty: everything unset).
  public init(values: [String: Value] = [:]) {
    self.values = values
  }

  /// Parses config text (`CONFIG_X=y`, `# CONFIG_X is not set`, ...).
  /// `source` names the file in errors.
  public init(text: String, source: String = "kernel config") throws(KernelConfigError) {
    var values: [String: Value] = [:]
    // Split on bytes: a Character-wise split would keep "\r\n" (one
    // grapheme) inside the line.
    for bytes in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
      let trimmed = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes[...]
      let line = Substring(String(decoding: trimmed, as: UTF8.self))
      if line.hasPrefix("#") {
        let notSet = " is not set"
        if line.hasPrefix("# "), line.hasSuffix(notSet) {
          let name = line.dropFirst(2).dropLast(notSet.count)
          if !name.isEmpty, !name.contains(" ") { values[String(name)] = .tristate(.no) }
        }
        continue
      }
      guard let equals = line.firstIndex(of: "=") else { continue }
      let name = String(line[..<equals])
      let text = line[line.index(after: equals)...]
      guard let value = Self.parseValue(text) else {
        throw .malformedValue(name: name, value: String(text), source: source)
      }
      values[name] = value
    }
    self.values = values
  }

  /// A value as it appears after `=` in a config file (also for overrides).
  public static func parseValue<S: StringProtocol>(_ text: S) -> Value? {
    switch text {
    case "y": return .tristate(.yes)
    case "m": return .tristate(.module)
    case "n": return .tristate(.no)
    default: break
    }
    if text.hasPrefix("\"") { return unquote(text).map { .string($0) } }
    if text.hasPrefix("0x") || text.hasPrefix("0X") {
      guard let bits = UInt64(text.dropFirst(2), radix: 16) else { return nil }
      return .integer(Int64(bitPattern: bits), text: String(text))
    }
    guard let number = Int64(text, radix: 10) else { return nil }
    return .integer(number, text: String(text))
  }

  /// `"..."` with `\"` and `\\` escapes (as Kconfig writes them); nil if
  /// the closing quote is missing or something follows it.
  static func unquote<S: StringProtocol>(_ text: S) -> String? {
    var bytes: [UInt8] = []
    var escaped = false
    var closed = false
    for byte in text.utf8.dropFirst() {
      if closed { return nil }
      if escaped {
        bytes.append(byte)
        escaped = false
      } else if byte == UInt8(ascii: "\\") {
        escaped = true
      } else if byte == UInt8(ascii: "\"") {
        closed = true
      } else {
        bytes.append(byte)
      }
    }
    return closed ? String(decoding: bytes, as: UTF8.self) : nil
  }

  /// The value of option `name` (`CONFIG_BPF`), nil when unset.
  public subscript(name: String) -> Value? {
    get { values[name] }
    set { values[name] = newValue }
  }

  /// Sets `name` to a value written as in a config file (`y`, `42`, `"text"`).
  public mutating func override(_ name: String, with text: String) throws(KernelConfigError) {
    guard let value = Self.parseValue(text) else {
      throw .malformedValue(name: name, value: text, source: "override")
    }
    values[name] = value
  }

  // MARK: Reading

  /// Where the config is looked for, in order.
  public static func defaultPaths(release: String? = KernelRelease.current?.release) -> [String] {
    ["/proc/config.gz"] + (release.map { ["/boot/config-\($0)"] } ?? [])
  }

  /// The running kernel's config: the first of `paths` that exists.
  public static func load(paths: [String] = defaultPaths()) throws(KernelConfigError) -> KernelConfig {
    for path in paths where SystemFiles.isAccessible(path, for: .read) {
      return try KernelConfig(text: try readFile(path), source: path)
    }
    throw .notFound(tried: paths)
  }

  /// The text of a gzip or plain file (zlib reads plain files unchanged).
  public static func readFile(_ path: String) throws(KernelConfigError) -> String {
    switch SystemFiles.decompressedText(path) {
    case .success(let text): return text
    case .failure(let error):
      throw .unreadable(path: path, reason: error.reason ?? "cannot open: \(error.errno)")
    }
  }
}
