import Instructions

/// What the verifier said about a rejected program, reduced to what a person
/// needs first, with the full log kept.
///
/// It describes itself as the error line (the last line before the
/// statistics trailer, plus the line before it when the last one is a
/// register detail — starting with `R<n>` or a tab), the C source line of
/// the failing instruction, and how many log lines were left out. A call
/// the loader poisoned because a CO-RE relocation failed (`call
/// unknown#195896080`, i.e. helper `0xbad2310`) is reported as "CO-RE
/// relocation failed: <spec>" instead.
public struct VerifierReport: Sendable, Hashable, CustomStringConvertible {
  /// The whole log, as the kernel wrote it.
  public let log: String
  /// The error line(s), oldest first; empty when the log is empty.
  public let errorLines: [String]
  /// `errorLines` as one string ("" for an empty log).
  public var errorLine: String { errorLines.joined(separator: "\n") }
  /// The instruction (8-byte slot index) the verifier was at when it failed.
  public let failingInstruction: Int?
  /// The C source line of the failure: the last `; <text> @ <file>:<line>`
  /// line before the error, else `lineTable`'s line for `failingInstruction`.
  public let source: SourceLine?
  /// The relocation the loader poisoned, when that is what failed
  /// (the description from `coreRelocation`, or a generic one).
  public let coreRelocationFailure: String?
  /// Log lines not shown by `description`.
  public let omittedLineCount: Int
  /// The kernel cut the log (it needed more than the buffer).
  public let isTruncated: Bool

  /// The poison for failed CO-RE relocations: a call of helper `0xbad2310`
  /// (195896080), which the verifier prints as `unknown#195896080`.
  /// Defined in Instructions (`Instruction.poisonHelperID`), where the
  /// relocation engine that writes it also sees it.
  public static let poisonedCallHelper: Int32 = Instruction.poisonHelperID

  /// How the verifier names a call of the poison helper in its log.
  static let poisonedCallText = "unknown#\(poisonedCallHelper)"

  /// Reads `log`.
  ///
  /// - Parameters:
  ///   - log: the verifier log as the kernel wrote it (`log_buf`).
  ///   - lineTable: the program's line_info, used when the log names no source line.
  ///   - truncated: the kernel reported a larger true size than the buffer.
  ///   - coreRelocation: the CO-RE relocation (its spec, as text) that
  ///     patched a given instruction index, for poisoned calls.
  public init(log: String, lineTable: SourceLineTable? = nil, truncated: Bool = false,
              coreRelocation: (Int) -> String? = { _ in nil }) {
    self.log = log
    self.isTruncated = truncated
    let lines = log.split(separator: "\n", omittingEmptySubsequences: true)

    var end = lines.count
    while end > 0, VerifierStatistics.isTrailer(lines[end - 1]) { end -= 1 }
    guard end > 0 else {
      errorLines = []
      failingInstruction = nil
      source = nil
      coreRelocationFailure = nil
      omittedLineCount = lines.count
      return
    }
    var first = end - 1
    if Self.isRegisterDetail(lines[first]), first > 0, !Self.isSourceComment(lines[first - 1]) {
      first -= 1
    }
    errorLines = lines[first..<end].map(String.init)

    var instruction: Int? = nil
    var sourceFromLog: SourceLine? = nil
    var index = end - 1
    while index >= 0, instruction == nil || sourceFromLog == nil {
      let line = lines[index]
      if instruction == nil, let n = Self.instructionIndex(line) { instruction = n }
      if sourceFromLog == nil, index < first, let s = Self.sourceComment(line) { sourceFromLog = s }
      index -= 1
    }
    failingInstruction = instruction
    source = sourceFromLog ?? instruction.flatMap { lineTable?.location(at: $0) }

    let poisoned = lines[max(0, first - 1)..<end].contains { $0.contains(Self.poisonedCallText) }
    if poisoned {
      let spec = instruction.flatMap(coreRelocation)
      coreRelocationFailure = spec ?? "instruction \(instruction.map(String.init) ?? "?") was poisoned by the loader"
    } else {
      coreRelocationFailure = nil
    }
    omittedLineCount = lines.count - errorLines.count
  }

  /// The same, with relocation descriptions by instruction index.
  public init(log: String, lineTable: SourceLineTable? = nil, truncated: Bool = false,
              coreRelocations: [Int: String]) {
    self.init(log: log, lineTable: lineTable, truncated: truncated, coreRelocation: { coreRelocations[$0] })
  }

  /// The verifier's closing statistics, parsed on request.
  public var statistics: VerifierStatistics? { VerifierStatistics(log: log) }

  /// The error, where it is in the source, and what was left out.
  public var description: String {
    var parts: [String] = []
    if let coreRelocationFailure {
      parts.append("CO-RE relocation failed: \(coreRelocationFailure)")
    } else if errorLines.isEmpty {
      parts.append("the verifier log is empty")
    } else {
      parts.append(errorLines.joined(separator: "\n"))
    }
    if let source { parts.append("at \(source)") }
    if omittedLineCount > 0 || isTruncated {
      parts.append("(\(omittedLineCount) lines omitted\(isTruncated ? "; the log was cut" : ""))")
    }
    return parts.joined(separator: "\n")
  }

  // MARK: Line shapes

  /// `R<digit>...` or a tab: details of the line before.
  static func isRegisterDetail(_ line: Substring) -> Bool {
    var it = line.utf8.makeIterator()
    guard let c0 = it.next() else { return false }
    if c0 == UInt8(ascii: "\t") { return true }
    guard c0 == UInt8(ascii: "R"), let c1 = it.next() else { return false }
    return c1 >= UInt8(ascii: "0") && c1 <= UInt8(ascii: "9")
  }

  static func isSourceComment(_ line: Substring) -> Bool {
    line.hasPrefix("; ") && line.contains(" @ ")
  }

  /// `; <text> @ <file>:<line>`, the kernel's rendering of line_info.
  static func sourceComment(_ line: Substring) -> SourceLine? {
    guard line.hasPrefix(";"), let at = lastSeparator(in: line) else { return nil }
    let place = line[at.upperBound...]
    guard let colon = place.lastIndex(of: ":"), let number = Int(place[place.index(after: colon)...]) else {
      return nil
    }
    let text = line[line.index(after: line.startIndex)..<at.lowerBound]
    return SourceLine(file: String(place[..<colon]), line: number, text: SourceLine.trimmed(text))
  }

  /// The last " @ " in `line`.
  static func lastSeparator(in line: Substring) -> Range<Substring.Index>? {
    let utf8 = line.utf8
    var i = utf8.endIndex
    while i != utf8.startIndex {
      i = utf8.index(before: i)
      guard utf8[i] == UInt8(ascii: "@"), i != utf8.startIndex else { continue }
      let before = utf8.index(before: i), after = utf8.index(after: i)
      if utf8[before] == UInt8(ascii: " "), after != utf8.endIndex, utf8[after] == UInt8(ascii: " ") {
        return before..<utf8.index(after: after)
      }
    }
    return nil
  }

  /// `N: (op) ...`: an instruction the verifier walked, by index.
  static func instructionIndex(_ line: Substring) -> Int? {
    let utf8 = line.utf8
    var value = 0
    var digits = 0
    var i = utf8.startIndex
    while i != utf8.endIndex, let d = Optional(utf8[i]), d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") {
      let (times, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times.addingReportingOverflow(Int(d - UInt8(ascii: "0")))
      if o1 || o2 { return nil }
      value = sum
      digits += 1
      i = utf8.index(after: i)
    }
    guard digits > 0 else { return nil }
    return line[i...].hasPrefix(": (") ? value : nil
  }
}
