import Logging
import SwiftBPF
import Synchronization

/// Keeps a load's `.warning` records as the lines `load` prints after its
/// tables: `map 'NAME': message`, `program 'NAME': message`, or
/// `FILE: message` — the wording `LoadedObject.warnings` had.
final class WarningCollector: Sendable {
  private let lines = Mutex<[String]>([])

  /// A handler feeding this collector.
  var handler: Handler { Handler(collector: self) }

  /// The lines collected since the last `take()`, and forgets them.
  func take() -> [String] {
    lines.withLock { lines in
      defer { lines = [] }
      return lines
    }
  }

  fileprivate func append(_ line: String) {
    lines.withLock { $0.append(line) }
  }

  struct Handler: LogHandler {
    let collector: WarningCollector
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
      let prefix: String
      if let map = all[LogMetadataKey.map] {
        prefix = "map '\(map)': "
      } else if let program = all[LogMetadataKey.program] {
        prefix = "program '\(program)': "
      } else if let file = all[LogMetadataKey.file] {
        prefix = "\(file): "
      } else {
        prefix = ""
      }
      collector.append(prefix + event.message.description)
    }
  }
}
