import Glibc
import Syscall

/// Where tracefs is: `/sys/kernel/tracing`, else `/sys/kernel/debug/tracing`;
/// mounted at `/sys/kernel/tracing` when neither is there (root only).
enum Tracefs {
  static let primary = "/sys/kernel/tracing"
  static let debugfs = "/sys/kernel/debug/tracing"

  /// The tracefs root with an `events` directory.
  static func root() -> Result<String, FileError> {
    for candidate in [primary, debugfs] where SystemFiles.isDirectory("\(candidate)/events") {
      return .success(candidate)
    }
    if case .failure(let error) = SystemFiles.mount("tracefs", at: primary) { return .failure(error) }
    return SystemFiles.isDirectory("\(primary)/events") ? .success(primary) : .failure(FileError(errno: .ENOENT))
  }

  /// The id of tracepoint `category/name`.
  ///
  /// Kernel: tracefs `events/<category>/<name>/id`.
  static func tracepointID(category: String, name: String) -> Result<UInt64, AttachFailure> {
    let base: String
    switch root() {
    case .success(let r): base = r
    case .failure(let e):
      return .failure(.init(operation: "finding or mounting tracefs at \(primary)", errno: e.errno))
    }
    let path = "\(base)/events/\(category)/\(name)/id"
    switch SystemFiles.text(path) {
    case .success(let text):
      guard let id = UInt64(text.trimmed) else {
        return .failure(.init(operation: "reading \(path) ('\(text.trimmed)' is not a number)", errno: .EINVAL))
      }
      return .success(id)
    case .failure(let e):
      return .failure(.init(operation: "reading \(path)", errno: e.errno))
    }
  }
}

/// A failed step with its errno, turned into an `AttachError` by the caller.
struct AttachFailure: Error {
  var operation: String
  var errno: Errno
}
