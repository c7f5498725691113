import Glibc

/// Bytes to standard output or error with write(2), retried until all are
/// written: what the CLI prints without Foundation's `FileHandle` (the CLI
/// imports only FoundationEssentials, for start-up time).
enum StandardStreams {
  static func writeOutput(_ bytes: some Collection<UInt8>) { write(bytes, to: STDOUT_FILENO) }
  static func writeError(_ bytes: some Collection<UInt8>) { write(bytes, to: STDERR_FILENO) }

  private static func write(_ bytes: some Collection<UInt8>, to fd: Int32) {
    let array = Array(bytes)
    array.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count, let base = buffer.baseAddress {
        let written = Glibc.write(fd, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return  // a closed pipe: nothing more can be said
        }
        offset += written
      }
    }
  }

  /// The first `count` bytes of the file at `path` (fewer if it is shorter;
  /// empty when it cannot be read).
  static func head(of path: String, count: Int) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return [] }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: count)
    let read = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, count) }
    return read > 0 ? Array(bytes.prefix(read)) : []
  }
}
