import Glibc

/// Finds the file a uprobe names: a path with `/` is used as is; a bare name
/// (`libc.so.6`, `bash`) is looked up like libbpf does — in the target
/// process's `/proc/<pid>/maps` first, then `LD_LIBRARY_PATH` and the usual
/// library directories for a `.so`, `PATH` for a program.
enum BinaryPath {
  static let libraryDirectories = [
    "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
    "/usr/local/lib",
  ]

  static func resolve(_ name: String, pid: Int32?) -> String? {
    if name.contains("/") { return name }
    let isLibrary = name.contains(".so")
    if let pid, let mapped = fromMaps(name, pid: pid) { return mapped }
    var directories: [String] = []
    let variable = isLibrary ? "LD_LIBRARY_PATH" : "PATH"
    if let value = getenv(variable) {
      directories += String(cString: value).split(separator: ":").map(String.init)
    }
    if isLibrary { directories += libraryDirectories } else if directories.isEmpty {
      directories = ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]
    }
    for directory in directories where !directory.isEmpty {
      let candidate = "\(directory)/\(name)"
      if SystemFiles.isAccessible(candidate, for: isLibrary ? .read : .execute) { return candidate }
    }
    return nil
  }

  /// The first file mapped into `pid` whose name is `name` or starts with
  /// `name` followed by `.` or `-` (`libc.so.6` for `libc.so`, `libc-2.31.so`
  /// for `libc`), read from `/proc/<pid>/maps`.
  static func fromMaps(_ name: String, pid: Int32) -> String? {
    guard case .success(let text) = SystemFiles.text("/proc/\(pid)/maps") else { return nil }
    for line in text.split(separator: "\n") {
      guard let slash = line.firstIndex(of: "/") else { continue }
      let path = line[slash...]
      let file = path.split(separator: "/").last ?? ""
      if file == name || (file.hasPrefix(name) && [".", "-"].contains(file.dropFirst(name.count).first.map(String.init) ?? "")) {
        return String(path)
      }
    }
    return nil
  }

  /// Mappings of `path` in `pid`: start address and file offset, for
  /// turning a file offset into the process's address (`/proc/<pid>/mem`).
  static func mappings(of path: String, pid: Int32) -> [(start: UInt64, end: UInt64, offset: UInt64)] {
    guard case .success(let text) = SystemFiles.text("/proc/\(pid)/maps") else { return [] }
    var result: [(UInt64, UInt64, UInt64)] = []
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count >= 6, fields[5...].joined(separator: " ") == path else { continue }
      let range = fields[0].split(separator: "-")
      guard range.count == 2, let start = UInt64(range[0], radix: 16), let end = UInt64(range[1], radix: 16),
        let offset = UInt64(fields[2], radix: 16)
      else { continue }
      result.append((start, end, offset))
    }
    return result
  }
}
