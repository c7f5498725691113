import Logging
import Synchronization

/// Keeps every record a logger receives, so tests assert on what the loader
/// logged. No global bootstrap: pass `capture.logger` as `OpenOptions.logger`.
final class LogCapture: Sendable {
  struct Record: Sendable, CustomStringConvertible {
    var level: Logger.Level
    var message: String
    /// The handler's metadata and the record's own, values as text.
    var metadata: [String: String]

    var description: String { "\(level) \(metadata.sorted { $0.key < $1.key }) \(message)" }
  }

  private let storage = Mutex<[Record]>([])

  var records: [Record] { storage.withLock { $0 } }

  /// A logger feeding this capture, at `.trace` so nothing is filtered.
  var logger: Logger {
    Logger(label: "swiftbpf.test") { _ in Handler(capture: self) }
  }

  /// Records at `level` whose message contains `text`.
  func records(_ level: Logger.Level, containing text: String) -> [Record] {
    records.filter { $0.level == level && $0.message.contains(text) }
  }

  fileprivate func append(_ record: Record) {
    storage.withLock { $0.append(record) }
  }

  struct Handler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
      capture.append(Record(level: event.level, message: event.message.description,
                            metadata: all.mapValues(\.description)))
    }
  }
}
