/// The verifier's closing statistics, as it prints them at the end of a
/// log (always on rejection; on success with log level 4, `BPF_LOG_STATS`).
///
/// Kernel: `processed N insns (limit L) max_states_per_insn M total_states
/// T peak_states P mark_read R`, `verification time U usec`, `stack depth
/// A+B+...` (one number per function).
public struct VerifierStatistics: Sendable, Hashable {
  /// Instructions the verifier walked, over every path (`processed N insns`).
  public var processedInstructions: Int
  /// The limit on that count (`limit L`: 1 million for privileged loads).
  public var instructionLimit: Int?
  /// The most states kept for one instruction (`max_states_per_insn`).
  public var maxStatesPerInstruction: Int?
  /// States created in all (`total_states`).
  public var totalStates: Int?
  /// States alive at once at the peak (`peak_states`).
  public var peakStates: Int?
  /// Register read marks propagated (`mark_read`).
  public var markRead: Int?
  /// Time the verification took (`verification time U usec`).
  public var verificationTimeMicroseconds: Int?
  /// Stack bytes of the main program and then each subprogram.
  public var stackDepths: [Int]

  /// Statistics with these values (`init?(log:)` reads them from a log).
  public init(processedInstructions: Int, instructionLimit: Int? = nil, maxStatesPerInstruction: Int? = nil,
              totalStates: Int? = nil, peakStates: Int? = nil, markRead: Int? = nil,
              verificationTimeMicroseconds: Int? = nil, stackDepths: [Int] = []) {
    self.processedInstructions = processedInstructions
    self.instructionLimit = instructionLimit
    self.maxStatesPerInstruction = maxStatesPerInstruction
    self.totalStates = totalStates
    self.peakStates = peakStates
    self.markRead = markRead
    self.verificationTimeMicroseconds = verificationTimeMicroseconds
    self.stackDepths = stackDepths
  }

  /// The statistics in `log` (the last of each line kind wins), nil when
  /// it has no `processed N insns` line.
  public init?(log: String) {
    var processed: Int? = nil
    var result = VerifierStatistics(processedInstructions: 0)
    for line in log.split(separator: "\n", omittingEmptySubsequences: true) {
      if line.hasPrefix("processed ") {
        let words = line.split(separator: " ")
        guard words.count >= 3, words[2] == "insns", let n = Int(words[1]) else { continue }
        processed = n
        var i = 3
        while i + 1 < words.count {
          let key = words[i], value = words[i + 1]
          switch key {
          case "(limit": result.instructionLimit = Int(value.trimmingSuffix(")"))
          case "max_states_per_insn": result.maxStatesPerInstruction = Int(value)
          case "total_states": result.totalStates = Int(value)
          case "peak_states": result.peakStates = Int(value)
          case "mark_read": result.markRead = Int(value)
          default: break
          }
          i += 2
        }
      } else if line.hasPrefix("verification time ") {
        let words = line.split(separator: " ")
        if words.count >= 3 { result.verificationTimeMicroseconds = Int(words[2]) }
      } else if line.hasPrefix("stack depth ") {
        result.stackDepths = line.dropFirst("stack depth ".count).split(separator: "+").compactMap {
          Int(SourceLine.trimmed($0))
        }
      }
    }
    guard let processed else { return nil }
    result.processedInstructions = processed
    self = result
  }

  /// Whether `line` belongs to the statistics trailer.
  static func isTrailer<S: StringProtocol>(_ line: S) -> Bool {
    (line.hasPrefix("processed ") && line.contains(" insns"))
      || line.hasPrefix("verification time ") || line.hasPrefix("stack depth ")
  }
}

extension Substring {
  fileprivate func trimmingSuffix(_ suffix: String) -> Substring {
    hasSuffix(suffix) ? dropLast(suffix.count) : self
  }
}
