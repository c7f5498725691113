import Syscall

/// The file operations the Loader performs outside bpf(2), so its logic can
/// be tested with fake sysfs, tracefs and procfs contents, like the kernel
/// through `KernelInterface`. `LocalSystemFiles` is the real one; the
/// Loader reaches whichever is in effect through `SystemFiles`.
protocol SystemFileAccess: Sendable {
  /// The whole file as text.
  func text(_ path: String) -> Result<String, FileError>
  /// The whole file as text, gunzipped when it is gzip, else as is.
  func decompressedText(_ path: String) -> Result<String, FileError>
  /// Kernel: access(2).
  func isAccessible(_ path: String, for mode: FileAccessMode) -> Bool
  func isDirectory(_ path: String) -> Bool
  /// Opens read-only and close-on-exec (`O_DIRECTORY` with `directory`).
  func openReadOnly(_ path: String, directory: Bool) -> Result<OwnedFD, FileError>
  /// Reads the `UInt16` at byte `offset`, adds `delta` (wrapping), writes it back.
  func addToUInt16(_ delta: Int16, inFile path: String, at offset: UInt64) -> Result<Void, FileError>
  /// Kernel: unlink(2).
  func remove(_ path: String) -> Result<Void, FileError>
  /// Kernel: mount(2) of a pseudo file system (`source` = `type`, no flags).
  func mount(_ type: String, at path: String) -> Result<Void, FileError>
}

/// What access(2) checks.
enum FileAccessMode: Sendable {
  case exists, read, execute
}

/// An errno from a file step (Errno itself is not an `Error`).
struct FileError: Error {
  var errno: Errno
  /// The step that failed (`open`, `pread`...), when a caller reports it.
  var operation: String = ""
  /// A message that says more than the errno (zlib's, for a corrupt gzip file).
  var reason: String? = nil
}
