#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension BTF {
  /// The bytes a `BTF` reads from, shared by all copies and never copied:
  /// an array handed in by the caller or a private read-only file mapping.
  ///
  /// `@unchecked Sendable`: both backings are immutable after `init` (the
  /// mapping is `PROT_READ`, the array is a `let`), and the mapping is
  /// unmapped only in `deinit`, when no reader can exist any more.
  final class Storage: @unchecked Sendable {
    enum Backing {
      case array([UInt8])
      case mapped(UnsafeRawBufferPointer)
    }
    let backing: Backing
    let count: Int

    init(array: [UInt8]) {
      backing = .array(array)
      count = array.count
    }

    init(mapping: UnsafeRawBufferPointer) {
      backing = .mapped(mapping)
      count = mapping.count
    }

    deinit {
      if case .mapped(let buffer) = backing, let base = buffer.baseAddress {
        _ = munmap(UnsafeMutableRawPointer(mutating: base), buffer.count)
      }
    }

    /// Calls `body` with a span over all the bytes.
    @inline(__always)
    func withSpan<R, E: Error>(_ body: (RawSpan) throws(E) -> R) throws(E) -> R {
      switch backing {
      case .array(let array):
        return try body(array.span.bytes)
      case .mapped(let buffer):
        return try body(RawSpan(_unsafeBytes: buffer))
      }
    }

    /// The bytes of `range` as a new array (for the writer and tests).
    func copyBytes(_ range: Range<Int>) -> [UInt8] {
      let clamped = range.clamped(to: 0 ..< count)
      return withSpan { span in
        span.withUnsafeBytes { Array($0[clamped]) }
      }
    }

    /// Maps `path` read-only and private when it is the kernel's own BTF
    /// (sysfs), else reads it whole.
    ///
    /// Only sysfs files are mapped: the kernel's BTF never changes under
    /// us, while an ordinary file truncated or rewritten after the mapping
    /// (which is validated once, then read without checks) would fault.
    ///
    /// Kernel: `/sys/kernel/btf/*` can be mapped with `PROT_READ` and
    /// `MAP_PRIVATE` (Linux 6.17); `MAP_SHARED` is refused.
    static func open(path: String) throws(BTFError) -> Storage {
      let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
      if fd < 0 { throw .io(path: path, operation: "open", errno: errno) }
      defer { _ = close(fd) }
      var info = stat()
      if fstat(fd, &info) != 0 { throw .io(path: path, operation: "fstat", errno: errno) }
      let size = Int(info.st_size)
      // On the same filesystem as /sys/kernel/btf: the kernel's BTF files.
      var kernelDirectory = stat()
      let onSysfs = stat("/sys/kernel/btf", &kernelDirectory) == 0 && kernelDirectory.st_dev == info.st_dev
      if size > 0, onSysfs, (info.st_mode & S_IFMT) == S_IFREG {
        if let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED {
          return Storage(mapping: UnsafeRawBufferPointer(start: address, count: size))
        }
      }
      return Storage(array: try readAll(fd: fd, path: path, sizeHint: size))
    }

    private static func readAll(fd: CInt, path: String, sizeHint: Int) throws(BTFError) -> [UInt8] {
      var bytes = [UInt8]()
      var chunk = max(sizeHint, 65536)
      while true {
        let old = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: chunk))
        let got = bytes.withUnsafeMutableBytes { buffer in
          read(fd, buffer.baseAddress.map { $0 + old }, chunk)
        }
        if got < 0 {
          if errno == EINTR { bytes.removeLast(chunk); continue }
          throw .io(path: path, operation: "read", errno: errno)
        }
        bytes.removeLast(chunk - got)
        if got == 0 { return bytes }
        chunk = 65536
      }
    }
  }
}
