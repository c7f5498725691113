import Syscall

/// The one seam for the Loader's file I/O outside bpf(2): kernel pseudo
/// files (sysfs, tracefs, procfs), the kernel config, `/proc/<pid>/mem`,
/// bpffs unlinks, the tracefs mount. Every such call in the Loader goes
/// through `SystemFiles`, which forwards to `current`: the real file system
/// (`LocalSystemFiles`), or in tests a fake bound with
/// `SystemFiles.$current.withValue(fake) { ... }`.
///
/// A task-local rather than a parameter: the callers are spread over attach,
/// events and kernel-info code that has no injected value to carry it, and
/// passing one through each would change every attach signature.
enum SystemFiles {
  /// The file access in effect for this task (and the tasks it starts).
  @TaskLocal static var current: any SystemFileAccess = LocalSystemFiles()

  /// The whole file as text, or the errno of the failure.
  static func text(_ path: String) -> Result<String, FileError> { current.text(path) }

  /// The whole file as text, gunzipped when it is gzip (`/proc/config.gz`).
  static func decompressedText(_ path: String) -> Result<String, FileError> { current.decompressedText(path) }

  static func exists(_ path: String) -> Bool { current.isAccessible(path, for: .exists) }

  static func isAccessible(_ path: String, for mode: FileAccessMode) -> Bool {
    current.isAccessible(path, for: mode)
  }

  static func isDirectory(_ path: String) -> Bool { current.isDirectory(path) }

  /// Opens a directory (cgroup, namespace file) as a borrowed-later descriptor.
  static func openReadOnly(_ path: String, directory: Bool) -> Result<OwnedFD, FileError> {
    current.openReadOnly(path, directory: directory)
  }

  /// Adds `delta` to the `UInt16` at byte `offset` of `path` (a USDT
  /// semaphore in `/proc/<pid>/mem`), reading and writing in place.
  static func addToUInt16(_ delta: Int16, inFile path: String, at offset: UInt64) -> Result<Void, FileError> {
    current.addToUInt16(delta, inFile: path, at: offset)
  }

  /// Removes a file (a bpffs pin).
  static func remove(_ path: String) -> Result<Void, FileError> { current.remove(path) }

  /// Mounts a file system of `type` (`tracefs`) at `path`.
  static func mount(_ type: String, at path: String) -> Result<Void, FileError> { current.mount(type, at: path) }

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
