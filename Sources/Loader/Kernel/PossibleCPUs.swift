import Glibc
import Syscall

/// `/sys/devices/system/cpu/possible`: `0-3`, `0,2-5`...
enum PossibleCPUs {
  static func read() -> String? {
    guard let text = try? readSmallFile("/sys/devices/system/cpu/possible") else { return nil }
    return text
  }

  /// The number of CPUs a range list names; the kernel numbers them from 0,
  /// so this is the highest number plus one.
  static func count(from list: String) -> Int? {
    var highest = -1
    for part in list.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
      let bounds = part.split(separator: "-")
      guard let last = bounds.last.flatMap({ Int($0) }), bounds.count <= 2, last >= 0, last < 1 << 20 else {
        return nil
      }
      highest = max(highest, last)
    }
    return highest >= 0 ? highest + 1 : nil
  }
}

/// Reads a whole small text file (procfs, sysfs), or throws.
func readSmallFile(_ path: String) throws(SyscallError) -> String {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else { throw .current(.system("open")) }
  defer { _ = close(fd) }
  var bytes = [UInt8]()
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n < 0 {
      if errno == EINTR { continue }
      throw .current(.system("read"))
    }
    if n == 0 { break }
    bytes.append(contentsOf: chunk[0..<n])
  }
  return String(decoding: bytes, as: UTF8.self)
}
