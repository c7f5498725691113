import BTF

/// A C source line, as line_info and the verifier log name it.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  /// The file as recorded (the kernel prints only its last path component).
  public var file: String
  public var line: Int
  /// The line's text, without leading and trailing blanks.
  public var text: String

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

/// line_info of one loaded program: which source line each instruction came
/// from, for naming the failing line when the log does not (no BTF loaded,
/// or a log cut before the source comments).
public struct SourceLineTable: Sendable, Hashable {
  /// Sorted by instruction index (8-byte slots from the program's start).
  public private(set) var entries: [Entry]

  public struct Entry: Sendable, Hashable {
    public var instruction: Int
    public var location: SourceLocation
    public init(instruction: Int, location: SourceLocation) {
      self.instruction = instruction
      self.location = location
    }
  }

  public init(_ entries: [Entry]) {
    self.entries = entries.sorted { $0.instruction < $1.instruction }
  }

  /// From .BTF.ext line_info records whose `instructionOffset` (bytes) is
  /// already relative to the program's first instruction.
  public init(lineInfo: [BTF.LineInfo]) {
    self.init(lineInfo.map {
      Entry(instruction: Int($0.instructionOffset / 8),
            location: SourceLocation(file: $0.file, line: Int($0.line), text: SourceLocation.trimmed($0.source)))
    })
  }

  /// The line of the last entry at or before `instruction`: line_info
  /// marks where each line's code starts.
  public func location(at instruction: Int) -> SourceLocation? {
    var low = 0, high = entries.count
    while low < high {
      let mid = low + (high - low) / 2
      if entries[mid].instruction <= instruction { low = mid + 1 } else { high = mid }
    }
    return low == 0 ? nil : entries[low - 1].location
  }
}

extension SourceLocation {
  static func trimmed<S: StringProtocol>(_ text: S) -> String {
    let blanks: Set<Character> = [" ", "\t", "\n", "\r"]
    guard let first = text.firstIndex(where: { !blanks.contains($0) }),
      let last = text.lastIndex(where: { !blanks.contains($0) })
    else { return "" }
    return String(text[first...last])
  }
}
