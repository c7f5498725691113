/// Reads the attach target out of the text after a section row's name and
/// `/`, one format at a time (see `SectionDefinition.TargetFormat`).
///
/// Malformed text is not an error of the whole section: as in libbpf the
/// program keeps its type and can be loaded, but it cannot be auto-attached.
/// The parser then returns the reason, which the loader shows if asked to
/// auto-attach. Where libbpf silently ignores trailing text (`kprobe/f:x`
/// attaches `f`), this parser calls the target malformed instead.
enum AttachTargetParser {
  /// The outcome for one target text.
  enum Outcome: Equatable {
    case target(AttachTarget)
    case malformed(String)
  }

  static func parse(
    _ text: Substring, format: SectionDefinition.TargetFormat, flags: ProgramSection.Flags,
    rowName: String
  ) -> Outcome {
    switch format {
    case .none:
      return .malformed("\(rowName) takes no target")
    case .tracepoint:
      return tracepoint(text, rowName: rowName)
    case .rawTracepoint:
      return nonEmpty(text, rowName: rowName, what: "<tracepoint>").map { .rawTracepoint($0) }
    case .btfFunction:
      return btfName(text, rowName: rowName)
    case .iterator:
      return nonEmpty(text, rowName: rowName, what: "<type>").map { .iterator($0) }
    case .kprobe:
      return kprobe(text, isReturn: flags.contains(.returnProbe), rowName: rowName)
    case .kprobeMulti:
      return kprobeMulti(text, rowName: rowName)
    case .syscall:
      return nonEmpty(text, rowName: rowName, what: "<syscall>").map { .syscall($0) }
    case .uprobe:
      return uprobe(text, isReturn: flags.contains(.returnProbe), rowName: rowName)
    case .uprobeMulti:
      return uprobeMulti(text, rowName: rowName)
    case .usdt:
      return usdt(text, rowName: rowName)
    case .structOps:
      return nonEmpty(text, rowName: rowName, what: "<operation>").map { .structOps($0) }
    }
  }

  // MARK: Formats

  /// `<category>/<name>`: both parts needed, the name without `/`.
  private static func tracepoint(_ text: Substring, rowName: String) -> Outcome {
    let expected = "expected \(rowName)/<category>/<name>"
    guard let slash = text.firstIndex(of: "/") else {
      return .malformed(text.isEmpty ? "empty target, \(expected)" : "no tracepoint name after category '\(text)', \(expected)")
    }
    let category = text[..<slash]
    let name = text[text.index(after: slash)...]
    if category.isEmpty { return .malformed("empty category, \(expected)") }
    if name.isEmpty { return .malformed("empty tracepoint name, \(expected)") }
    if name.contains("/") { return .malformed("tracepoint name '\(name)' contains '/', \(expected)") }
    return .target(.tracepoint(category: String(category), name: String(name)))
  }

  /// A BTF name, optionally `<module>:<name>`.
  private static func btfName(_ text: Substring, rowName: String) -> Outcome {
    if text.isEmpty { return .malformed("empty target, expected \(rowName)/<name>") }
    if let colon = text.firstIndex(of: ":") {
      if colon == text.startIndex || text.index(after: colon) == text.endIndex {
        return .malformed("'\(text)' must be <module>:<name> with both parts")
      }
    }
    return .target(.kernelFunction(String(text)))
  }

  /// `<function>[+<offset>]`, function made of `a-zA-Z0-9_.`.
  private static func kprobe(_ text: Substring, isReturn: Bool, rowName: String) -> Outcome {
    let function = text.prefix(while: { isSymbolCharacter($0) })
    let rest = text[function.endIndex...]
    if function.isEmpty {
      return .malformed(text.isEmpty
        ? "empty target, expected \(rowName)/<function>"
        : "function name '\(text)' must start with a-zA-Z0-9_.")
    }
    var offset: UInt64 = 0
    if let first = rest.first {
      guard first == "+" else {
        return .malformed("unexpected '\(rest)' after function '\(function)', expected <function>[+<offset>]")
      }
      guard let value = parseInteger(rest.dropFirst()) else {
        return .malformed("offset '\(rest.dropFirst())' is not a non-negative integer")
      }
      offset = value
    }
    if isReturn && offset != 0 {
      return .malformed("\(rowName) does not take an offset")
    }
    return .target(.kprobe(function: String(function), offset: offset))
  }

  /// `<pattern>` made of `a-zA-Z0-9_.*?`.
  private static func kprobeMulti(_ text: Substring, rowName: String) -> Outcome {
    if text.isEmpty { return .malformed("empty target, expected \(rowName)/<pattern>") }
    if let bad = text.first(where: { !isSymbolCharacter($0) && $0 != "*" && $0 != "?" }) {
      return .malformed("pattern '\(text)' has '\(bad)'; allowed are a-zA-Z0-9_. and the wildcards * ?")
    }
    return .target(.kprobeMulti(pattern: String(text)))
  }

  /// `<path>:<function>[+<offset>]`, or `<path>:[+]<absolute offset>`.
  private static func uprobe(_ text: Substring, isReturn: Bool, rowName: String) -> Outcome {
    let expected = "expected \(rowName)/<path>:<function>[+<offset>]"
    guard let colon = text.firstIndex(of: ":") else {
      return .malformed(text.isEmpty ? "empty target, \(expected)" : "missing ':<function>' after '\(text)', \(expected)")
    }
    let path = text[..<colon]
    let spec = text[text.index(after: colon)...]
    if path.isEmpty { return .malformed("empty path, \(expected)") }
    if spec.isEmpty { return .malformed("empty function, \(expected)") }

    // As libbpf: a trailing `+<integer>` is the offset; a `+` not followed
    // by an integer up to the end stays part of the function name.
    var function = spec
    var offset: UInt64? = nil
    if let plus = spec.lastIndex(of: "+"), let value = parseInteger(spec[spec.index(after: plus)...]) {
      function = spec[..<plus]
      offset = value
    }
    if function.isEmpty, let offset {
      return .target(.uprobe(path: String(path), function: nil, offset: offset))
    }
    if let absolute = parseInteger(function) {
      if offset != nil {
        return .malformed("'\(spec)' gives an absolute offset and a +offset; give one")
      }
      return .target(.uprobe(path: String(path), function: nil, offset: absolute))
    }
    if isReturn, let offset, offset != 0 {
      return .malformed("\(rowName) does not take a +offset after the function")
    }
    return .target(.uprobe(path: String(path), function: String(function), offset: offset ?? 0))
  }

  /// `<path>:<pattern>`.
  private static func uprobeMulti(_ text: Substring, rowName: String) -> Outcome {
    let expected = "expected \(rowName)/<path>:<pattern>"
    guard let colon = text.firstIndex(of: ":") else {
      return .malformed(text.isEmpty ? "empty target, \(expected)" : "missing ':<pattern>' after '\(text)', \(expected)")
    }
    let path = text[..<colon]
    let pattern = text[text.index(after: colon)...]
    if path.isEmpty { return .malformed("empty path, \(expected)") }
    if pattern.isEmpty { return .malformed("empty pattern, \(expected)") }
    return .target(.uprobeMulti(path: String(path), pattern: String(pattern)))
  }

  /// `<path>:<provider>:<name>`, three non-empty parts.
  private static func usdt(_ text: Substring, rowName: String) -> Outcome {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
      return .malformed("'\(text)' is not <path>:<provider>:<name>, expected \(rowName)/<path>:<provider>:<name>")
    }
    return .target(.usdt(path: String(parts[0]), provider: String(parts[1]), name: String(parts[2])))
  }

  private static func nonEmpty(_ text: Substring, rowName: String, what: String) -> StringOutcome {
    text.isEmpty ? .malformed("empty target, expected \(rowName)/\(what)") : .value(String(text))
  }

  // MARK: Pieces

  /// A helper outcome for the formats whose target is one string.
  enum StringOutcome {
    case value(String)
    case malformed(String)

    func map(_ make: (String) -> AttachTarget) -> Outcome {
      switch self {
      case .value(let s): .target(make(s))
      case .malformed(let reason): .malformed(reason)
      }
    }
  }

  /// The characters libbpf allows in a kprobe function name.
  static func isSymbolCharacter(_ c: Character) -> Bool {
    guard c.isASCII, let v = c.asciiValue else { return false }
    return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
      || c == "_" || c == "."
  }

  /// A non-negative integer the way C's `strtol(_, _, 0)` reads it: `0x`
  /// hex, leading-`0` octal, otherwise decimal. The whole text must be the
  /// number (no sign, no spaces); nil on anything else or on overflow.
  static func parseInteger(_ text: Substring) -> UInt64? {
    let bytes = text.utf8
    guard let first = bytes.first else { return nil }
    var digits = bytes[...]
    var radix: UInt64 = 10
    if first == UInt8(ascii: "0"), bytes.count > 1 {
      let second = bytes[bytes.index(after: bytes.startIndex)]
      if second == UInt8(ascii: "x") || second == UInt8(ascii: "X") {
        radix = 16
        digits = bytes.dropFirst(2)
        if digits.isEmpty { return nil }
      } else {
        radix = 8
        digits = bytes.dropFirst()
      }
    }
    var value: UInt64 = 0
    for byte in digits {
      let digit: UInt64
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
      default: return nil
      }
      guard digit < radix else { return nil }
      let (shifted, o1) = value.multipliedReportingOverflow(by: radix)
      let (sum, o2) = shifted.addingReportingOverflow(digit)
      if o1 || o2 { return nil }
      value = sum
    }
    return value
  }
}
