import Glibc
import Syscall

/// Small reads of kernel pseudo files (sysfs, tracefs, procfs), with errno.
/// An errno from a file step (Errno itself is not an `Error`).
struct FileError: Error {
  var errno: Errno
}

enum SystemFiles {
  /// The whole file as text, or the errno of the failure.
  static func text(_ path: String) -> Result<String, FileError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(FileError(errno: .current)) }
    defer { _ = close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n == 0 { break }
      if n < 0 {
        if errno == EINTR { continue }
        return .failure(FileError(errno: .current))
      }
      bytes += chunk[0..<n]
    }
    return .success(String(decoding: bytes, as: UTF8.self))
  }

  static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// Opens a directory (cgroup, namespace file) as a borrowed-later descriptor.
  static func openReadOnly(_ path: String, directory: Bool) -> Result<OwnedFD, FileError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0))
    guard fd >= 0 else { return .failure(FileError(errno: .current)) }
    do { return .success(try OwnedFD.adopt(fd)) } catch { return .failure(FileError(errno: error.errno ?? .EINVAL)) }
  }

  /// The CPUs in a list like `0-3,5` (`/sys/devices/system/cpu/online`).
  static func cpuList(_ text: String) -> [Int32] {
    var cpus: [Int32] = []
    for part in text.split(whereSeparator: { $0 == "," || $0 == "\n" }) {
      let bounds = part.split(separator: "-")
      guard let first = bounds.first, let low = Int32(String(first).trimmed) else { continue }
      let high = bounds.count > 1 ? Int32(String(bounds[1]).trimmed) ?? low : low
      if high >= low { cpus += Array(low...high) }
    }
    return cpus
  }
}

extension String {
  var trimmed: String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s = s.dropFirst() }
    while let l = s.last, l.isWhitespace { s = s.dropLast() }
    return String(s)
  }
}

/// A dynamic PMU of `/sys/bus/event_source/devices/<name>`: its type number
/// and where its format puts the `retprobe` bit and `ref_ctr_offset`.
///
/// Kernel: the `uprobe` and `kprobe` PMUs (4.17); `format/retprobe` reads
/// `config:0`, `format/ref_ctr_offset` `config:32-63` (5.5).
struct DynamicPMU {
  let name: String
  let type: UInt32
  let retprobeBit: UInt64?
  let referenceCounterShift: UInt64?

  static let root = "/sys/bus/event_source/devices"

  /// The PMU, or nil when the kernel has none of that name.
  static func named(_ name: String) -> DynamicPMU? {
    guard case .success(let text) = SystemFiles.text("\(root)/\(name)/type"),
      let type = UInt32(text.trimmed)
    else { return nil }
    return DynamicPMU(name: name, type: type,
                      retprobeBit: formatBit("\(root)/\(name)/format/retprobe"),
                      referenceCounterShift: formatBit("\(root)/\(name)/format/ref_ctr_offset"))
  }

  /// The first bit of a `config:N` or `config:N-M` format file.
  static func formatBit(_ path: String) -> UInt64? {
    guard case .success(let text) = SystemFiles.text(path) else { return nil }
    let t = text.trimmed
    guard t.hasPrefix("config:") else { return nil }
    let range = t.dropFirst("config:".count).split(separator: "-")
    guard let first = range.first, let bit = UInt64(first), bit < 64 else { return nil }
    return bit
  }
}
