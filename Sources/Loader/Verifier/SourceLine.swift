import BTF

/// A C source line, as line_info and the verifier log name it.
public struct SourceLine: Sendable, Hashable, CustomStringConvertible {
  /// The file as recorded (the kernel prints only its last path component).
  public var file: String
  /// The line number, from 1.
  public var line: Int
  /// The line's text, without leading and trailing blanks.
  public var text: String

  /// Line `line` of `file`, whose text is `text`.
  public init(file: String, line: Int, text: String) {
    self.file = file
    self.line = line
    self.text = text
  }

  /// "file:line: text".
  public var description: String {
    text.isEmpty ? "\(file):\(line)" : "\(file):\(line): \(text)"
  }
}

extension SourceLine {
  static func trimmed<S: StringProtocol>(_ text: S) -> String {
    let blanks: Set<Character> = [" ", "\t", "\n", "\r"]
    guard let first = text.firstIndex(where: { !blanks.contains($0) }),
      let last = text.lastIndex(where: { !blanks.contains($0) })
    else { return "" }
    return String(text[first...last])
  }
}
