import BTF

/// line_info of one loaded program: which source line each instruction came
/// from, for naming the failing line when the log does not (no BTF loaded,
/// or a log cut before the source comments).
public struct SourceLineTable: Sendable, Hashable {
  /// Sorted by instruction index (8-byte slots from the program's start).
  public private(set) var entries: [Entry]

  /// The source line of one instruction.
  public struct Entry: Sendable, Hashable {
    /// The instruction's index in 8-byte slots from the program's start.
    public var instruction: Int
    /// The line it came from.
    public var location: SourceLine
    /// Instruction `instruction` from `location`.
    public init(instruction: Int, location: SourceLine) {
      self.instruction = instruction
      self.location = location
    }
  }

  /// A table of these entries, in any order.
  public init(_ entries: [Entry]) {
    self.entries = entries.sorted { $0.instruction < $1.instruction }
  }

  /// From .BTF.ext line_info records whose `instructionOffset` (bytes) is
  /// already relative to the program's first instruction.
  public init(lineInfo: [BTF.LineInfo]) {
    self.init(lineInfo.map {
      Entry(instruction: Int($0.instructionOffset / 8),
            location: SourceLine(file: $0.file, line: Int($0.line), text: SourceLine.trimmed($0.source)))
    })
  }

  /// The line of the last entry at or before `instruction`: line_info
  /// marks where each line's code starts.
  public func location(at instruction: Int) -> SourceLine? {
    var low = 0, high = entries.count
    while low < high {
      let mid = low + (high - low) / 2
      if entries[mid].instruction <= instruction { low = mid + 1 } else { high = mid }
    }
    return low == 0 ? nil : entries[low - 1].location
  }
}
