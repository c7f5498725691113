#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Reads a whole file with `open`/`read`, turning errno into `ELFError`.
enum FileReading {
  static func bytes(atPath path: String) throws(ELFError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw failure(path) }
    defer { _ = close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw failure(path) }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw .cannotRead(file: path, errno: EINVAL, reason: "not a regular file")
    }
    var result: [UInt8] = []
    result.reserveCapacity(Int(max(info.st_size, 0)))
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n == 0 { break }
      if n < 0 {
        if errno == EINTR { continue }
        throw failure(path)
      }
      result.append(contentsOf: chunk[0..<n])
    }
    return result
  }

  private static func failure(_ path: String) -> ELFError {
    let code = errno
    let reason = strerror(code).map { String(cString: $0) } ?? "error \(code)"
    return .cannotRead(file: path, errno: code, reason: reason)
  }
}
