import Logging
import Synchronization

/// The CLI's swift-log backend, bootstrapped once at the entry point
/// (`SwiftBPFCommand.main`); the library never bootstraps.
///
/// Without `--verbose` the backend writes nothing: `load` prints the
/// loader's warnings after its tables (`WarningCollector`), so stdout and
/// stderr stay as they were before the loader logged. With `--verbose`,
/// every record from `.debug` up goes to stderr through swift-log's
/// `StreamLogHandler`, with its metadata (object, file, map, program).
enum CLILogging {
  /// Set by `--verbose` after parsing, read when a logger is made; a class
  /// because a static `Atomic` (non-copyable) has to live in something.
  private final class Setting: Sendable {
    let verbose = Atomic<Bool>(false)
  }
  private static let setting = Setting()

  static func bootstrap() {
    LoggingSystem.bootstrap(handler(label:))
  }

  static func setVerbose(_ on: Bool) {
    setting.verbose.store(on, ordering: .releasing)
  }

  /// The backend's handler for a logger made now.
  static func handler(label: String) -> any LogHandler {
    guard setting.verbose.load(ordering: .acquiring) else { return SwiftLogNoOpLogHandler() }
    var stream = StreamLogHandler.standardError(label: label)
    stream.logLevel = .debug
    return stream
  }

  /// The logger to open objects with: the bootstrapped backend, and
  /// `collector` keeping the warnings for the report.
  static func logger(collecting collector: WarningCollector) -> Logger {
    Logger(label: "swiftbpf") { label in
      MultiplexLogHandler([Logger(label: label).handler, collector.handler])
    }
  }
}
